package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class BridgeTest {

    private static final Context BG = Context.background();

    @CapacitySweep
    void flattensInOrderThenClosesOnce(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            ReceiveChannel<ReceiveChannel<Integer>> chans = feed(threads, capacity,
                    feed(threads, capacity, 1, 2), feed(threads, capacity), feed(threads, capacity, 3, 4, 5));
            assertThat(drain(Bridge.bridge(BG, chans))).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @CapacitySweep
    void cancelEndsABridgeBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            Channel<ReceiveChannel<Integer>> chans = Channel.make(capacity);
            threads.start("chans", () -> chans.send(endless(threads, ctx, capacity))); // outer never closed
            ReceiveChannel<Integer> out = Bridge.bridge(ctx, chans);
            assertThat(out.receive()).isZero();
            ctx.cancel();
            assertThat(drain(out)).hasSizeLessThanOrEqualTo(1);
            awaitStagesEnded();
        }
    }
}
