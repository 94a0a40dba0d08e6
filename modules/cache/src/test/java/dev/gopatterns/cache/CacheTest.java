package dev.gopatterns.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Cache}: hits, loads shared under SingleFlight, expiry and eviction on a {@link FakeClock}. */
class CacheTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration NANO = Duration.ofNanos(1);

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);
    private final AtomicInteger calls = new AtomicInteger();

    /** A loader that answers at once: key "k" loads "k1", then "k2", ... (its n-th load). */
    private String counting(Context c, String key) {
        return key + calls.incrementAndGet();
    }

    /**
     * A loader that reports each load it begins on {@code started} and then waits for its value on
     * {@code results}: the test decides when, and with what, each load finishes.
     */
    private final Channel<String> started = Channel.make(1000);
    private final Channel<String> results = Channel.unbuffered();

    private String gated(Context c, String key) throws InterruptedException {
        calls.incrementAndGet();
        started.send(key);
        return results.receive();
    }

    private Cache.Builder<String, String> cache(Cache.Loader<String, String> loader) {
        return Cache.builder(loader).clock(clock).ttl(TTL);
    }

    private static Cache.Metrics metrics(long hits, long misses, long loads, long loadFailures, long coalesced,
                                         long evictions, long expirations, int size) {
        return new Cache.Metrics(hits, misses, loads, loadFailures, coalesced, evictions, expirations, size);
    }

    @Test
    @DisplayName("a miss loads and stores the value; the next get is a hit and does not load")
    void missThenHit() throws Exception {
        Cache<String, String> c = cache(this::counting).build();
        assertThat(c.get(ctx, "k")).isEqualTo("k1");
        assertThat(c.get(ctx, "k")).isEqualTo("k1");
        assertThat(c.getIfPresent("k")).contains("k1");
        assertThat(c.getIfPresent("other")).isEmpty();
        assertThat(c.metrics()).isEqualTo(metrics(1, 1, 1, 0, 0, 0, 0, 1));
    }

    @Test
    @DisplayName("an entry is fresh until ttl has passed and expired at ttl exactly, not before")
    void expiresExactlyAtTtl() throws Exception {
        Cache<String, String> c = cache(this::counting).build();
        assertThat(c.get(ctx, "k")).isEqualTo("k1");
        clock.advance(TTL.minus(NANO));
        assertThat(c.get(ctx, "k")).as("1 ns before ttl").isEqualTo("k1");
        clock.advance(NANO);
        assertThat(c.getIfPresent("k")).as("at ttl").isEmpty();
        assertThat(c.get(ctx, "k")).isEqualTo("k2");
        assertThat(c.metrics()).isEqualTo(metrics(1, 2, 2, 0, 0, 0, 1, 1));
        dev.gopatterns.metrics.Snapshot s = c.snapshot();
        assertThat(s.component()).isEqualTo("cache");
        assertThat(s.counter("gets.hit")).isEqualTo(1);
        assertThat(s.counter("gets.missed")).isEqualTo(2);
        assertThat(s.counter("expirations")).isEqualTo(1);
        assertThat(s.gauge("size")).isEqualTo(1);
    }

    @Test
    @DisplayName("the ttl is measured from when the load finished, not from when it began")
    void ttlFromLoadFinish() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> get = threads.submit("get", () -> c.get(ctx, "k"));
            assertThat(started.receive()).isEqualTo("k");
            clock.advance(Duration.ofSeconds(5)); // the load takes 5 s
            results.send("slow");
            assertThat(get.get()).isEqualTo("slow");
        }
        clock.advance(TTL.minus(NANO));
        assertThat(c.getIfPresent("k")).as("15 s - 1 ns after the load began").contains("slow");
        clock.advance(NANO);
        assertThat(c.getIfPresent("k")).isEmpty();
    }

    @Test
    @DisplayName("100 concurrent gets of a missing key call the loader once, and all get its value")
    void concurrentMissesLoadOnce() throws Exception {
        int n = 100;
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            List<Future<String>> gets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                gets.add(threads.submit("get " + i, () -> c.get(ctx, "k")));
            }
            assertThat(started.receive()).isEqualTo("k");
            Await.until(() -> "every get to have missed (" + c.metrics().misses() + ")",
                    () -> c.metrics().misses() == n);
            results.send("v");
            for (Future<String> get : gets) {
                assertThat(get.get()).isEqualTo("v");
            }
        }
        assertThat(calls).hasValue(1);
        assertThat(started.tryReceive()).as("no second load began").isNotInstanceOf(
                dev.gopatterns.chan.Received.Value.class);
        Await.until("every flight thread to have counted", () -> c.metrics().coalesced() == n - 1);
        assertThat(c.metrics()).isEqualTo(metrics(0, n, 1, 0, n - 1, 0, 0, 1));
    }

    @Test
    @DisplayName("a failed load reaches its callers and is not cached: the next get loads again")
    void failureNotCached() throws Exception {
        IOException down = new IOException("db down");
        Cache<String, String> c = cache((cx, k) -> {
            if (calls.incrementAndGet() == 1) {
                throw down;
            }
            return "up";
        }).build();
        assertThatThrownBy(() -> c.get(ctx, "k")).isSameAs(down);
        assertThat(c.size()).isZero();
        assertThat(c.get(ctx, "k")).isEqualTo("up");
        assertThat(c.metrics()).isEqualTo(metrics(0, 2, 2, 1, 0, 0, 0, 1));
    }

    @Test
    @DisplayName("with negativeTtl a failure is cached for that long and thrown again, same instance, without loading")
    void negativeTtl() throws Exception {
        IOException down = new IOException("db down");
        Cache<String, String> c = cache((cx, k) -> {
            if (calls.incrementAndGet() == 1) {
                throw down;
            }
            return "up";
        }).negativeTtl(Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> c.get(ctx, "k")).isSameAs(down);
        clock.advance(Duration.ofSeconds(1).minus(NANO));
        assertThatThrownBy(() -> c.get(ctx, "k")).isSameAs(down);
        assertThat(c.getIfPresent("k")).as("a cached failure is not a value").isEmpty();
        assertThat(c.size()).isOne();
        clock.advance(NANO);
        assertThat(c.get(ctx, "k")).isEqualTo("up");
        assertThat(c.metrics()).isEqualTo(metrics(1, 2, 2, 1, 0, 0, 1, 1));
    }

    @Test
    @DisplayName("a loader that returns null fails the load, naming the rule, and nothing is stored")
    void nullValue() {
        Cache<String, String> c = cache((cx, k) -> null).build();
        assertThatThrownBy(() -> c.get(ctx, "k")).isInstanceOf(NullPointerException.class)
                .hasMessage("cache: the loader returned null for key k; a cache holds no nulls");
        assertThat(c.size()).isZero();
        assertThat(c.metrics().loadFailures()).isOne();
    }

    @Test
    @DisplayName("a caller whose context is cancelled stops waiting; the load goes on for the others and is stored,"
            + " under a context no caller's cancel reaches, with the first caller's values")
    void cancelledWaiterLeavesTheLoadRunning() throws Exception {
        Context.Key<String> user = Context.Key.of("user");
        List<String> seen = new ArrayList<>();
        Cache<String, String> c = cache((cx, k) -> {
            started.send(k);
            String v = results.receive();
            seen.add(cx.value(user).orElse("none") + ", done=" + cx.isDone());
            return v;
        }).build();
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext first = Context.withCancel(Context.withValue(ctx, user, "alice"))) {
            Future<ContextCanceledException> a = threads.submitExpecting("a", ContextCanceledException.class,
                    () -> c.get(first, "k"));
            assertThat(started.receive()).isEqualTo("k");
            Future<String> b = threads.submit("b", () -> c.get(ctx, "k"));
            Await.until("b to miss", () -> c.metrics().misses() == 2);
            first.cancel();
            assertThat(a.get()).isSameAs(first.err().orElseThrow());
            assertThat(b).isNotDone();
            results.send("v");
            assertThat(b.get()).isEqualTo("v");
        }
        assertThat(seen).containsExactly("alice, done=false");
        assertThat(c.getIfPresent("k")).contains("v");
        assertThat(c.metrics().loads()).isOne();
    }

    @Test
    @DisplayName("a caller whose deadline passes while it waits throws DeadlineExceededException; the value is stored")
    void deadlineWhileWaiting() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext soon = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
            Future<DeadlineExceededException> get = threads.submitExpecting("get", DeadlineExceededException.class,
                    () -> c.get(soon, "k"));
            started.receive();
            clock.advance(Duration.ofSeconds(1));
            assertThat(get.get()).isSameAs(soon.err().orElseThrow());
            results.send("late");
        }
        Await.until("the load to be stored", () -> c.getIfPresent("k").isPresent());
        assertThat(c.getIfPresent("k")).contains("late");
    }

    @Test
    @DisplayName("a get with its context already done throws its error and loads nothing, even on a hit")
    void doneContextOnEntry() throws Exception {
        Cache<String, String> c = cache(this::counting).build();
        c.put("k", "v");
        CancellableContext done = Context.withCancel(ctx);
        done.cancel();
        assertThatThrownBy(() -> c.get(done, "k")).isSameAs(done.err().orElseThrow());
        assertThatThrownBy(() -> c.get(done, "other")).isSameAs(done.err().orElseThrow());
        assertThat(calls).hasValue(0);
        assertThat(c.metrics()).isEqualTo(metrics(0, 0, 0, 0, 0, 0, 0, 1));
    }

    @Test
    @DisplayName("a get entered with the interrupt flag set throws InterruptedException, clears the flag, loads nothing")
    void interruptedOnEntry() {
        Cache<String, String> c = cache(this::counting).build();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> c.get(ctx, "k")).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(calls).hasValue(0);
        assertThat(c.metrics().misses()).isZero();
    }

    @Test
    @DisplayName("a caller interrupted while it waits throws InterruptedException; the load goes on and is stored")
    void interruptedWhileWaiting() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<InterruptedException> get = threads.submitExpecting("get", InterruptedException.class,
                    () -> c.get(ctx, "k"));
            started.receive();
            Thread caller = threads.threads().getFirst();
            Await.blocked(caller); // past its lookup and its flight's start: it can only be in its select
            caller.interrupt();
            assertThat(get.get()).isNotNull();
            results.send("v");
        }
        Await.until("the load to be stored", () -> c.getIfPresent("k").isPresent());
        assertThat(c.get(ctx, "k")).isEqualTo("v");
        assertThat(calls).hasValue(1);
    }

    @Test
    @DisplayName("invalidate while a load is in flight: its callers get the loaded value, but it is not stored")
    void invalidateRacingLoad() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> get = threads.submit("get", () -> c.get(ctx, "k"));
            started.receive(); // the load has begun
            c.invalidate("k");
            results.send("stale");
            assertThat(get.get()).isEqualTo("stale");
        }
        assertThat(c.getIfPresent("k")).isEmpty();
        assertThat(c.size()).isZero();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> get = threads.submit("get again", () -> c.get(ctx, "k"));
            started.receive();
            results.send("fresh");
            assertThat(get.get()).isEqualTo("fresh");
        }
        assertThat(c.getIfPresent("k")).contains("fresh");
    }

    @Test
    @DisplayName("a get after invalidate does not join the load that began before it: it loads afresh, and only the"
            + " fresh value is stored, whichever load finishes last")
    void getAfterInvalidateLoadsAfresh() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> before = threads.submit("before", () -> c.get(ctx, "k"));
            started.receive();
            c.invalidate("k");
            Future<String> after = threads.submit("after", () -> c.get(ctx, "k"));
            started.receive(); // a second load began while the first is still in flight
            results.send("first to finish");
            results.send("second to finish");
            // Which load got which value depends on which receive the runtime paired first: either way the
            // load that began before invalidate must not have stored its value.
            String got = before.get();
            assertThat(after.get()).isNotEqualTo(got);
            assertThat(c.getIfPresent("k")).contains(after.get());
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    @DisplayName("a put while a load is in flight wins: the load's callers get its value, the cache keeps the put")
    void putRacingLoad() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> get = threads.submit("get", () -> c.get(ctx, "k"));
            started.receive();
            c.put("k", "put");
            results.send("loaded");
            assertThat(get.get()).isEqualTo("loaded");
        }
        assertThat(c.getIfPresent("k")).contains("put");
    }

    @Test
    @DisplayName("invalidateAll empties the cache, and a load in flight does not refill it")
    void invalidateAll() throws Exception {
        Cache<String, String> c = cache(this::gated).build();
        c.put("a", "1");
        c.put("b", "2");
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> get = threads.submit("get", () -> c.get(ctx, "k"));
            started.receive();
            c.invalidateAll();
            assertThat(c.size()).isZero();
            results.send("stale");
            assertThat(get.get()).isEqualTo("stale");
        }
        assertThat(c.size()).isZero();
    }

    @Test
    @DisplayName("at maxSize the least recently used entry is evicted; a get or getIfPresent counts as a use")
    void lruEviction() throws Exception {
        Cache<String, String> c = cache(this::counting).maxSize(2).build();
        c.put("a", "A");
        c.put("b", "B");
        assertThat(c.get(ctx, "a")).isEqualTo("A"); // b is now the least recently used
        c.put("c", "C");
        assertThat(c.getIfPresent("b")).isEmpty();
        assertThat(c.getIfPresent("a")).contains("A"); // c is now the least recently used
        assertThat(c.get(ctx, "d")).isEqualTo("d1");
        assertThat(c.getIfPresent("c")).isEmpty();
        assertThat(c.getIfPresent("a")).contains("A");
        assertThat(c.metrics()).isEqualTo(metrics(1, 1, 1, 0, 0, 2, 0, 2));
    }

    @Test
    @DisplayName("to make room, an expired entry goes before the least recently used one")
    void expiredBeforeLeastRecentlyUsed() throws Exception {
        Cache<String, String> c = cache(this::counting).maxSize(2).build();
        c.put("a", "A");
        clock.advance(Duration.ofSeconds(5));
        c.put("b", "B");
        assertThat(c.getIfPresent("a")).contains("A"); // b is the least recently used, a expires first
        clock.advance(Duration.ofSeconds(5));
        c.put("c", "C");
        assertThat(c.getIfPresent("b")).contains("B");
        assertThat(c.getIfPresent("c")).contains("C");
        assertThat(c.metrics()).isEqualTo(metrics(0, 0, 0, 0, 0, 0, 1, 2));
    }

    @Test
    @DisplayName("bad input fails with a message naming the rule")
    void badInput() {
        Cache.Builder<String, String> b = Cache.builder(this::counting);
        assertThatThrownBy(() -> b.ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cache: ttl must be > 0, was PT0S");
        assertThatThrownBy(() -> b.ttl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cache: ttl must be > 0, was PT-1S");
        assertThatThrownBy(() -> b.negativeTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cache: negativeTtl must be > 0, was PT0S");
        assertThatThrownBy(() -> b.maxSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cache: maxSize must be >= 1, was 0");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("cache: ttl is required: call ttl(Duration) before build()");
        Cache<String, String> c = cache(this::counting).build();
        assertThatThrownBy(() -> c.get(ctx, null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> c.put("k", null)).isInstanceOf(NullPointerException.class).hasMessage("value");
        assertThat(c.getIfPresent("k")).isEqualTo(Optional.empty());
    }
}
