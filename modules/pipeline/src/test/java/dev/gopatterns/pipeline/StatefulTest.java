package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class StatefulTest {

    private static final Context BG = Context.background();

    /** Blocks the owner inside fn until {@code release} closes. */
    private static <S> java.util.function.Function<S, String> holdUntil(Channel<Void> release, Channel<Void> entered) {
        return s -> {
            entered.close();
            try {
                release.receiveOrClosed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        };
    }

    @Test
    void theStateIsCreatedReadAndWrittenOnlyByItsOwner() throws Exception {
        Set<String> touchedBy = ConcurrentHashMap.newKeySet();
        AtomicReference<String> createdBy = new AtomicReference<>();
        try (Stateful<Map<Integer, Integer>> counts = Stateful.start(BG, () -> {
                 createdBy.set(Thread.currentThread().getName());
                 return new HashMap<>();
             });
             TestThreads threads = TestThreads.virtual()) {
            List<Future<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(threads.start("writer-" + w, () -> {
                    for (int i = 0; i < 500; i++) {
                        int key = i % 10;
                        counts.call(BG, m -> {
                            touchedBy.add(Thread.currentThread().getName());
                            return m.merge(key, 1, Integer::sum); // a read-modify-write with no lock
                        });
                    }
                }));
            }
            for (Future<Void> f : writers) {
                f.get();
            }
            int total = counts.call(BG, m -> m.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(total).as("no lost update").isEqualTo(8 * 500);
        }
        assertThat(touchedBy).containsExactly("pipeline-stateful");
        assertThat(createdBy).hasValue("pipeline-stateful");
    }

    @Test
    void closeEndsTheOwnerBeforeItReturnsAndLaterCallsFailWithANamedError() throws InterruptedException {
        Stateful<int[]> s = Stateful.start(BG, () -> new int[1]);
        int first = s.call(BG, a -> ++a[0]);
        assertThat(first).isOne();
        s.close();
        assertThat(s.isEnded()).isTrue();
        assertThat(Stages.liveThreads()).as("close waited for the owner thread").isZero();
        assertThatThrownBy(() -> s.call(BG, a -> a[0]))
                .isInstanceOf(Stateful.EndedException.class)
                .hasMessage("stateful: the owner has ended (closed)");
        s.close(); // idempotent
    }

    @Test
    void pendingCallersGetTheNamedErrorWhenTheOwnersContextEnds() throws Exception {
        Channel<Void> release = Channel.unbuffered();
        Channel<Void> entered = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG);
             Stateful<String> s = Stateful.start(ctx, () -> "state")) {
            Future<String> first = threads.submit("first", () -> s.call(BG, holdUntil(release, entered)));
            entered.receiveOrClosed(); // the owner is busy in the first call
            List<Future<Stateful.EndedException>> pending = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pending.add(threads.submitExpecting("pending-" + i, Stateful.EndedException.class,
                        () -> s.call(BG, x -> x)));
            }
            threads.threads().subList(1, 4).forEach(Await::blocked); // each waits to hand its request over
            ctx.cancel();
            release.close();
            assertThat(first.get()).as("the call the owner had taken is answered").isEqualTo("held");
            for (Future<Stateful.EndedException> p : pending) {
                assertThat(p.get()).hasMessageContaining("its context ended")
                        .hasCauseInstanceOf(ContextCanceledException.class);
            }
        }
    }

    @Test
    void aCallerWhoseOwnContextEndsStopsWaitingAndTheOwnerCarriesOn() throws Exception {
        Channel<Void> release = Channel.unbuffered();
        Channel<Void> entered = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext callerCtx = Context.withCancel(BG);
             Stateful<String> s = Stateful.start(BG, () -> "state")) {
            Future<String> first = threads.submit("first", () -> s.call(BG, holdUntil(release, entered)));
            entered.receiveOrClosed();
            Future<ContextCanceledException> impatient = threads.submitExpecting("impatient",
                    ContextCanceledException.class, () -> s.call(callerCtx, x -> x));
            Await.blocked(threads.threads().get(1));
            callerCtx.cancel();
            assertThat(impatient.get()).isNotNull();
            release.close();
            assertThat(first.get()).isEqualTo("held");
            int length = s.call(BG, String::length);
            assertThat(length).as("the owner is unaffected").isEqualTo(5);
        }
    }

    @Test
    void anExceptionFromFnIsRethrownInTheCallerAndTheOwnerCarriesOn() throws InterruptedException {
        try (Stateful<List<String>> s = Stateful.start(BG, ArrayList::new)) {
            assertThatThrownBy(() -> s.call(BG, l -> {
                l.add("before");
                throw new IllegalArgumentException("boom");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
            List<String> now = s.call(BG, List::copyOf);
            assertThat(now).as("the state as fn left it").containsExactly("before");
        }
    }

    @Test
    void aCallFromTheOwnerItselfFailsFastInsteadOfDeadlocking() throws InterruptedException {
        try (Stateful<String> s = Stateful.start(BG, () -> "x")) {
            AtomicReference<Stateful<String>> self = new AtomicReference<>(s);
            assertThatThrownBy(() -> s.call(BG, x -> {
                try {
                    return self.get().call(BG, y -> y);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            })).hasMessage("stateful: call from its own owner (fn would wait for itself)");
        }
    }

    @Test
    void theOwnerEndsWhenItsContextEnds() {
        try (CancellableContext ctx = Context.withCancel(BG)) {
            Stateful<String> s = Stateful.start(ctx, () -> "x");
            ctx.cancel();
            Await.until("the owner ended", s::isEnded);
        }
        Pipes.awaitStagesEnded();
    }
}
