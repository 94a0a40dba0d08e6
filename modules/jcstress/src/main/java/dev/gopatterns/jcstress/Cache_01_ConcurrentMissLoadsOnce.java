package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.cache.Cache;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two {@code get}s of the same missing key at the same moment. The loader must run once: either one get's load has
 * finished and stored its value before the other looks (a hit), or the other misses too and shares the load,
 * joining its flight or, if the flight ended between its lookup and its join, finding the value the flight stored
 * before it ended. Both get the loaded value. The clock is a {@link FakeClock} that never moves, so nothing
 * expires.
 *
 * <p>It catches a flight that ends before its value is stored (the late get would lead a second flight and load
 * again), a leader that does not look again before loading, and a value lost between the flight and a caller.
 *
 * <pre>{@code
 * // Go: groupcache-style, a map in front of singleflight
 * if v, ok := cache.get(key); ok { return v }
 * v, err, _ := flights.Do(key, func() (any, error) {
 *     if v, ok := cache.get(key); ok { return v, nil }   // stored by a flight that just ended
 *     v, err := load(key); if err == nil { cache.add(key, v) }; return v, err
 * })
 * }</pre>
 *
 * <p>r1: how many times the loader ran; r2: what the two gets returned; r3: the hits and the coalesced misses.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Cache_01"}
 */
@JCStressTest
@Outcome(id = "1, v v, hits=1 coalesced=0", expect = ACCEPTABLE,
        desc = "One get loaded and stored the value before the other looked: the other was a hit.")
@Outcome(id = "1, v v, hits=0 coalesced=1", expect = ACCEPTABLE_INTERESTING,
        desc = "Both missed: the second shared the first's load (joined its flight, or found its stored value).")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The loader ran twice for one key that nothing invalidated.")
@Outcome(expect = FORBIDDEN, desc = "A get failed or got another value, or the counts do not match one load.")
@State
public class Cache_01_ConcurrentMissLoadsOnce {

    final AtomicInteger loads = new AtomicInteger();
    final Cache<String, String> cache = Cache.<String, String>builder((ctx, key) -> {
        loads.incrementAndGet();
        return "v";
    }).clock(new FakeClock()).ttl(Duration.ofMinutes(1)).build();
    final Context ctx = Context.background();
    String first;
    String second;

    private String get() {
        try {
            return cache.get(ctx, "k");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Actor
    public void one() {
        first = get();
    }

    @Actor
    public void two() {
        second = get();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        Cache.Metrics m = cache.metrics();
        r.r1 = loads.get();
        r.r2 = first + " " + second;
        r.r3 = "hits=" + m.hits() + " coalesced=" + m.coalesced();
    }
}
