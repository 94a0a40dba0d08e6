package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class TeeTest {

    private static final Context BG = Context.background();

    @CapacitySweep
    void bothOutputsGetEveryValueInOrderThenBothClose(int capacity) throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            Tee<Integer> tee = Tee.tee(BG, feed(threads, capacity, 1, 2, 3, 4));
            Future<List<Integer>> second = threads.submit("second", () -> drain(tee.second()));
            assertThat(drain(tee.first())).containsExactly(1, 2, 3, 4);
            assertThat(second.get()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void lockStepTheNextValueIsNotReadBeforeBothHaveTheCurrentOne() throws InterruptedException {
        Channel<Integer> in = Channel.buffered(2);
        in.send(1);
        in.send(2);
        in.close();
        Tee<Integer> tee = Tee.tee(BG, in);
        assertThat(tee.first().receive()).isEqualTo(1);
        // 1 has not reached the second output yet, so 2 stays in the input, and the first output has nothing
        assertThat(in.length()).isEqualTo(1);
        assertThat(tee.first().tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        assertThat(tee.second().receive()).isEqualTo(1);
        assertThat(tee.second().receive()).isEqualTo(2); // either output may take a value first
        assertThat(tee.first().receive()).isEqualTo(2);
        assertThat(drain(tee.first())).isEmpty();
        assertThat(drain(tee.second())).isEmpty();
    }

    @CapacitySweep
    void cancelEndsATeeBlockedOnAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            Tee<Integer> tee = Tee.tee(ctx, endless(threads, ctx, capacity));
            assertThat(tee.first().receive()).isZero();
            assertThat(tee.second().receive()).isZero();
            assertThat(tee.first().receive()).isOne();
            // the second consumer stopped reading: the tee waits to hand it 1
            ctx.cancel();
            assertThat(drain(tee.second())).hasSizeLessThanOrEqualTo(1);
            assertThat(drain(tee.first())).hasSizeLessThanOrEqualTo(1);
            awaitStagesEnded();
        }
    }
}
