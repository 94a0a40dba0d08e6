package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.TestThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ErrGroupTest {

    @Test
    @DisplayName("await waits for every task and returns normally when none failed")
    void allSucceed() throws Exception {
        AtomicInteger sum = new AtomicInteger();
        try (ErrGroup g = ErrGroup.create()) {
            for (int i = 1; i <= 100; i++) {
                int k = i;
                g.go(() -> sum.addAndGet(k));
            }
            g.await();
        }
        assertThat(sum.get()).isEqualTo(5050);
    }

    @Test
    @DisplayName("the first error wins, is thrown by await, and cancels the group's context with it as cause")
    void firstErrorWins() throws Exception {
        CancellableContext parent = Context.withCancel(Context.background());
        IllegalStateException boom = new IllegalStateException("boom");
        try (ErrGroup g = ErrGroup.withContext(parent)) {
            CountDownLatch othersBlocked = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                g.go(() -> {
                    othersBlocked.countDown();
                    Channel.unbuffered().receive(); // blocks until the group's context interrupts it
                });
            }
            othersBlocked.await();
            g.go(() -> {
                throw boom;
            });
            assertThatThrownBy(g::await).isInstanceOf(ExecutionException.class).hasCause(boom);
            assertThat(g.context().cause()).containsSame(boom);
        }
        assertThat(parent.isDone()).as("the parent is not cancelled by the group").isFalse();
    }

    @Test
    @DisplayName("without withContext, one failure does not stop the others, and await still reports it")
    void plainGroupDoesNotCancel() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        try (ErrGroup g = ErrGroup.create()) {
            g.go(() -> {
                throw new java.io.IOException("one failed");
            });
            for (int i = 0; i < 5; i++) {
                g.go(finished::incrementAndGet);
            }
            assertThatThrownBy(g::await).hasCauseInstanceOf(java.io.IOException.class);
        }
        assertThat(finished.get()).isEqualTo(5);
    }

    @Test
    @DisplayName("setLimit bounds the number of active tasks; tryGo refuses when full")
    void limit() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        try (ErrGroup g = ErrGroup.create()) {
            g.setLimit(3);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 3; i++) {
                g.go(() -> {
                    max.accumulateAndGet(active.incrementAndGet(), Math::max);
                    release.await();
                    active.decrementAndGet();
                });
            }
            assertThat(g.tryGo(() -> { })).as("a 4th task while 3 are active").isFalse();
            assertThatThrownBy(() -> g.setLimit(5)).hasMessageStartingWith("errgroup: modify limit while");
            release.countDown();
            for (int i = 0; i < 20; i++) {
                g.go(() -> {
                    max.accumulateAndGet(active.incrementAndGet(), Math::max);
                    active.decrementAndGet();
                });
            }
            g.await();
        }
        assertThat(max.get()).isLessThanOrEqualTo(3);
    }

    @Test
    @DisplayName("an exception in the owner cannot leak tasks: close cancels, interrupts and waits for them all")
    void ownerFailureDoesNotLeakTasks() throws Exception {
        AtomicInteger stopped = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(4);
        assertThatThrownBy(() -> {
            try (ErrGroup g = ErrGroup.withContext(Context.background())) {
                for (int i = 0; i < 4; i++) {
                    g.go(() -> {
                        started.countDown();
                        try {
                            Channel.unbuffered().receive();
                        } finally {
                            stopped.incrementAndGet();
                        }
                    });
                }
                started.await();
                throw new IllegalArgumentException("owner gave up");
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessage("owner gave up")
                .satisfies(e -> assertThat(e.getSuppressed()).as("cancellations are not task failures").isEmpty());
        assertThat(stopped.get()).as("every task ended before close returned").isEqualTo(4);
    }

    @Test
    @DisplayName("a failure nobody awaited is reported by close, not lost")
    void unreportedFailureSurfacesAtClose() {
        assertThatThrownBy(() -> {
            try (ErrGroup g = ErrGroup.create()) {
                CountDownLatch failed = new CountDownLatch(1);
                g.go(() -> {
                    try {
                        throw new IllegalStateException("lost?");
                    } finally {
                        failed.countDown();
                    }
                });
                failed.await(); // close() must still find the failure: it waits for the task first
            }
        }).isInstanceOf(ExecutionException.class).hasRootCauseMessage("lost?");
    }

    @Test
    @DisplayName("a group can be reused after await, as in Go; close reports a failure of the second round")
    void reuseAfterAwait() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> {
            try (ErrGroup g = ErrGroup.create()) {
                g.go(runs::incrementAndGet);
                g.await();
                g.go(runs::incrementAndGet);
                g.await();
                g.go(() -> {
                    throw new java.io.IOException("round three");
                });
            }
        }).isInstanceOf(ExecutionException.class).hasRootCauseMessage("round three");
        assertThat(runs.get()).isEqualTo(2);

        try (ErrGroup g = ErrGroup.withContext(Context.background())) {
            g.await();
            g.go(() -> assertThat(g.context().isDone()).as("Go: the task runs, with the context cancelled").isTrue());
            g.go(runs::incrementAndGet);
            g.await();
        }
        assertThat(runs.get()).isEqualTo(3);
    }

    @Test
    @DisplayName("close interrupts a task in any state, also one whose thread starts after close cancelled the group")
    void closeInterruptsTaskThatStartsLate() throws Exception {
        // No latch: the task's thread may start before, during or after close(), and each of those must end.
        // On the old code this hung within a few iterations (the task started after close swept the running set).
        for (int i = 0; i < 20_000; i++) {
            Channel<Integer> never = Channel.unbuffered();
            ErrGroup g = ErrGroup.create();
            g.go(() -> {
                never.receive();
            });
            g.close();
        }
    }

    @Test
    @DisplayName("a task started after the context ended is interrupted at once: it never blocks in a done context")
    void taskStartedInDoneContextIsInterrupted() throws Exception {
        CancellableContext parent = Context.withCancel(Context.background());
        parent.cancel();
        try (ErrGroup g = ErrGroup.withContext(parent)) {
            g.go(() -> Channel.unbuffered().receive());
            assertThatThrownBy(g::await).isInstanceOf(ExecutionException.class)
                    .cause().as("the interrupt was the context's, so await reports the context's error")
                    .isInstanceOf(ContextCanceledException.class);
        }
    }

    @Test
    @DisplayName("go racing close from another thread: the task is either rejected naming the rule, or run and awaited")
    void goRacingClose() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            for (int i = 0; i < 2_000; i++) {
                ErrGroup g = ErrGroup.create();
                AtomicInteger ended = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> submitter = threads.submit("submitter", () -> {
                    go.await();
                    try {
                        g.go(() -> {
                            try {
                                Channel.unbuffered().receive();
                            } finally {
                                ended.incrementAndGet();
                            }
                        });
                        return true;
                    } catch (IllegalStateException e) {
                        assertThat(e).hasMessage("errgroup: go on a closed group");
                        return false;
                    }
                });
                go.countDown();
                g.close();
                boolean accepted = submitter.get();
                if (accepted) {
                    assertThat(ended.get()).as("an accepted task ended before close returned").isEqualTo(1);
                } else {
                    assertThat(ended.get()).isZero();
                }
            }
        }
    }

    @Test
    @DisplayName("close does not excuse a cancellation it did not make: a parent's cancel is reported as the failure")
    void parentCancelReportedAtClose() throws Exception {
        for (int i = 0; i < 200; i++) { // no latch: the task may fail before, during or after close
            CancellableContext parent = Context.withCancel(Context.background());
            ErrGroup g = ErrGroup.withContext(parent);
            g.go(() -> Channel.unbuffered().receive());
            parent.cancel();
            assertThatThrownBy(g::close).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ContextCanceledException.class);
        }
    }

    @Test
    @DisplayName("go on a closed group fails naming the rule")
    void closedGroup() throws Exception {
        ErrGroup g = ErrGroup.create();
        g.await();
        g.close();
        assertThatThrownBy(() -> g.go(() -> { })).hasMessage("errgroup: go on a closed group");
    }
}
