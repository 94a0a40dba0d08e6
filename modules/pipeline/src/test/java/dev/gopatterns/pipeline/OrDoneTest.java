package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class OrDoneTest {

    private static final Context BG = Context.background();

    @CapacitySweep
    void orDoneForwardsInOrderUntilTheInputCloses(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            assertThat(drain(OrDone.orDone(BG, feed(threads, capacity, 1, 2, 3)))).containsExactly(1, 2, 3);
        }
    }

    @CapacitySweep
    void orDoneEndsALoopWhenTheContextEndsWhileTheInputStaysOpen(int capacity) throws InterruptedException {
        Channel<Integer> silent = Channel.make(capacity); // never closed, never sent on
        try (CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Integer> out = OrDone.orDone(ctx, silent);
            ctx.cancel();
            assertThat(drain(out)).isEmpty(); // the for-range ends
        }
        awaitStagesEnded();
    }

    @CapacitySweep
    void cancelEndsOrDoneBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Integer> out = OrDone.orDone(ctx, endless(threads, ctx, capacity));
            assertThat(out.receive()).isZero();
            ctx.cancel();
            assertThat(drain(out)).hasSizeLessThanOrEqualTo(1);
            awaitStagesEnded();
        }
    }

    @Test
    void orClosesWhenTheFirstInputCloses() throws InterruptedException {
        List<Channel<Void>> dones = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dones.add(Channel.unbuffered());
        }
        ReceiveChannel<Void> any = OrDone.or(dones);
        assertThat(any.tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        dones.get(3).close();
        assertThat(drain(any)).isEmpty();
        awaitStagesEnded(); // one thread for all five inputs, and it has ended
    }

    @Test
    void orOverContextsIsTheEarliestCancellation() throws InterruptedException {
        try (CancellableContext a = Context.withCancel(BG); CancellableContext b = Context.withCancel(BG)) {
            ReceiveChannel<Void> any = OrDone.or(a.done(), b.done());
            b.cancel();
            assertThat(drain(any)).isEmpty();
        }
    }

    @Test
    void orOfNothingIsTheNilChannel() {
        assertThat(OrDone.or()).isSameAs(Channel.nil());
    }
}
