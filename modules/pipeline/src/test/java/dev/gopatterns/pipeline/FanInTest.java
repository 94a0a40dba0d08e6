package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class FanInTest {

    private static final Context BG = Context.background();

    private static Integer[] range(int from, int to) {
        return IntStream.range(from, to).boxed().toArray(Integer[]::new);
    }

    @CapacitySweep
    void mergeDeliversEveryValueOnceKeepingEachInputsOrder(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            List<Integer> got = drain(FanIn.merge(BG,
                    feed(threads, capacity, range(0, 100)),
                    feed(threads, capacity, range(100, 200)),
                    feed(threads, capacity)));
            assertThat(got).containsExactlyInAnyOrder(range(0, 200));
            assertThat(got.stream().filter(v -> v < 100)).isSorted();
            assertThat(got.stream().filter(v -> v >= 100)).isSorted();
        } // UncaughtExceptions: no forwarder closed the output a second time
    }

    @Test
    void mergeClosesOnlyAfterEveryInputHasClosed() throws InterruptedException {
        Channel<Integer> a = Channel.unbuffered();
        Channel<Integer> b = Channel.unbuffered();
        ReceiveChannel<Integer> out = FanIn.merge(BG, a, b);
        a.close();
        awaitStageThreads(1); // a's forwarder is gone, b's still waits
        assertThat(out.tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        b.send(7);
        assertThat(out.receive()).isEqualTo(7);
        b.close();
        assertThat(drain(out)).isEmpty();
    }

    @Test
    void mergeOfNothingIsClosedAtOnce() throws InterruptedException {
        assertThat(drain(FanIn.merge(BG, List.<ReceiveChannel<Integer>>of()))).isEmpty();
    }

    @CapacitySweep
    void cancelEndsEveryForwarderBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Integer> out = FanIn.merge(ctx,
                    endless(threads, ctx, capacity), endless(threads, ctx, capacity), endless(threads, ctx, capacity));
            out.receive();
            ctx.cancel();
            assertThat(drain(out)).hasSizeLessThanOrEqualTo(3);
            awaitStagesEnded();
        }
    }

    @CapacitySweep
    void mergeSequencedRestoresTheOrderAFanOutLost(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            ReceiveChannel<Sequenced<Integer>> numbered = Sequenced.numbered(BG, feed(threads, capacity, range(0, 500)));
            List<ReceiveChannel<Sequenced<Integer>>> workers =
                    FanOut.workers(BG, numbered, 4, s -> s.with(s.value() * 2));
            assertThat(drain(FanIn.mergeSequenced(BG, 3, workers)))
                    .containsExactly(IntStream.range(0, 500).map(i -> i * 2).boxed().toArray(Integer[]::new));
        }
    }

    @Test
    void aValueBeyondTheWindowHoldsBackItsInput() throws InterruptedException {
        Channel<Sequenced<String>> late = Channel.unbuffered();
        Channel<Sequenced<String>> ahead = Channel.buffered(10);
        for (int seq = 1; seq <= 5; seq++) {
            ahead.send(new Sequenced<>(seq, "v" + seq));
        }
        ReceiveChannel<String> out = FanIn.mergeSequenced(BG, 2, late, ahead);
        // window 2 while waiting for 0 covers 0 and 1: it holds 1, and 2 as its input's one early value;
        // then it stops reading that input, so 3, 4 and 5 stay there
        Await.until("the merger holds 1 and 2", () -> ahead.length() == 3);
        assertThat(out.tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        late.send(new Sequenced<>(0, "v0"));
        late.close();
        ahead.close();
        assertThat(drain(out)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void aMissingNumberIsSkippedOnceItCanNoLongerArrive() throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            ReceiveChannel<String> out = FanIn.mergeSequenced(BG, 4,
                    feed(threads, 0, new Sequenced<>(0, "a"), new Sequenced<>(3, "d")),
                    feed(threads, 0, new Sequenced<>(1, "b"), new Sequenced<>(9, "j")));
            assertThat(drain(out)).containsExactly("a", "b", "d", "j");
        }
    }

    @Test
    void aNumberArrivingTwiceEndsTheStage() throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            ReceiveChannel<String> out = FanIn.mergeSequenced(BG, 4,
                    feed(threads, 2, new Sequenced<>(0, "a"), new Sequenced<>(0, "again")));
            assertThat(drain(out)).containsExactly("a");
            assertThat(UncaughtExceptions.take()).singleElement()
                    .isInstanceOf(IllegalStateException.class)
                    .extracting(Throwable::getMessage).asString().contains("sequence number 0");
        }
    }

    @CapacitySweep
    void cancelEndsMergeSequencedBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Sequenced<Integer>> numbered = Sequenced.numbered(ctx, endless(threads, ctx, capacity));
            ReceiveChannel<Integer> out = FanIn.mergeSequenced(ctx, 8, FanOut.workers(ctx, numbered, 3, s -> s));
            assertThat(out.receive()).isZero();
            assertThat(out.receive()).isOne();
            ctx.cancel();
            assertThat(drain(out)).hasSizeLessThanOrEqualTo(1);
            awaitStagesEnded();
        }
    }

    @Test
    void windowMustBePositive() {
        assertThatThrownBy(() -> FanIn.mergeSequenced(BG, 0, List.<ReceiveChannel<Sequenced<Integer>>>of()))
                .hasMessage("reorder window must be >= 1, was 0");
    }

    private static void awaitStageThreads(int left) {
        Await.until(() -> Stages.liveThreads() + " stage threads, expected " + left,
                () -> Stages.liveThreads() == left);
    }
}
