package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SemaphoreTest {

    @Test
    @DisplayName("acquire takes units while they last; tryAcquire fails without blocking when they do not")
    void basics() throws Exception {
        Semaphore s = new Semaphore(10);
        s.acquire(7);
        assertThat(s.tryAcquire(4)).isFalse();
        assertThat(s.tryAcquire(3)).isTrue();
        assertThat(s.held()).isEqualTo(10);
        s.release(10);
        assertThat(s.held()).isZero();
    }

    @Test
    @DisplayName("releasing more than held fails with Go's message and changes nothing")
    void overRelease() throws Exception {
        Semaphore s = new Semaphore(3);
        s.acquire(2);
        assertThatThrownBy(() -> s.release(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("semaphore: released more than held");
        assertThat(s.held()).isEqualTo(2);
        assertThatThrownBy(() -> new Semaphore(-1)).hasMessage("semaphore size must be >= 0, was -1");
        assertThatThrownBy(() -> s.acquire(-1)).hasMessage("units must be >= 0, was -1");
    }

    @Test
    @DisplayName("waiters are served in FIFO order: a large request is not starved by later small ones")
    void fifoNoStarvation() throws Exception {
        Semaphore s = new Semaphore(10);
        s.acquire(8); // 2 left
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> big = threads.start("big", () -> s.acquire(10));
            Await.until("the big request to wait", () -> s.waiting() == 1);
            Future<Void> small = threads.start("small", () -> s.acquire(1));
            Await.until("the small request to queue behind it", () -> s.waiting() == 2);
            assertThat(s.tryAcquire(1)).as("tryAcquire may not jump the queue either").isFalse();
            s.release(8);
            big.get();
            assertThat(small).as("small waits behind big").isNotDone();
            s.release(10);
            small.get();
        }
        assertThat(s.held()).isEqualTo(1);
    }

    @Test
    @DisplayName("a context that ends stops the wait with its error and leaves the semaphore unchanged")
    void contextEndsWait() throws Exception {
        Semaphore s = new Semaphore(1);
        s.acquire(1);
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withTimeout(Context.background(clock), Duration.ofSeconds(1));
        try (TestThreads threads = TestThreads.virtual()) {
            Future<DeadlineExceededException> r = threads.submitExpecting("waiter", DeadlineExceededException.class,
                    () -> s.acquire(ctx, 1));
            Await.until("the waiter to queue", () -> s.waiting() == 1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isInstanceOf(DeadlineExceededException.class);
        }
        assertThat(s.waiting()).isZero();
        assertThat(s.held()).isEqualTo(1);
    }

    @Test
    @DisplayName("when the front waiter gives up, the waiters behind it that now fit are granted")
    void frontWaiterLeaves() throws Exception {
        Semaphore s = new Semaphore(4);
        s.acquire(3);
        CancellableContext bigCtx = Context.withCancel(Context.background());
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ContextCanceledException> big = threads.submitExpecting("big", ContextCanceledException.class,
                    () -> s.acquire(bigCtx, 4));
            Await.until("big to wait", () -> s.waiting() == 1);
            Future<Void> small = threads.start("small", () -> s.acquire(1));
            Await.until("small to wait", () -> s.waiting() == 2);
            bigCtx.cancel();
            assertThat(big.get()).isInstanceOf(ContextCanceledException.class);
            small.get();
        }
        assertThat(s.held()).isEqualTo(4);
    }

    @Test
    @DisplayName("a context already done fails acquire even when units are free, as in x/sync")
    void doneContextFailsAtOnce() {
        Semaphore s = new Semaphore(5);
        CancellableContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThatThrownBy(() -> s.acquire(ctx, 1)).isInstanceOf(ContextCanceledException.class);
        assertThat(s.held()).isZero();
    }

    @Test
    @DisplayName("a request larger than the semaphore waits for the context to end, as in Go")
    void tooLarge() throws Exception {
        Semaphore s = new Semaphore(2);
        CancellableContext ctx = Context.withCancel(Context.background());
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ContextCanceledException> r = threads.submitExpecting("greedy", ContextCanceledException.class,
                    () -> s.acquire(ctx, 3));
            Await.blocked(threads.threads().getFirst());
            ctx.cancel();
            assertThat(r.get()).isInstanceOf(ContextCanceledException.class);
        }
    }

    @Test
    @DisplayName("never over-grants: concurrent holders never exceed the size")
    void neverOverGrants() throws Exception {
        Semaphore s = new Semaphore(5);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            for (int t = 0; t < 16; t++) {
                int w = 1 + t % 3;
                threads.start("worker-" + t, () -> {
                    for (int i = 0; i < 2_000; i++) {
                        s.acquire(w);
                        int now = inside.addAndGet(w);
                        max.accumulateAndGet(now, Math::max);
                        inside.addAndGet(-w);
                        s.release(w);
                    }
                });
            }
        }
        assertThat(max.get()).isLessThanOrEqualTo(5);
        assertThat(s.held()).isZero();
    }

    @Test
    @DisplayName("an interrupted waiter throws, is dequeued, and takes nothing")
    void interrupted() throws Exception {
        Semaphore s = new Semaphore(1);
        s.acquire(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> r = threads.submit("waiter", () -> {
                try {
                    s.acquire(1);
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            Await.until("the waiter to queue", () -> s.waiting() == 1);
            threads.threads().getFirst().interrupt();
            assertThat(r.get()).isTrue();
        }
        assertThat(s.waiting()).isZero();
        s.release(1);
        assertThat(s.tryAcquire(1)).isTrue();
    }
}
