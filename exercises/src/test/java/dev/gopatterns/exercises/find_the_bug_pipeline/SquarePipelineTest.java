package dev.gopatterns.exercises.find_the_bug_pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.StageThreads;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `find_the_bug_pipeline`: the rules {@link SquarePipeline} must follow. As shipped it breaks some of them; these tests say
 * which, in plain words. Some run the whole pipeline; others run one stage on channels the test fills, or holds
 * open and sends on itself. {@link StageThreads} watches the threads that run {@code SquarePipeline}'s code: whether
 * they are parked, whether they end, and whether one died of an exception.
 *
 * <p>How to run: {@code ./learn check find_the_bug_pipeline}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `find_the_bug_pipeline`: find the bugs in a pipeline")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SquarePipelineTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String CLOSE_ONCE = "merge may close its output only once, after every forwarder has"
            + " ended (a WaitGroup: wg.await(), then out.close(), in a closer thread of its own)";

    private static final String SQUARE_LEAKS = "square's send has no ctx.done() case: its consumer stopped and"
            + " cancelled the context, but square is blocked in a plain out.send(n * n) that only a receiver can"
            + " end, and no receiver will ever come: its thread leaks. Send in a select with a ctx.onDone case";

    @Test
    @Order(1)
    @DisplayName("the sum of the squares of 1..20 is 2870, and every stage ends")
    void sumOfSquares() throws Exception {
        try (StageThreads stage = StageThreads.watch(SquarePipeline.class)) {
            List<Integer> numbers = IntStream.rangeClosed(1, 20).boxed().toList();
            long sum = Background.within(ONE_SECOND, "calls sumOfSquares",
                    () -> SquarePipeline.sumOfSquares(Context.background(), numbers),
                    () -> "sumOfSquares did not return within 1 s for 20 numbers: is merge's output ever closed?");
            boolean ended = stage.awaitAllEnd(ONE_SECOND);

            if (stage.diedOf("close of closed channel")) {
                stage.assertNoneDied(() -> "merge closed its output more than once (\"close of closed channel\"):"
                        + " each forwarder closed it when its own input ended; " + CLOSE_ONCE);
            }
            assertThat(sum).as("the sum of the squares of 1..20 is 2870, but the pipeline gave %d: squares were"
                    + " lost. merge closed its output when its first input ended, so the sum stopped early and the"
                    + " other forwarder's values were dropped; %s", sum, CLOSE_ONCE).isEqualTo(2870L);
            stage.assertNoneDied(() -> "a stage thread died of an exception; " + CLOSE_ONCE);
            if (!ended) {
                stage.assertAllEnd(Duration.ZERO, () -> "the sum came out, but a stage thread is still running 1 s"
                        + " later: every stage ends when its input is drained");
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("square: when its consumer stops and cancels, square's thread ends")
    void squareEndsWhenItsConsumerStops() throws Exception {
        try (StageThreads stage = StageThreads.watch(SquarePipeline.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            ReceiveChannel<Integer> out = SquarePipeline.square(ctx, filled(IntStream.range(0, 50).boxed().toList()));
            assertThat(out.receive(ONE_SECOND)).as("square of 0").isEqualTo(new Received.Value<>(0));
            assertThat(out.receive(ONE_SECOND)).as("square of 1").isEqualTo(new Received.Value<>(1));
            // The consumer stops receiving: square takes its next number and blocks on its send.
            stage.awaitAllParked(1, "square's input is full and its consumer stopped receiving: it blocks on its"
                    + " send");
            ctx.cancel();
            stage.assertAllEnd(ONE_SECOND, () -> SQUARE_LEAKS);
            assertThat(out.receive(ONE_SECOND)).as("square ended, so its output must be closed")
                    .isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(3)
    @DisplayName("merge: the output is closed once, after both inputs end, not when the first one does")
    void mergeClosesAfterTheLastInput() throws Exception {
        Channel<Integer> first = Channel.make(0);
        Channel<Integer> second = Channel.make(0);
        try (StageThreads stage = StageThreads.watch(SquarePipeline.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            try {
                ReceiveChannel<Integer> out = SquarePipeline.merge(ctx, List.of(first, second));
                assertThat(first.send(1, ONE_SECOND)).as("merge's forwarder of input 1 did not receive within 1 s")
                        .isTrue();
                assertThat(out.receive(ONE_SECOND)).isEqualTo(new Received.Value<>(1));
                first.close(); // input 1 ends first; input 2 goes on

                for (int v = 100; v < 110; v++) {
                    String early = "merge closed its output when its first input ended: input 2 was still open and"
                            + " sending, and its value " + v + " %s. " + CLOSE_ONCE;
                    if (!second.send(v, ONE_SECOND)) {
                        fail(early.formatted("was not even received by its forwarder within 1 s (did it die of"
                                + " \"send on closed channel\"? " + stage.died() + ")"));
                    }
                    TryReceived<Integer> r = out.receive(ONE_SECOND);
                    assertThat(r).as(early, r instanceof Received.Closed ? "found the output closed"
                            : "did not come out within 1 s").isEqualTo(new Received.Value<>(v));
                }
                second.close();
                assertThat(out.receive(ONE_SECOND)).as("both inputs were drained and closed, so merge's output must"
                        + " be closed within 1 s: " + CLOSE_ONCE).isInstanceOf(Received.Closed.class);
                stage.assertAllEnd(ONE_SECOND, () -> "both inputs were closed: every forwarder of merge must end");
                stage.assertNoneDied(() -> "a thread of merge died; " + CLOSE_ONCE);
            } finally {
                closeQuietly(first);
                closeQuietly(second);
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("sumOfFirst: the consumer stops after n squares, and every stage of the pipeline ends")
    void stopsEarlyAndLeavesNoThread() throws Exception {
        try (StageThreads stage = StageThreads.watch(SquarePipeline.class)) {
            List<Integer> threes = Collections.nCopies(200, 3);
            long sum = Background.within(ONE_SECOND, "calls sumOfFirst",
                    () -> SquarePipeline.sumOfFirst(Context.background(), threes, 5),
                    () -> "sumOfFirst did not return within 1 s of 5 squares being available");
            assertThat(sum).as("the first 5 squares of 3 sum to 45, but the pipeline gave %d: if less, fewer than 5"
                    + " squares came out before the output was closed: merge closed its output when its first input"
                    + " ended; %s", sum, CLOSE_ONCE).isEqualTo(45L);
            stage.assertAllEnd(ONE_SECOND, () -> "sumOfFirst stopped early and cancelled the context, but a stage of"
                    + " the pipeline did not end. Every send of every stage needs a ctx.done() case; if square's is a"
                    + " plain out.send, " + SQUARE_LEAKS);
        }
    }

    @Test
    @Order(5)
    @DisplayName("source: when its consumer cancels, the source ends and closes its output")
    void sourceEndsWhenCancelled() throws Exception {
        try (StageThreads stage = StageThreads.watch(SquarePipeline.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            ReceiveChannel<Integer> out = SquarePipeline.source(ctx, List.of(1, 2, 3, 4));
            assertThat(out.receive(ONE_SECOND)).isEqualTo(new Received.Value<>(1));
            stage.awaitAllParked(1, "the consumer stopped receiving: the source blocks on its send");
            ctx.cancel();
            stage.assertAllEnd(ONE_SECOND, () -> "the source's send has no ctx.done() case");
            assertThat(out.receive(ONE_SECOND)).as("the source ended, so its output is closed")
                    .isInstanceOf(Received.Closed.class);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Channel<Integer> filled(List<Integer> values) throws InterruptedException {
        Channel<Integer> ch = Channel.make(values.size());
        for (int v : values) {
            ch.send(v);
        }
        ch.close();
        return ch;
    }

    private static void closeQuietly(Channel<?> ch) {
        try {
            ch.close();
        } catch (RuntimeException alreadyClosed) {
            // the test closed it already
        }
    }
}
