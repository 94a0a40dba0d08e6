package dev.gopatterns.jmh;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.gopatterns.cache.Cache;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a cache hit costs: {@code get} of a key that is present and fresh, through {@link Cache#get}, through
 * Caffeine's {@code LoadingCache.get} (configured alike: {@code expireAfterWrite} and {@code maximumSize}), and
 * through {@code ConcurrentHashMap.computeIfAbsent}, the floor: a map lookup with no expiry, no size bound and no
 * bookkeeping.
 *
 * <pre>{@code
 * // Go (a map under a mutex, as groupcache's lru.Cache):   // here:
 * mu.Lock()                                                // V v = cache.get(ctx, key);
 * e, ok := m[key]; if ok && now.Before(e.expires) { ... }
 * mu.Unlock()
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per {@code get}, on one thread ({@code get}) and on each of two threads
 * sharing the cache ({@code getContended}, {@code @Threads(2)}: per thread). The keys are {@value #KEYS} boxed
 * {@code Integer}s made once; each thread walks through them in turn. Every key is loaded in the trial's set-up,
 * the ttl is an hour and the size bound {@value #MAX_SIZE}, so every measured {@code get} is a hit.
 * <ul>
 *   <li>{@code gopatterns}: {@code Cache.get(ctx, key)}: the interrupt and context checks, one lock held for the
 *       lookup (the clock read and the expiry check of the heads of the expiry order, then a
 *       {@code LinkedHashMap} access-order get, which moves the entry to the tail), a {@code LongAdder} hit count.
 *   <li>{@code caffeine}: {@code LoadingCache.get(key)} with {@code expireAfterWrite(1 h)} and
 *       {@code maximumSize}: a lock-free {@code ConcurrentHashMap} read, the expiry check on its ticker, and the
 *       access recorded in a striped, lossy read buffer that is drained later (by the calling thread or its
 *       executor, the common pool by default) into its W-TinyLFU policy.
 *   <li>{@code chm}: {@code ConcurrentHashMap.computeIfAbsent(key, load)}; on a present key, a lock-free read.
 * </ul>
 *
 * <p><b>Why:</b> a cache in front of a slow source is read far more often than it loads, so the hit is the price
 * every request pays. The contended rows show what each design's shared state costs: gopatterns serialises every
 * hit on one lock (LRU order is a write), Caffeine records reads in buffers that may drop some under contention.
 *
 * <p><b>Checked:</b> every {@code get} must return the very value loaded for its key (identity, not equality);
 * after every iteration the loader must still have run exactly once per key (a hit that loaded, or an entry that
 * expired or was evicted, fails the run), and the gopatterns cache must count no miss beyond the set-up's.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement). The 6 rows take about 2 minutes.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Cache_01 -p cache=gopatterns,caffeine}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Cache_01_HitPath {

    /** The fixed key set: a power of two, so the walk through it is a mask. */
    static final int KEYS = 16;
    static final int MAX_SIZE = 1_000;
    static final Duration TTL = Duration.ofHours(1);

    static final Integer[] KEY = new Integer[KEYS];
    /** What the loader returns for KEY[i]: one instance per key, so a hit can be checked by identity. */
    static final String[] VALUE = new String[KEYS];

    static {
        for (int i = 0; i < KEYS; i++) {
            KEY[i] = 1_000 + i; // outside Integer's box cache, like real keys
            VALUE[i] = "value-" + i;
        }
    }

    /** The cache every thread reads, filled in set-up. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"gopatterns", "caffeine", "chm"})
        public String cache;

        final AtomicLong loads = new AtomicLong();
        Cache<Integer, String> gopatterns;
        LoadingCache<Integer, String> caffeine;
        ConcurrentHashMap<Integer, String> chm;

        String load(Integer key) {
            loads.incrementAndGet();
            return VALUE[key - 1_000];
        }

        @Setup(Level.Trial)
        public void make() throws Exception {
            Context ctx = Context.background();
            switch (cache) {
                case "gopatterns" -> {
                    gopatterns = Cache.<Integer, String>builder((c, k) -> load(k)).ttl(TTL).maxSize(MAX_SIZE).build();
                    for (Integer k : KEY) {
                        gopatterns.get(ctx, k);
                    }
                }
                case "caffeine" -> {
                    caffeine = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_SIZE).build(this::load);
                    for (Integer k : KEY) {
                        caffeine.get(k);
                    }
                }
                case "chm" -> {
                    chm = new ConcurrentHashMap<>();
                    for (Integer k : KEY) {
                        chm.computeIfAbsent(k, this::load);
                    }
                }
                default -> throw new IllegalArgumentException(
                        "unknown cache \"" + cache + "\"; known: gopatterns, caffeine, chm");
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            if (loads.get() != KEYS) {
                throw new AssertionError(cache + " loaded " + loads.get() + " times for " + KEYS
                        + " keys that were all present: a hit loaded, or an entry was lost");
            }
            if (gopatterns != null) {
                Cache.Metrics m = gopatterns.metrics();
                if (m.misses() != KEYS || m.loads() != KEYS || m.size() != KEYS) {
                    throw new AssertionError("gopatterns cache counts " + m + "; expected " + KEYS
                            + " misses and loads (the set-up's) and " + KEYS + " entries");
                }
            }
        }
    }

    /** One benchmark thread: its place in the walk through the keys. */
    @State(Scope.Thread)
    public static class Reader {
        private final Context ctx = Context.background();
        private int next;
        private Getter getter;

        /** One get, through whichever cache the trial measures. */
        interface Getter {
            String get(Integer key) throws Exception;
        }

        @Setup(Level.Trial)
        public void make(Shared s) {
            getter = switch (s.cache) {
                case "gopatterns" -> {
                    Cache<Integer, String> c = s.gopatterns;
                    yield k -> c.get(ctx, k);
                }
                case "caffeine" -> s.caffeine::get;
                case "chm" -> {
                    ConcurrentHashMap<Integer, String> m = s.chm;
                    yield k -> m.computeIfAbsent(k, s::load);
                }
                default -> throw new IllegalStateException("unknown cache " + s.cache);
            };
        }

        String getOnce() throws Exception {
            int i = next++ & (KEYS - 1);
            String v = getter.get(KEY[i]);
            if (v != VALUE[i]) {
                throw new AssertionError("get(" + KEY[i] + ") returned " + v + ", not the value loaded for it");
            }
            return v;
        }
    }

    @Benchmark
    @Threads(1)
    public String get(Reader r) throws Exception {
        return r.getOnce();
    }

    @Benchmark
    @Threads(2)
    public String getContended(Reader r) throws Exception {
        return r.getOnce();
    }
}
