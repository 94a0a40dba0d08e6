package dev.gopatterns.exercises.ordered_parallel_map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.exercises.StageThreads;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `ordered_parallel_map`: what {@link OrderedMap#orderedMap} must do. The function mapped is the test's hook: a {@link JobLog}
 * job per value, which counts how many calls run at once and waits, while the test holds it, until it is released
 * or its context ends. The input is a channel the test fills and closes, so the test can count how many values the
 * stage has taken from it. {@link StageThreads} watches the threads running {@code OrderedMap}'s code. Every wait
 * is bounded; nothing sleeps.
 *
 * <p>How to run: {@code ./learn check ordered_parallel_map}
 */
@HangTimeout(seconds = 12) // above Eventually's 5 s, so "N in flight" fails in its own words
@DisplayName("Exercise `ordered_parallel_map`: an ordered parallel map")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderedMapTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("the results come out in the input's order, whatever order the calls finish in")
    void inputOrder() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(OrderedMap.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            List<String> values = List.of("a", "b", "c", "d", "e", "f");
            values.forEach(log::hold);
            ReceiveChannel<String> out = start(ctx, filled(values), 3, log);
            try (Background<List<String>> consumer = Background.start("receives the output", () -> drain(out))) {
                int done = 0;
                while (done < values.size()) {
                    int due = Math.min(3, values.size() - done);
                    log.awaitRunning(due, "parallelism 3 and " + (values.size() - done) + " values to go");
                    for (String v : log.running().reversed()) { // the newest call finishes first
                        log.release(v);
                        log.awaitFinished(v, "it was released");
                        done++;
                    }
                }
                List<String> got = consumer.await(ONE_SECOND, () -> "the output was not closed within 1 s of the"
                        + " last call finishing: close it once the input is drained and every result sent");
                assertThat(got).as("the calls finished c, b, a, f, e, d; the output must keep the input's order:"
                        + " result i is f(value i), whatever order the calls finish in. Send each value's result"
                        + " channel into the order channel in input order, and emit from there")
                        .containsExactly("A", "B", "C", "D", "E", "F");
            }
            stage.assertAllEnd(ONE_SECOND, () -> "the input was drained and every result sent: every thread of the"
                    + " stage must end");
        }
    }

    @Test
    @Order(2)
    @DisplayName("`parallelism` calls of f are in flight at once, never more")
    void parallelism() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(OrderedMap.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            List<String> values = List.of("a", "b", "c", "d", "e", "f", "g", "h");
            values.forEach(log::hold);
            ReceiveChannel<String> out = start(ctx, filled(values), 3, log);
            try (Background<List<String>> consumer = Background.start("receives the output", () -> drain(out))) {
                for (int done = 0; done < values.size(); done++) {
                    int due = Math.min(3, values.size() - done);
                    log.awaitRunning(due, "with parallelism 3, 3 items must be in flight at once while values are"
                            + " waiting: start `parallelism` workers, and let the dispatcher hand each one a value"
                            + " without waiting for the previous result");
                    assertThat(log.active.get()).as("with parallelism 3 at most 3 calls may run at once, but %d"
                            + " did", log.active.get()).isLessThanOrEqualTo(3);
                    // Released in input order, not in the order the calls started: the workers may start b
                    // before a, and with a held the read-ahead bound (rightly) keeps the stage from taking more.
                    String next = values.get(done);
                    assertThat(log.running()).as("values %s are done and the dispatcher hands values out in"
                            + " input order, so %s must be among the %d calls in flight", values.subList(0, done),
                            next, due).contains(next);
                    log.release(next);
                    log.awaitFinished(next, "it was released");
                }
                assertThat(consumer.await(ONE_SECOND, () -> "the output was not closed within 1 s of the last call"
                        + " finishing")).containsExactly("A", "B", "C", "D", "E", "F", "G", "H");
                assertThat(log.maxActive.get()).as("with parallelism 3 at most 3 calls may run at once, but %d did",
                        log.maxActive.get()).isLessThanOrEqualTo(3);
            }
            stage.assertAllEnd(ONE_SECOND, () -> "every thread of the stage must end once the input is drained");
        }
    }

    @Test
    @Order(3)
    @DisplayName("a consumer that does not receive holds the stage back: at most parallelism + 2 values are taken")
    void boundedReadAhead() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(OrderedMap.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            List<String> values = IntStream.range(0, 100).mapToObj(i -> String.format("v%03d", i)).toList();
            Channel<String> in = filled(values);
            ReceiveChannel<String> out = start(ctx, in, 3, log);
            // Nobody receives: the stage takes what it may, then every thread of it blocks.
            Eventually.until(() -> values.size() - in.length() >= 3, () -> "the stage to take 3 values from its"
                    + " input (it took " + (values.size() - in.length()) + ")");
            stage.awaitAllParked(1, "the consumer does not receive: the stage takes what it may and blocks");
            int taken = values.size() - in.length();
            assertThat(taken).as("with parallelism 3 and a consumer that does not receive, at most 5 values may be"
                    + " taken from the input (3 result channels in the order channel, one result the emitter holds,"
                    + " one value the dispatcher holds), but %d were: the stage read ahead of the consumer without"
                    + " bound. Make the order channel of capacity `parallelism`, and let the dispatcher send each"
                    + " value's result channel into it before it takes the next value", taken)
                    .isLessThanOrEqualTo(5);
            List<String> got = Background.within(ONE_SECOND, "receives the output", () -> drain(out),
                    () -> "the output was not closed within 1 s of the consumer starting to receive");
            assertThat(got).as("every result, in the input's order")
                    .containsExactlyElementsOf(values.stream().map(String::toUpperCase).toList());
            stage.assertAllEnd(ONE_SECOND, () -> "every thread of the stage must end once the input is drained");
        }
    }

    @Test
    @Order(4)
    @DisplayName("when the consumer stops and cancels, every thread of the stage ends and the output is closed")
    void consumerCancels() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(OrderedMap.class);
             CancellableContext ctx = Context.withCancel(Context.background())) {
            List<String> values = IntStream.range(0, 100).mapToObj(i -> "v" + i).toList();
            ReceiveChannel<String> out = start(ctx, filled(values), 3, log);
            assertThat(out.receive(ONE_SECOND)).isEqualTo(new Received.Value<>("V0"));
            assertThat(out.receive(ONE_SECOND)).isEqualTo(new Received.Value<>("V1"));
            stage.awaitAllParked(1, "the consumer stopped receiving: every thread of the stage blocks");
            ctx.cancel();
            stage.assertAllEnd(ONE_SECOND, () -> "the stage leaked when the consumer cancelled: a thread of it is"
                    + " blocked in a send or receive without a ctx.done() case (the emitter's send on the output,"
                    + " most likely: nobody will ever receive it). Every blocking step needs a ctx.onDone case");
            assertThat(out.receive(ONE_SECOND)).as("the stage ended, so its output must be closed")
                    .isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(5)
    @DisplayName("parallelism below 1 is refused at once, with a message that names the rule")
    void zeroParallelismRefused() throws Exception {
        try {
            OrderedMap.orderedMap(Context.background(), filled(List.of("a")), 0, (ctx, v) -> v);
            fail("orderedMap(ctx, in, 0, f) returned: with no worker nothing would ever come out; it must throw"
                    + " IllegalArgumentException(\"parallelism must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("parallelism must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static ReceiveChannel<String> start(Context ctx, ReceiveChannel<String> in, int parallelism, JobLog log)
            throws Exception {
        return Background.within(ONE_SECOND, "calls orderedMap", () -> OrderedMap.orderedMap(ctx, in, parallelism,
                log::run), () -> "orderedMap did not return within 1 s: start the stage and return its output at"
                + " once (the consumer receives while it works)");
    }

    private static Channel<String> filled(List<String> values) throws InterruptedException {
        Channel<String> ch = Channel.make(values.size());
        for (String v : values) {
            ch.send(v);
        }
        ch.close();
        return ch;
    }

    private static List<String> drain(ReceiveChannel<String> out) {
        List<String> got = new ArrayList<>();
        for (String v : out) {
            got.add(v);
        }
        return got;
    }
}
