package dev.gopatterns.resource;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ResourcePool}: reuse, the bound, waiting, health, failures and close, with a counting factory. */
class ResourcePoolTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    /** A connection-like resource that counts how often it is closed (destroyed). */
    static final class Conn implements AutoCloseable {
        final int id;
        final AtomicInteger closes = new AtomicInteger();
        volatile boolean healthy = true;

        Conn(int id) {
            this.id = id;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        @Override
        public String toString() {
            return "conn" + id;
        }
    }

    private final List<Conn> made = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    private Conn open(Context c) {
        Conn conn = new Conn(ids.incrementAndGet());
        made.add(conn);
        return conn;
    }

    private ResourcePool.Builder<Conn> pool(int maxSize) {
        return ResourcePool.builder(this::open).maxSize(maxSize).clock(clock);
    }

    private void assertEachDestroyedOnce() {
        assertThat(made).allSatisfy(c -> assertThat(c.closes).as("%s destroyed", c).hasValue(1));
    }

    private static void awaitWaiting(ResourcePool<?> p, int n) {
        Await.until(() -> n + " acquires waiting (" + p.metrics().waiting() + ")", () -> p.metrics().waiting() == n);
    }

    @Test
    @DisplayName("a resource given back is lent again: one is created for a sequence of acquires")
    void reuse() throws Exception {
        try (ResourcePool<Conn> p = pool(2).build()) {
            Conn first;
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                first = lease.get();
            }
            assertThat(p.metrics().idle()).isOne();
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                assertThat(lease.get()).isSameAs(first);
                assertThat(p.metrics().leased()).isOne();
            }
            assertThat(p.metrics()).isEqualTo(new ResourcePool.Metrics(1, 0, 0, 0, 0, 0, 1, 0, 0, 2));
            dev.gopatterns.metrics.Snapshot s = p.snapshot();
            assertThat(s.component()).isEqualTo("resource_pool");
            assertThat(s.counter("created")).isEqualTo(1);
            assertThat(s.gauge("idle")).isEqualTo(1);
            assertThat(s.gauge("max_size")).isEqualTo(2);
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("64 virtual threads x 50 acquires on maxSize 4: never more than 4 exist or are lent at once, and"
            + " each created resource is destroyed exactly once after close")
    void boundUnderContention() throws Exception {
        int max = 4;
        AtomicInteger live = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger maxInUse = new AtomicInteger();
        ResourcePool<Conn> p = ResourcePool.<Conn>builder(c -> {
            maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
            return open(c);
        }).maxSize(max).destroyer(conn -> {
            live.decrementAndGet();
            conn.close();
        }).healthCheck(conn -> conn.id % 3 != 0).build(); // every third is "broken" on return: churn
        try (TestThreads threads = TestThreads.virtual()) {
            for (int t = 0; t < 64; t++) {
                threads.start("worker " + t, () -> {
                    for (int i = 0; i < 50; i++) {
                        try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                            maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                            assertThat(lease.get().closes).hasValue(0);
                            Thread.yield();
                            inUse.decrementAndGet();
                        }
                    }
                });
            }
        }
        ResourcePool.Metrics m = p.metrics();
        assertThat(maxInUse.get()).isBetween(1, max);
        assertThat(maxLive.get()).isBetween(1, max);
        assertThat(m.leased()).isZero();
        assertThat(m.waiting()).isZero();
        assertThat(m.created() - m.destroyed()).isEqualTo(m.idle());
        assertThat(m.unhealthy()).isEqualTo(m.destroyed());
        p.close();
        assertThat(p.metrics().created()).isEqualTo(made.size()).isEqualTo(p.metrics().destroyed());
        assertThat(live).hasValue(0);
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("a waiting acquire gets the next resource given back, the same one")
    void waiterGetsTheNextReturned() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build(); TestThreads threads = TestThreads.virtual()) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            Conn conn = held.get();
            Future<Conn> waiter = threads.submit("waiter", () -> {
                try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                    return lease.get();
                }
            });
            awaitWaiting(p, 1);
            assertThat(waiter).isNotDone();
            held.close();
            assertThat(waiter.get()).isSameAs(conn);
            assertThat(p.metrics().created()).isOne();
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("an acquire whose context is cancelled while it waits throws the context's error and takes nothing")
    void cancelWhileWaiting() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build(); TestThreads threads = TestThreads.virtual();
             CancellableContext mine = Context.withCancel(ctx)) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            Future<ContextCanceledException> waiter = threads.submitExpecting("waiter",
                    ContextCanceledException.class, () -> p.acquire(mine));
            awaitWaiting(p, 1);
            mine.cancel();
            assertThat(waiter.get()).isSameAs(mine.err().orElseThrow());
            assertThat(p.metrics().waiting()).isZero();
            held.close();
            assertThat(p.metrics()).isEqualTo(new ResourcePool.Metrics(1, 0, 0, 0, 0, 1, 1, 0, 0, 1));
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("an acquire whose deadline passes while it waits throws DeadlineExceededException")
    void deadlineWhileWaiting() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build(); TestThreads threads = TestThreads.virtual();
             CancellableContext soon = Context.withTimeout(ctx, Duration.ofSeconds(1))) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            Future<DeadlineExceededException> waiter = threads.submitExpecting("waiter",
                    DeadlineExceededException.class, () -> p.acquire(soon));
            awaitWaiting(p, 1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(waiter.get()).isSameAs(soon.err().orElseThrow());
            held.close();
            assertThat(p.metrics().acquireTimeouts()).isOne();
        }
    }

    @Test
    @DisplayName("a resource that fails its health check on return is destroyed, and the next acquire creates another")
    void unhealthyOnReturn() throws Exception {
        try (ResourcePool<Conn> p = pool(1).healthCheck(c -> c.healthy).build()) {
            Conn first;
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                first = lease.get();
                first.healthy = false;
            }
            assertThat(first.closes).hasValue(1);
            assertThat(p.metrics().idle()).isZero();
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                assertThat(lease.get()).isNotSameAs(first);
            }
            assertThat(p.metrics()).isEqualTo(new ResourcePool.Metrics(2, 1, 1, 0, 0, 0, 1, 0, 0, 1));
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("an unhealthy resource given back frees its slot: the waiting acquire creates a fresh one")
    void unhealthyReturnWakesWaiterToCreate() throws Exception {
        try (ResourcePool<Conn> p = pool(1).healthCheck(c -> c.healthy).build();
             TestThreads threads = TestThreads.virtual()) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            Future<Integer> waiter = threads.submit("waiter", () -> {
                try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                    return lease.get().id;
                }
            });
            awaitWaiting(p, 1);
            held.get().healthy = false;
            held.close();
            assertThat(waiter.get()).isEqualTo(2);
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("discard destroys the resource at once and frees its slot")
    void discard() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build()) {
            ResourcePool.Lease<Conn> lease = p.acquire(ctx);
            Conn broken = lease.get();
            lease.discard();
            assertThat(broken.closes).hasValue(1);
            try (ResourcePool.Lease<Conn> next = p.tryAcquire(ctx).orElseThrow()) {
                assertThat(next.get()).isNotSameAs(broken);
            }
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("a factory failure is thrown to the acquirer and frees the slot, for a waiter as for the next call")
    void factoryFailureFreesTheSlot() throws Exception {
        IOException refused = new IOException("connection refused");
        Channel<Boolean> gate = Channel.unbuffered();
        ResourcePool<Conn> p = ResourcePool.<Conn>builder(c -> {
            if (ids.get() == 0 && gate.receive()) { // the first create waits for the test, then fails
                ids.incrementAndGet();
                throw refused;
            }
            return open(c);
        }).maxSize(1).build();
        try (p; TestThreads threads = TestThreads.virtual()) {
            Future<IOException> first = threads.submitExpecting("first", IOException.class, () -> p.acquire(ctx));
            Await.blocked(threads.threads().getFirst()); // in the factory, on the gate: it holds the slot
            Future<Integer> waiter = threads.submit("waiter", () -> {
                try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                    return lease.get().id;
                }
            });
            awaitWaiting(p, 1);
            gate.send(true);
            assertThat(first.get()).isSameAs(refused);
            assertThat(waiter.get()).isEqualTo(2);
            assertThat(p.metrics().failedCreates()).isOne();
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("a factory that returns null fails the acquire, naming the rule, and frees the slot")
    void factoryReturnsNull() throws Exception {
        try (ResourcePool<Conn> p = ResourcePool.<Conn>builder(c -> null).maxSize(1).build()) {
            assertThatThrownBy(() -> p.acquire(ctx)).isInstanceOf(NullPointerException.class)
                    .hasMessage("resource pool: the factory returned null");
            assertThatThrownBy(() -> p.acquire(ctx)).isInstanceOf(NullPointerException.class);
            assertThat(p.metrics().failedCreates()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("ending a lease twice does nothing; get after the end fails, naming the rule")
    void leaseEndsOnce() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build()) {
            ResourcePool.Lease<Conn> lease = p.acquire(ctx);
            Conn conn = lease.get();
            lease.close();
            lease.close();
            lease.discard(); // ended already: does not destroy a resource that is someone else's now
            assertThat(conn.closes).hasValue(0);
            assertThat(p.metrics().idle()).isOne();
            assertThat(p.metrics().leased()).isZero();
            assertThatThrownBy(lease::get).isInstanceOf(IllegalStateException.class)
                    .hasMessage("resource pool: lease used after it ended (close or discard)");
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("close destroys the idle resources at once, a lent one when its lease ends, and refuses new acquires")
    void closeDestroysIdleNowAndLentOnReturn() throws Exception {
        ResourcePool<Conn> p = pool(2).build();
        ResourcePool.Lease<Conn> lent = p.acquire(ctx);
        p.acquire(ctx).close();
        Conn idle = made.get(1);
        p.close();
        assertThat(idle.closes).hasValue(1);
        assertThat(lent.get().closes).hasValue(0);
        assertThatThrownBy(() -> p.acquire(ctx)).isInstanceOf(IllegalStateException.class)
                .hasMessage("resource pool: closed");
        assertThatThrownBy(() -> p.tryAcquire(ctx)).isInstanceOf(IllegalStateException.class)
                .hasMessage("resource pool: closed");
        Conn lentConn = lent.get();
        lent.close();
        assertThat(lentConn.closes).hasValue(1);
        p.close(); // idempotent
        assertThat(p.metrics()).isEqualTo(new ResourcePool.Metrics(2, 2, 0, 0, 0, 0, 0, 0, 0, 2));
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("close wakes every waiting acquire with \"resource pool: closed\"")
    void closeWakesWaiters() throws Exception {
        ResourcePool<Conn> p = pool(1).build();
        try (TestThreads threads = TestThreads.virtual()) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            List<Future<IllegalStateException>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(threads.submitExpecting("waiter " + i, IllegalStateException.class,
                        () -> p.acquire(ctx)));
            }
            awaitWaiting(p, 3);
            p.close();
            for (Future<IllegalStateException> w : waiters) {
                assertThat(w.get()).hasMessage("resource pool: closed");
            }
            held.close();
        }
        assertThat(p.metrics().waiting()).isZero();
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("a resource idle for maxIdleTime is destroyed instead of lent; one idle for less is reused")
    void maxIdleTime() throws Exception {
        try (ResourcePool<Conn> p = pool(1).maxIdleTime(Duration.ofMinutes(1)).build()) {
            p.acquire(ctx).close();
            clock.advance(Duration.ofMinutes(1).minusNanos(1));
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                assertThat(lease.get().id).isEqualTo(1);
            }
            clock.advance(Duration.ofMinutes(1));
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                assertThat(lease.get().id).isEqualTo(2);
            }
            assertThat(made.getFirst().closes).hasValue(1);
            assertThat(p.metrics().unhealthy()).isOne();
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("with checkOnBorrow an idle resource that went bad is destroyed and another is lent")
    void checkOnBorrow() throws Exception {
        try (ResourcePool<Conn> p = pool(1).healthCheck(c -> c.healthy).checkOnBorrow().build()) {
            p.acquire(ctx).close();
            made.getFirst().healthy = false; // broke while idle
            try (ResourcePool.Lease<Conn> lease = p.acquire(ctx)) {
                assertThat(lease.get().id).isEqualTo(2);
            }
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("tryAcquire lends an idle one or creates one under maxSize, and is empty when all are lent")
    void tryAcquire() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build()) {
            ResourcePool.Lease<Conn> lease = p.tryAcquire(ctx).orElseThrow();
            assertThat(p.tryAcquire(ctx)).isEmpty();
            lease.close();
            try (ResourcePool.Lease<Conn> again = p.tryAcquire(ctx).orElseThrow()) {
                assertThat(again.get().id).isEqualTo(1);
            }
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("an acquire entered with the interrupt flag set throws InterruptedException, clears it, takes nothing")
    void interruptedOnEntry() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build()) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> p.acquire(ctx)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(p.metrics().created()).isZero();
        }
    }

    @Test
    @DisplayName("an acquire interrupted while it waits throws InterruptedException; the next resource given back"
            + " stays idle")
    void interruptedWhileWaiting() throws Exception {
        try (ResourcePool<Conn> p = pool(1).build(); TestThreads threads = TestThreads.virtual()) {
            ResourcePool.Lease<Conn> held = p.acquire(ctx);
            Future<InterruptedException> waiter = threads.submitExpecting("waiter", InterruptedException.class,
                    () -> p.acquire(ctx));
            awaitWaiting(p, 1);
            threads.threads().getFirst().interrupt();
            assertThat(waiter.get()).isNotNull();
            held.close();
            assertThat(p.metrics().idle()).isOne();
        }
        assertEachDestroyedOnce();
    }

    @Test
    @DisplayName("a destroyer that throws is counted and reported, not thrown, and the slot is freed all the same")
    void destroyerFailure() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread me = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = me.getUncaughtExceptionHandler();
        me.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        IllegalStateException boom = new IllegalStateException("close failed");
        try (ResourcePool<Conn> p = pool(1).destroyer(c -> {
            throw boom;
        }).build()) {
            p.acquire(ctx).discard();
            assertThat(reported).containsExactly(boom);
            assertThat(p.metrics().destroyFailures()).isOne();
            ResourcePool.Lease<Conn> next = p.tryAcquire(ctx).orElseThrow(); // the slot is free
            next.discard();
            assertThat(reported).containsExactly(boom, boom);
        } finally {
            me.setUncaughtExceptionHandler(before);
        }
    }

    @Test
    @DisplayName("bad input fails with a message naming the rule")
    void badInput() {
        ResourcePool.Builder<Conn> b = ResourcePool.builder(this::open);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("resource pool: maxSize is required: call maxSize(int) before build()");
        assertThatThrownBy(() -> b.maxSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource pool: maxSize must be >= 1, was 0");
        assertThatThrownBy(() -> b.maxIdleTime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource pool: maxIdleTime must be > 0, was PT0S");
        assertThatThrownBy(() -> b.maxIdleTime(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource pool: maxIdleTime must be > 0, was PT-1S");
    }
}
