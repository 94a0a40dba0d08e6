package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    // ------------------------------------------------------------------------------ acquire as a select case

    @Test
    @DisplayName("onAcquire fires at once when units are free, taking them; a select with nothing ready takes its default")
    void acquireCaseReady() throws Exception {
        Semaphore s = new Semaphore(2);
        Channel<String> quit = Channel.unbuffered();
        assertThat(Select.select(s.onAcquire(2, () -> "admitted"), quit.onReceive(v -> "quit"))).isEqualTo("admitted");
        assertThat(s.held()).isEqualTo(2);
        assertThat(Select.selectNow(() -> "full", s.onAcquire(1, () -> "admitted"))).isEqualTo("full");
        assertThat(s.held()).as("a case that did not fire takes nothing").isEqualTo(2);
        assertThat(s.waiting()).isZero();
    }

    @Test
    @DisplayName("a blocked onAcquire fires when units are released; the other case's channel is left untouched")
    void acquireCaseWakesOnRelease() throws Exception {
        Semaphore s = new Semaphore(1);
        s.acquire(1);
        Channel<String> other = Channel.make(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> f = threads.submit("selector",
                    () -> Select.select(s.onAcquire(1, () -> "admitted"), other.onReceive(v -> "other " + v)));
            Await.until("the select waits in the semaphore's queue", () -> s.waiting() == 1);
            s.release(1);
            assertThat(f.get()).isEqualTo("admitted");
        }
        assertThat(s.held()).isEqualTo(1);
        assertThat(s.waiting()).isZero();
        assertThat(other.trySend("still empty")).isTrue();
    }

    @Test
    @DisplayName("when another case fires first, onAcquire takes nothing and leaves the queue, so the next waiter is served")
    void acquireCaseLoses() throws Exception {
        Semaphore s = new Semaphore(1);
        s.acquire(1);
        Channel<String> quit = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> selector = threads.submit("selector",
                    () -> Select.select(s.onAcquire(1, () -> "admitted"), quit.onReceive(v -> "quit")));
            Await.until("the select waits", () -> s.waiting() == 1);
            Future<Void> second = threads.start("second", () -> s.acquire(1));
            Await.until("a plain acquire waits behind it", () -> s.waiting() == 2);
            quit.send("stop");
            assertThat(selector.get()).isEqualTo("quit");
            s.release(1);
            second.get(); // served: the select's ticket is gone, it did not keep the units
        }
        assertThat(s.held()).isEqualTo(1);
        assertThat(s.waiting()).isZero();
    }

    @Test
    @DisplayName("onAcquire larger than the semaphore is never ready, as Acquire(n > size) in Go")
    void acquireCaseTooLarge() throws Exception {
        Semaphore s = new Semaphore(3);
        assertThat(Select.selectNow(() -> "never", s.onAcquire(4, () -> "admitted"))).isEqualTo("never");
        assertThat(s.waiting()).isZero();
        assertThatThrownBy(() -> s.onAcquire(-1, () -> "x")).hasMessage("units must be >= 0, was -1");
    }

    @Test
    @DisplayName("select over two semaphores and a channel: exactly one fires per round, units and values are conserved")
    void exactlyOneCaseStress() throws Exception {
        Semaphore a = new Semaphore(1); // one unit each and four selectors: they queue and are handed units
        Semaphore b = new Semaphore(1);
        Channel<Integer> tokens = Channel.make(4);
        Channel<Void> quit = Channel.unbuffered();
        int selectors = 4;
        int rounds = 5_000;
        AtomicInteger fromA = new AtomicInteger();
        AtomicInteger fromB = new AtomicInteger();
        AtomicInteger fromChannel = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> feeder = threads.start("feeder", () -> {
                for (int i = 0; ; i++) {
                    boolean more = Select.select(tokens.onSend(i, () -> true), quit.onReceiveOrClosed(r -> false));
                    if (!more) {
                        return;
                    }
                    sent.incrementAndGet();
                }
            });
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < selectors; w++) {
                workers.add(threads.start("selector-" + w, () -> {
                    for (int i = 0; i < rounds; i++) {
                        int which = Select.select(
                                a.onAcquire(1, () -> 0), b.onAcquire(1, () -> 1), tokens.onReceive(v -> 2));
                        switch (which) {
                            case 0 -> {
                                assertThat(a.held()).isEqualTo(1);
                                fromA.incrementAndGet();
                                a.release(1);
                            }
                            case 1 -> {
                                assertThat(b.held()).isEqualTo(1);
                                fromB.incrementAndGet();
                                b.release(1);
                            }
                            default -> fromChannel.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<Void> w : workers) {
                w.get();
            }
            quit.close();
            feeder.get();
        }
        assertThat(fromA.get() + fromB.get() + fromChannel.get()).as("one case per select").isEqualTo(selectors * rounds);
        assertThat(fromA.get()).as("the semaphore cases fired too").isPositive();
        assertThat(fromB.get()).isPositive();
        assertThat(sent.get() - fromChannel.get()).as("every value sent was received or is still buffered")
                .isEqualTo(tokens.length());
        assertThat(a.held() + b.held()).isZero();
        assertThat(a.waiting() + b.waiting()).as("no ticket left behind").isZero();
    }
}
