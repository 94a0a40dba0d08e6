package dev.gopatterns.jmh;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.gopatterns.cache.Cache;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a miss storm costs: {@value #CALLERS} virtual threads ask for the same absent key at the same moment, and a
 * cache that coalesces their misses runs its loader once for all of them. {@link Cache#get} (a
 * {@code SingleFlight} per key) against Caffeine's {@code LoadingCache.get} (which also loads once: the callers
 * meet in {@code ConcurrentHashMap.compute}) and against no cache at all, where every caller runs the load.
 *
 * <pre>{@code
 * // Go (golang.org/x/sync/singleflight):                 // here:
 * v, err, shared := g.Do(key, func() (any, error) {       // V v = cache.get(ctx, key); // 8 callers, 1 load
 *     return load(key)
 * })
 * }</pre>
 *
 * <p><b>What is measured:</b> microseconds per storm. One storm: the JMH thread invalidates the key (so it is
 * absent), releases {@value #CALLERS} long-lived virtual threads ({@link ThreadTeam}), each of which calls
 * {@code get} once, and waits until all of them have their value. The load burns {@value #LOAD_TOKENS}
 * {@link Blackhole#consumeCPU} tokens, about 50 µs on the machine {@code Pool_01}'s tokens were calibrated on, and
 * returns a value made once.
 * <ul>
 *   <li>{@code gopatterns}: {@code Cache.get(ctx, key)}; each missing caller starts a virtual thread that joins
 *       or leads the key's flight, and waits for it in a {@code select} with its context.
 *   <li>{@code caffeine}: {@code LoadingCache.get(key)} ({@code expireAfterWrite}, {@code maximumSize}, its default
 *       executor); the first caller computes the entry, the others block on its hash bin until it is there.
 *   <li>{@code none}: every caller runs the load itself: {@value #CALLERS} loads per storm, on 2 cores at best
 *       4 loads' time.
 *   <li>{@code harness}: the callers do nothing; the cost of releasing and collecting {@value #CALLERS} virtual
 *       threads, to be subtracted from the other rows in one's head.
 * </ul>
 *
 * <p><b>Why:</b> a popular key that expires, or a cold start, sends every request for it to the source at once;
 * coalescing turns that into one load, and this is what each cache charges for it. The callers are released by
 * one semaphore each, so they do not all start within the same microsecond; a caller that arrives after the load
 * ended is a plain hit. Both caches see the same arrivals; the share of callers that met the load still running
 * is printed at the end of each trial (not a JMH result).
 *
 * <p><b>Checked:</b> in every storm, every caller must get the very value loaded, and the loader must have run
 * exactly once ({@value #CALLERS} times for {@code none}); so a cache that failed to coalesce, or served a value
 * left from before the invalidation, fails the run.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement). The 4 rows take about 1.5 minutes.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Cache_02 -p cache=gopatterns,caffeine}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class Cache_02_MissStorm {

    static final int CALLERS = 8;
    /** About 50 µs of CPU: 50 × {@code Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS}. */
    static final int LOAD_TOKENS = 50 * Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS;
    static final Integer KEY = 4_242;
    /** What every load returns; a caller checks it got this very instance. */
    static final String VALUE = "loaded";

    @Param({"gopatterns", "caffeine", "none", "harness"})
    public String cache;

    private final AtomicLong loadsStarted = new AtomicLong();
    private final AtomicLong loadsEnded = new AtomicLong();
    /** Callers of the current storm that called get before its load had ended. */
    private final AtomicInteger metLoad = new AtomicInteger();
    private long storms;
    private long metLoadTotal;

    private Cache<Integer, String> gopatterns;
    private LoadingCache<Integer, String> caffeine;
    private ThreadTeam team;

    String load() {
        loadsStarted.incrementAndGet();
        Blackhole.consumeCPU(LOAD_TOKENS);
        loadsEnded.incrementAndGet();
        return VALUE;
    }

    @Setup(Level.Trial)
    public void make() {
        Context ctx = Context.background();
        ThreadTeam.Batch get = switch (cache) {
            case "gopatterns" -> {
                gopatterns = Cache.<Integer, String>builder((c, k) -> load()).ttl(Duration.ofHours(1))
                        .maxSize(1_000).build();
                yield () -> check(gopatterns.get(ctx, noteArrival()));
            }
            case "caffeine" -> {
                caffeine = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1)).maximumSize(1_000)
                        .build(k -> load());
                yield () -> check(caffeine.get(noteArrival()));
            }
            case "none" -> () -> check(load());
            case "harness" -> () -> { };
            default -> throw new IllegalArgumentException(
                    "unknown cache \"" + cache + "\"; known: gopatterns, caffeine, none, harness");
        };
        ThreadTeam.Batch[] callers = new ThreadTeam.Batch[CALLERS];
        Arrays.fill(callers, get);
        team = new ThreadTeam("virtual", "storm", callers);
    }

    /** The key, counting this caller as one that met the load if the storm's load has not ended yet. */
    private Integer noteArrival() {
        if (loadsEnded.get() < storms + 1) { // storms: written by the JMH thread before it released this batch
            metLoad.incrementAndGet();
        }
        return KEY;
    }

    private static void check(String v) {
        if (v != VALUE) {
            throw new AssertionError("a caller got " + v + ", not the value loaded for it");
        }
    }

    @Benchmark
    public void storm() throws Exception {
        switch (cache) {
            case "gopatterns" -> gopatterns.invalidate(KEY);
            case "caffeine" -> caffeine.invalidate(KEY);
            default -> { }
        }
        long before = loadsStarted.get();
        metLoad.set(0);
        team.runBatch();
        storms++;
        metLoadTotal += metLoad.get();
        long loads = loadsStarted.get() - before;
        long expected = switch (cache) {
            case "none" -> CALLERS;
            case "harness" -> 0;
            default -> 1;
        };
        if (loads != expected || loadsEnded.get() != loadsStarted.get()) {
            throw new AssertionError(cache + ": a storm of " + CALLERS + " callers ran the loader " + loads
                    + " times, expected " + expected + (expected == 1 ? ": the misses were not coalesced" : ""));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        team.close();
        if (cache.equals("gopatterns") || cache.equals("caffeine")) {
            System.out.printf("%n%s: %d storms; %.2f of %d callers per storm called get before its load ended%n",
                    cache, storms, storms == 0 ? 0.0 : (double) metLoadTotal / storms, CALLERS);
        }
    }
}
