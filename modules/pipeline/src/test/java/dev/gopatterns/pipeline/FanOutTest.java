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

    @Test
    void roundRobinDealsValuesInTurnKeepingTheirOrder() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            Integer[] values = IntStream.range(0, 9).boxed().toArray(Integer[]::new);
            java.util.List<ReceiveChannel<Integer>> outs = FanOut.roundRobin(BG, feed(threads, 0, values), 3);
            java.util.List<java.util.concurrent.Future<java.util.List<Integer>>> got = new java.util.ArrayList<>();
            for (ReceiveChannel<Integer> out : outs) {
                got.add(threads.submit("reader", () -> drain(out)));
            }
            assertThat(got.get(0).get()).containsExactly(0, 3, 6);
            assertThat(got.get(1).get()).containsExactly(1, 4, 7);
            assertThat(got.get(2).get()).containsExactly(2, 5, 8);
        }
    }

    @Test
    void partitionSendsEqualKeysToOneOutputInOrder() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            Integer[] values = IntStream.range(0, 300).boxed().toArray(Integer[]::new);
            java.util.List<ReceiveChannel<Integer>> outs = FanOut.partition(BG, feed(threads, 4, values), 4, v -> v % 10);
            java.util.List<java.util.concurrent.Future<java.util.List<Integer>>> got = new java.util.ArrayList<>();
            for (ReceiveChannel<Integer> out : outs) {
                got.add(threads.submit("reader", () -> drain(out)));
            }
            java.util.Map<Integer, Integer> outputOfKey = new java.util.HashMap<>();
            int total = 0;
            for (int i = 0; i < outs.size(); i++) {
                java.util.List<Integer> mine = got.get(i).get();
                assertThat(mine).as("output %d keeps the input order", i).isSorted();
                for (int v : mine) {
                    Integer before = outputOfKey.putIfAbsent(v % 10, i);
                    assertThat(before == null ? i : before).as("key %d on one output", v % 10).isEqualTo(i);
                }
                total += mine.size();
            }
            assertThat(total).isEqualTo(300);
        }
    }

    @Test
    void aRouterStopsWhenTheContextEndsAndClosesEveryOutput() throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            java.util.List<ReceiveChannel<Integer>> outs = FanOut.roundRobin(ctx, endless(threads, ctx, 0), 2);
            outs.get(0).receive(); // output 1 is never read: the router blocks on it
            ctx.cancel();
            for (ReceiveChannel<Integer> out : outs) {
                assertThat(drain(out)).hasSizeLessThanOrEqualTo(1);
            }
            awaitStagesEnded();
        }
        assertThatThrownBy(() -> FanOut.roundRobin(BG, dev.gopatterns.chan.Channel.<Integer>unbuffered(), 0))
                .hasMessage("fan-out needs at least one worker, was 0");
    }
}
