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
 * The writer's rule, "change the source, then invalidate", racing a load. The source holds {@code v1}. One actor
 * {@code get}s the missing key, whose loader reads the source; the other writes {@code v2} to the source and then
 * invalidates the key. Wherever the invalidate lands in the load (before it began, while the loader reads, between
 * the read and the store, after the store), the cache must not hold {@code v1} afterwards: a load that began
 * before the invalidate does not store its result, and a value stored before the invalidate is removed by it. A
 * load that began after the invalidate read the source after the write, and stores {@code v2}. The get itself may
 * return either value: it overlapped the write.
 *
 * <p>It catches a store that does not check the key's epoch (the stale {@code v1} stored after the invalidate had
 * run), and an epoch checked before the store but not atomically with it.
 *
 * <pre>{@code
 * // Go: the same rule over a map and singleflight needs a per-key generation
 * gen := c.gen[key]                       // under c.mu, when the load begins
 * v, err := load(key)
 * c.mu.Lock(); if c.gen[key] == gen { c.m[key] = v }; c.mu.Unlock()
 * // invalidate: c.mu.Lock(); delete(c.m, key); c.gen[key]++; c.mu.Unlock(); flights.Forget(key)
 * }</pre>
 *
 * <p>r1: what the get returned; r2: what the cache held for the key after both actors ({@code getIfPresent});
 * r3: what a get in the arbiter returned, and how many times the loader ran in all.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Cache_02"}
 */
@JCStressTest
@Outcome(id = "v1, empty, v2 loads=2", expect = ACCEPTABLE,
        desc = "The load read v1; the invalidate removed it after the store, or stopped the store.")
@Outcome(id = "v2, v2, v2 loads=1", expect = ACCEPTABLE,
        desc = "The load began after the invalidate: it read v2 and stored it.")
@Outcome(id = "v2, empty, v2 loads=2", expect = ACCEPTABLE_INTERESTING,
        desc = "The load began before the invalidate but read v2 already: not stored all the same (it might have"
                + " been v1), so the next get loads again.")
@Outcome(id = ".*, v1, .*", expect = FORBIDDEN, desc = "The stale v1 was left in the cache after the invalidate.")
@Outcome(expect = FORBIDDEN, desc = "A get failed or got a value the source never held, or the loads do not add up.")
@State
public class Cache_02_InvalidateRacingLoad {

    volatile String source = "v1";
    final AtomicInteger loads = new AtomicInteger();
    final Cache<String, String> cache = Cache.<String, String>builder((ctx, key) -> {
        loads.incrementAndGet();
        return source;
    }).clock(new FakeClock()).ttl(Duration.ofMinutes(1)).build();
    final Context ctx = Context.background();
    String got;

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
    public void reader() {
        got = get();
    }

    @Actor
    public void writer() {
        source = "v2";
        cache.invalidate("k");
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r1 = got;
        r.r2 = cache.getIfPresent("k").orElse("empty");
        String again = get();
        r.r3 = again + " loads=" + loads.get();
    }
}
