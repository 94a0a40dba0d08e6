package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class FanOutTest {

    private static final Context BG = Context.background();

    @CapacitySweep
    void everyValueIsWorkedOnOnceAndTheOutputClosesOnceAfterAllWorkers(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            Integer[] values = IntStream.range(0, 300).boxed().toArray(Integer[]::new);
            ReceiveChannel<Integer> out = FanOut.fanOut(BG, feed(threads, capacity, values), 4, v -> -v);
            assertThat(drain(out)).containsExactlyInAnyOrder(IntStream.range(0, 300).map(v -> -v).boxed()
                    .toArray(Integer[]::new));
        }
    }

    @Test
    void theWorkersRunInParallel() throws InterruptedException {
        CountDownLatch allStarted = new CountDownLatch(3);
        ReceiveChannel<String> out = FanOut.fanOut(BG, Sources.generator(BG, 1, 2, 3), 3, v -> {
            allStarted.countDown();
            try {
                allStarted.await(); // only returns if all three values are being worked on at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return "done " + v;
        });
        assertThat(drain(out)).containsExactlyInAnyOrder("done 1", "done 2", "done 3");
    }

    @CapacitySweep
    void cancelEndsEveryWorkerBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Integer> out = FanOut.fanOut(ctx, endless(threads, ctx, capacity), 4, v -> v);
            out.receive();
            ctx.cancel();
            assertThat(drain(out)).hasSizeLessThanOrEqualTo(4);
            awaitStagesEnded();
        }
    }

    @Test
    void aWorkerWhoseFunctionThrowsEndsAndTheOthersCarryOn() throws InterruptedException {
        ReceiveChannel<Integer> out = FanOut.fanOut(BG, Sources.generator(BG, 1, 2, 3, 4, 5, 6), 2, v -> {
            if (v == 3) {
                throw new IllegalArgumentException("three");
            }
            return v;
        });
        assertThat(drain(out)).doesNotContain(3).contains(6);
        assertThat(UncaughtExceptions.take()).singleElement().extracting(Throwable::getMessage).isEqualTo("three");
    }

    @Test
    void needsAWorker() {
        assertThatThrownBy(() -> FanOut.fanOut(BG, Sources.generator(BG), 0, v -> v))
                .hasMessage("fan-out needs at least one worker, was 0");
        awaitStagesEnded();
    }
}
