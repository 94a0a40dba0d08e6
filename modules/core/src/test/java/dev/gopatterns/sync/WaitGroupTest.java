package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WaitGroupTest {

    @Test
    @DisplayName("await returns once every go-started task has finished, and sees their effects")
    void goAndAwait() throws Exception {
        WaitGroup wg = new WaitGroup();
        AtomicInteger sum = new AtomicInteger();
        int[] plain = new int[100];
        for (int i = 0; i < 100; i++) {
            int k = i;
            wg.go(() -> {
                plain[k] = k; // published by done() -> await()
                sum.addAndGet(k);
            });
        }
        wg.await();
        assertThat(sum.get()).isEqualTo(4950);
        for (int i = 0; i < 100; i++) {
            assertThat(plain[i]).isEqualTo(i);
        }
        assertThat(wg.count()).isZero();
    }

    @Test
    @DisplayName("await blocks while the counter is positive, and a zero counter does not block")
    void awaitBlocks() throws Exception {
        WaitGroup wg = new WaitGroup();
        wg.await(); // zero: returns at once
        wg.add(2);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> waiter = threads.start("waiter", wg::await);
            Await.blocked(threads.threads().getFirst());
            wg.done();
            assertThat(waiter).isNotDone();
            wg.done();
            waiter.get();
        }
    }

    @Test
    @DisplayName("a negative counter fails with Go's message and leaves the counter unchanged")
    void negativeCounter() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        assertThatThrownBy(() -> wg.add(-2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("sync: negative WaitGroup counter");
        assertThat(wg.count()).isEqualTo(1);
        wg.done();
        assertThatThrownBy(wg::done).hasMessage("sync: negative WaitGroup counter");
    }

    @Test
    @DisplayName("a task that throws still counts as done")
    void throwingTaskCountsAsDone() throws Exception {
        WaitGroup wg = new WaitGroup();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        AtomicInteger reported = new AtomicInteger();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
        try {
            wg.go(() -> {
                throw new IllegalStateException("task failed");
            });
            wg.await();
            Await.until("the failure to be reported to the uncaught-exception handler", () -> reported.get() == 1);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    @DisplayName("a waiter can be interrupted")
    void interruptibleAwait() throws Exception {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> waiter = threads.submit("waiter", () -> {
                try {
                    wg.await();
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            Thread t = threads.threads().getFirst();
            Await.blocked(t);
            t.interrupt();
            assertThat(waiter.get()).isTrue();
        }
    }
}
