package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class ReplicatedTest {

    private static final Context BG = Context.background();

    /** A replica that answers only when its context ends: it selects on done(), as a Go replica would. */
    private static Replicated.Request<String> untilCancelled(AtomicBoolean sawCancel, AtomicInteger started) {
        return c -> {
            started.incrementAndGet();
            c.done().receiveOrClosed();
            sawCancel.set(true);
            throw c.err().orElseThrow();
        };
    }

    /** A replica blocked in an interruptible wait that knows nothing of contexts. */
    private static Replicated.Request<String> blockedInterruptibly(AtomicBoolean sawCancel, AtomicInteger started) {
        return c -> {
            started.incrementAndGet();
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException e) {
                sawCancel.set(true);
                throw e;
            }
        };
    }

    @Test
    void theFirstSuccessWinsAndEveryLoserHasEndedWhenTheCallReturns() throws Exception {
        AtomicBoolean selectCancelled = new AtomicBoolean();
        AtomicBoolean interruptCancelled = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        String r = Replicated.first(BG, List.of(
                untilCancelled(selectCancelled, started),
                blockedInterruptibly(interruptCancelled, started),
                c -> {
                    Await.until("both losers are waiting", () -> started.get() == 2);
                    return "fast";
                }));
        assertThat(r).isEqualTo("fast");
        assertThat(selectCancelled).as("the loser selecting on done() saw the cancel").isTrue();
        assertThat(interruptCancelled).as("the loser in an interruptible wait was interrupted").isTrue();
        assertThat(Stages.liveThreads()).as("no replica thread outlives the call: checked at once, not awaited")
                .isZero();
    }

    @Test
    void exactlyOneResultWhenSeveralSucceed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        for (int round = 0; round < 200; round++) {
            int r = Replicated.first(BG, 4, c -> calls.incrementAndGet());
            assertThat(r).isPositive();
            assertThat(Stages.liveThreads()).isZero();
        }
    }

    @Test
    void whenEveryReplicaFailsTheFirstFailureIsTheCauseAndTheOthersAreSuppressed() {
        assertThatThrownBy(() -> Replicated.first(BG, List.<Replicated.Request<String>>of(
                c -> { throw new IOException("a"); },
                c -> { throw new IllegalStateException("b"); },
                c -> null)))
                .isInstanceOfSatisfying(ExecutionException.class, e -> {
                    assertThat(e).hasMessageContaining("every replica failed (3)");
                    assertThat(e.getSuppressed()).hasSize(2);
                    List<String> all = new java.util.ArrayList<>();
                    all.add(e.getCause().getMessage());
                    Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).forEach(all::add);
                    assertThat(all).containsExactlyInAnyOrder("a", "b", "replica 2 returned null");
                    assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getSuppressed))
                            .as("no replica's own exception was changed").allMatch(s -> s.length == 0);
                });
        assertThat(Stages.liveThreads()).isZero();
    }

    @Test
    void aFailureDoesNotHideALaterSuccess() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        String r = Replicated.first(BG, List.of(
                c -> {
                    failed.countDown();
                    throw new IOException("down");
                },
                c -> {
                    failed.await();
                    return "up";
                }));
        assertThat(r).isEqualTo("up");
    }

    @Test
    void theEndOfTheCallersContextEndsTheCallWithItsError() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicBoolean a = new AtomicBoolean();
        AtomicBoolean b = new AtomicBoolean();
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            Future<ContextCanceledException> call = threads.submitExpecting("caller", ContextCanceledException.class,
                    () -> Replicated.first(ctx, List.of(untilCancelled(a, started), blockedInterruptibly(b, started))));
            Await.until("both replicas are waiting", () -> started.get() == 2);
            ctx.cancel();
            assertThat(call.get()).isInstanceOf(ContextException.class);
            assertThat(a).isTrue();
            assertThat(b).isTrue();
        }
        assertThat(Stages.liveThreads()).isZero();
    }

    @Test
    void interruptingTheCallerEndsEveryReplicaBeforeItThrows() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger liveWhenThrown = new AtomicInteger(-1);
        AtomicBoolean flagWhenThrown = new AtomicBoolean(true);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> call = threads.start("caller", () -> {
                try {
                    Replicated.first(BG, List.of(untilCancelled(new AtomicBoolean(), started),
                            blockedInterruptibly(new AtomicBoolean(), started)));
                } catch (InterruptedException expected) {
                    liveWhenThrown.set(Stages.liveThreads());
                    flagWhenThrown.set(Thread.currentThread().isInterrupted());
                }
            });
            Await.until("both replicas are waiting", () -> started.get() == 2);
            threads.threads().getFirst().interrupt();
            call.get();
        }
        assertThat(liveWhenThrown).as("replica threads left when InterruptedException was thrown").hasValue(0);
        assertThat(flagWhenThrown).as("the flag is clear: the exception reports the interrupt").isFalse();
    }

    @Test
    void thereMustBeAReplica() {
        assertThatThrownBy(() -> Replicated.first(BG, 0, c -> "x"))
                .hasMessage("replicated request needs at least one replica, was 0");
        assertThatThrownBy(() -> Replicated.first(BG, List.<Replicated.Request<String>>of()))
                .hasMessage("replicated request needs at least one replica, was 0");
    }
}
