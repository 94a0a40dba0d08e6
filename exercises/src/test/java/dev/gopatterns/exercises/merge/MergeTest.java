package dev.gopatterns.exercises.merge;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `merge`: what {@link Merge#merge} and {@link Merge#fanOut} must do. The inputs are channels the test fills
 * and closes, or holds open and sends on itself; {@link StageThreads} watches the threads running {@code Merge}'s
 * code (are they parked, have they ended, did one die of "close of closed channel"). Every wait is bounded;
 * nothing sleeps.
 *
 * <p>How to run: {@code ./learn check merge}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `merge`: fan-out and fan-in")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MergeTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String CLOSE_ONCE = "close the output once, after every forwarder has ended (a WaitGroup:"
            + " wg.await(), then out.close(), in a closer thread of its own)";

    @Test
    @Order(1)
    @DisplayName("every value of every input comes out exactly once, then the output is closed, once")
    void everyValueOnceThenClosed() throws Exception {
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            ReceiveChannel<Integer> out = merge(ctx, filled(), filled(10, 11, 12), filled(20, 21, 22, 23, 24));
            List<Integer> got = drain(out, "every input was filled and closed");
            stage.assertAllEnd(ONE_SECOND, () -> "every input was drained and closed, so every forwarder should have"
                    + " ended: a forwarder ranges over its input until it is closed");

            if (stage.diedOf("close of closed channel")) {
                stage.assertNoneDied(() -> "the output was closed more than once (\"close of closed channel\"):"
                        + " each forwarder closed it when its own input ended. Only the code that knows every"
                        + " forwarder has ended may close it: " + CLOSE_ONCE);
            }
            stage.assertNoneDied(() -> "the output was closed when the first input ended (the empty one), and the"
                    + " other forwarders' sends failed (\"send on closed channel\"): " + CLOSE_ONCE);
            assertThat(got).as("every value of every input, exactly once, in any order; %d of 8 came out. Values"
                    + " lost: the output was closed when the first input ended, before the others were drained: %s",
                    got.size(), CLOSE_ONCE).containsExactlyInAnyOrder(10, 11, 12, 20, 21, 22, 23, 24);
        }
    }

    @Test
    @Order(2)
    @DisplayName("an input that stays open does not hold up the others: they are forwarded at the same time")
    void openInputDoesNotStarveTheOthers() throws Exception {
        Channel<Integer> quiet = Channel.make(0); // open, and nothing is ever sent on it until the test closes it
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            try {
                ReceiveChannel<Integer> out = merge(ctx, quiet, filled(1, 2, 3));
                for (int expected = 1; expected <= 3; expected++) {
                    TryReceived<Integer> r = out.receive(ONE_SECOND);
                    assertThat(r).as("input 2 was starved: it holds 1, 2, 3, but nothing came out within 1 s while"
                            + " input 1 stayed open (and sent nothing). Forward the inputs at the same time, one"
                            + " forwarder thread per input; do not drain them one after the other")
                            .isInstanceOf(Received.Value.class);
                    assertThat(((Received.Value<Integer>) r).value()).isEqualTo(expected);
                }
                quiet.close();
                assertThat(out.receive(ONE_SECOND)).as("both inputs were drained and closed, so the output must be"
                        + " closed: " + CLOSE_ONCE).isInstanceOf(Received.Closed.class);
                stage.assertAllEnd(ONE_SECOND, () -> "both inputs were closed: every forwarder must end");
            } finally {
                closeQuietly(quiet);
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("the output is closed after the last input ends, not when the first one does")
    void closedAfterTheLastInputNotTheFirst() throws Exception {
        Channel<Integer> first = Channel.make(0);
        Channel<Integer> second = Channel.make(0);
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            try {
                ReceiveChannel<Integer> out = merge(ctx, first, second);
                assertThat(first.send(1, ONE_SECOND)).as("input 1's forwarder did not receive within 1 s: start one"
                        + " forwarder per input").isTrue();
                assertThat(out.receive(ONE_SECOND)).isEqualTo(new Received.Value<>(1));
                first.close(); // input 1 ends first; input 2 goes on

                for (int v = 100; v < 110; v++) {
                    String early = "the output was closed when the first input ended: input 2 was still open and"
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
                assertThat(out.receive(ONE_SECOND)).as("the last input was drained and closed, so the output must"
                        + " be closed within 1 s: " + CLOSE_ONCE).isInstanceOf(Received.Closed.class);
                stage.assertAllEnd(ONE_SECOND, () -> "both inputs were closed: every forwarder must end");
                stage.assertNoneDied(() -> "a stage thread died: " + CLOSE_ONCE);
            } finally {
                closeQuietly(first);
                closeQuietly(second);
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("when the consumer stops and cancels the context, every forwarder ends and the output is closed")
    void consumerStopsAndCancels() throws Exception {
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            ReceiveChannel<Integer> out = merge(ctx, filled(range(0, 50)), filled(range(100, 150)),
                    filled(range(200, 250)));
            for (int i = 0; i < 3; i++) {
                assertThat(out.receive(ONE_SECOND)).as("a value within 1 s").isInstanceOf(Received.Value.class);
            }
            // The consumer stops receiving: each forwarder takes its next value and blocks on its send.
            stage.awaitAllParked(3, "3 inputs full of values and a consumer that stopped receiving: each forwarder"
                    + " blocks on its send");
            ctx.cancel();
            stage.assertAllEnd(ONE_SECOND, () -> "a forwarder's send has no ctx.done() case: the consumer stopped"
                    + " and cancelled the context, but a plain out.send(v) waits for a receiver that will never"
                    + " come, and its thread leaks. Send with Select.select(out.onSend(v, () -> true),"
                    + " ctx.onDone(() -> false)) and return when the context's case fires");
            assertThat(out.receive(ONE_SECOND)).as("every forwarder ended after the cancel, so the output must be"
                    + " closed: " + CLOSE_ONCE).isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(5)
    @DisplayName("fanOut: `workers` workers share the input; each value is worked on once; each output is closed")
    void fanOutSharesTheInput() throws Exception {
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            Set<Thread> workers = ConcurrentHashMap.newKeySet();
            List<ReceiveChannel<Integer>> outs = Background.within(ONE_SECOND, "calls fanOut",
                    () -> Merge.fanOut(ctx, filled(range(0, 30)), 3, v -> {
                        workers.add(Thread.currentThread());
                        return v * 10;
                    }), () -> "fanOut did not return within 1 s: start the workers and return their outputs at once");
            assertThat(outs).as("one output per worker").hasSize(3);
            List<Background<List<Integer>>> drains = new ArrayList<>();
            for (ReceiveChannel<Integer> o : outs) {
                drains.add(Background.start("drains a fan-out output", () -> {
                    List<Integer> got = new ArrayList<>();
                    for (int v : o) {
                        got.add(v);
                    }
                    return got;
                }));
            }
            List<Integer> all = new ArrayList<>();
            for (Background<List<Integer>> d : drains) {
                try (d) {
                    all.addAll(d.await(ONE_SECOND, () -> "a fan-out output was not closed within 1 s of the input"
                            + " being drained: each worker closes its own output when its range over the input"
                            + " ends"));
                }
            }
            assertThat(all).as("each value of the input worked on exactly once, by one of the workers")
                    .containsExactlyInAnyOrderElementsOf(range(0, 30).stream().map(v -> v * 10).toList());
            assertThat(workers).as("the values were worked on by at most `workers` (3) threads")
                    .hasSizeLessThanOrEqualTo(3);
            stage.assertAllEnd(ONE_SECOND, () -> "the input was drained: every fan-out worker must end");
        }
    }

    @Test
    @Order(6)
    @DisplayName("fanOut then merge: when the consumer cancels, the whole pipeline ends")
    void fanOutThenMergeEndsOnCancel() throws Exception {
        try (StageThreads stage = StageThreads.watch(Merge.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            ReceiveChannel<Integer> out = Merge.merge(ctx, Merge.fanOut(ctx, filled(range(0, 100)), 2, v -> v + 1));
            for (int i = 0; i < 3; i++) {
                assertThat(out.receive(ONE_SECOND)).as("a value within 1 s").isInstanceOf(Received.Value.class);
            }
            stage.awaitAllParked(4, "the consumer stopped receiving: the workers and forwarders block on their sends");
            ctx.cancel();
            stage.assertAllEnd(ONE_SECOND, () -> "the consumer cancelled, but a thread of the pipeline did not end:"
                    + " every send, the fan-out workers' as the forwarders', needs a ctx.done() case");
            assertThat(out.receive(ONE_SECOND)).as("the output is closed once the pipeline has ended")
                    .isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(7)
    @DisplayName("fanOut refuses fewer than 1 worker, with a message that names the rule")
    void fanOutRefusesZeroWorkers() throws Exception {
        try {
            Merge.fanOut(Context.background(), filled(1), 0, v -> v);
            fail("fanOut(ctx, in, 0, work) returned: with no worker nothing would ever be worked on; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    @SafeVarargs
    private static ReceiveChannel<Integer> merge(Context ctx, ReceiveChannel<Integer>... inputs) throws Exception {
        return Background.within(ONE_SECOND, "calls merge", () -> Merge.merge(ctx, inputs),
                () -> "merge did not return within 1 s: start the forwarders and return the output at once (the"
                        + " consumer receives while they forward)");
    }

    /** A channel holding {@code values}, closed: a forwarder's range over it ends once it has taken them all. */
    private static Channel<Integer> filled(Integer... values) throws InterruptedException {
        return filled(List.of(values));
    }

    private static Channel<Integer> filled(List<Integer> values) throws InterruptedException {
        Channel<Integer> ch = Channel.make(Math.max(1, values.size()));
        for (int v : values) {
            ch.send(v);
        }
        ch.close();
        return ch;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static List<Integer> drain(ReceiveChannel<Integer> out, String after) throws Exception {
        return Background.within(ONE_SECOND, "receives the output", () -> {
            List<Integer> got = new ArrayList<>();
            for (int v : out) {
                got.add(v);
            }
            return got;
        }, () -> "the output was never closed (still open 1 s after " + after + "), so a range over it never ends: "
                + CLOSE_ONCE);
    }

    private static void closeQuietly(Channel<?> ch) {
        try {
            ch.close();
        } catch (RuntimeException alreadyClosed) {
            // the test closed it already
        }
    }
}
