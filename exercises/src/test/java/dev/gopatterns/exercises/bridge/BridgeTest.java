package dev.gopatterns.exercises.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.AssertionFailedError;

/**
 * Exercise `bridge`: what {@link Bridge#bridge} must do. The test makes the outer channel and the inner channels,
 * fills, closes or leaves them open, reads the bridge's channel itself and cancels the context; every read is
 * bounded by a second, so a channel that is never closed fails in words instead of hanging. Where a test needs the
 * bridge to have settled, it waits until every thread running the bridge's code is parked. Nothing sleeps. Every
 * thread the bridge starts must have ended when a test returns (the thread-leak check).
 *
 * <p>How to run: {@code ./learn check bridge}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `bridge`: a channel of channels, flattened in order")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgeTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String ONE_AFTER_ANOTHER = "bridge must read the inner channels one after another, in the"
            + " order the outer channel gives them: drain one, then take the next; reading them in threads of their"
            + " own mixes their values";
    private static final String ONLY_OUTER_ENDS = "only the end of the outer channel (or of ctx) ends the bridge:"
            + " when an inner channel is closed, take the next one from the outer channel";

    @Test
    @Order(1)
    @DisplayName("bridge gives the values of each inner channel in turn, in order, and closes out after the last")
    void flattensInOrder() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try {
            List<String> expected = new ArrayList<>();
            Channel<ReceiveChannel<String>> chans = Channel.make(3);
            for (String name : List.of("a", "b", "c")) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= 30; i++) {
                    values.add(name + i);
                }
                expected.addAll(values);
                chans.send(filled(values));
            }
            chans.close();

            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            List<String> got = new ArrayList<>();
            for (;;) {
                Received<String> r = receive(out, () -> "out was not closed 1 s after the outer channel was closed"
                        + " and its last inner channel drained (it gave " + got.size() + " values): out must be"
                        + " closed once the outer channel is closed and its last inner channel drained");
                if (!(r instanceof Received.Value<String>(String v))) {
                    break;
                }
                got.add(v);
            }
            if (got.size() < expected.size() && got.equals(expected.subList(0, got.size()))) {
                throw new AssertionFailedError("out was closed after " + got.size() + " of the " + expected.size()
                        + " values, when an inner channel ended: " + ONLY_OUTER_ENDS);
            }
            assertThat(got).as("%s. It gave %s", ONE_AFTER_ANOTHER, got).containsExactlyElementsOf(expected);
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("bridge does not touch the next inner channel while the current one is open")
    void readsTheNextInnerChannelOnlyOnceTheCurrentOneIsClosed() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> first = Channel.make(1);
        Channel<String> second = Channel.make(1);
        try {
            first.send("a1"); // first stays open for now
            second.send("b1");
            second.close();
            Channel<ReceiveChannel<String>> chans = Channel.make(2);
            chans.send(first);
            chans.send(second);
            chans.close();
            LiveThreads threads = LiveThreads.mark();

            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            assertThat(receive(out, () -> "out gave nothing 1 s after the bridge was given a channel holding a1"))
                    .as("the first value of out").isEqualTo(new Received.Value<>("a1"));
            settle(threads);
            assertThat(second.length()).as("bridge took \"b1\" from the second inner channel while the first was"
                    + " still open: " + ONE_AFTER_ANOTHER).isEqualTo(1);

            first.close();
            assertThat(receive(out, () -> "out gave nothing 1 s after the first inner channel was closed, though the"
                    + " second held b1")).as("the second value of out").isEqualTo(new Received.Value<>("b1"));
            assertThat(receive(out, () -> "out was not closed 1 s after the outer channel was closed and its last"
                    + " inner channel drained: out must be closed once the outer channel is closed"))
                    .as("out after the last value").isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            closeIfOpen(first);
        }
    }

    @Test
    @Order(3)
    @DisplayName("bridge keeps going when an inner channel ends, until the outer channel is closed")
    void anInnerChannelEndingDoesNotEndTheBridge() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<ReceiveChannel<String>> chans = Channel.make(1); // open: more inner channels come later
        try {
            chans.send(filled(List.of("a1")));
            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            assertThat(receive(out, () -> "out gave nothing 1 s after the bridge was given a channel holding a1"))
                    .as("the first value of out").isEqualTo(new Received.Value<>("a1"));
            chans.send(filled(List.of("b1")));
            assertThat(receive(out, () -> "out gave nothing 1 s after a second inner channel, holding b1, was sent"))
                    .as("bridge closed out when an inner channel ended, with the outer channel still open: "
                            + ONLY_OUTER_ENDS).isEqualTo(new Received.Value<>("b1"));
            chans.close();
            assertThat(receive(out, () -> "out was not closed 1 s after the outer channel was closed: out must be"
                    + " closed once the outer channel is closed and its last inner channel drained"))
                    .isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            closeIfOpen(chans);
        }
    }

    @Test
    @Order(4)
    @DisplayName("bridge ends when ctx is cancelled while it waits for the next inner channel")
    void stopsWaitingForTheOuterChannelWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<ReceiveChannel<String>> chans = Channel.make(0); // open and silent
        try {
            LiveThreads threads = LiveThreads.mark();
            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            settle(threads);
            ctx.cancel();
            Received<String> r = receive(out, () -> "out was not closed 1 s after ctx was cancelled while the bridge"
                    + " waited for the outer channel (open and silent): bridge must watch ctx while it waits for the"
                    + " next inner channel (a select on the outer channel and ctx.onDone()), and close out");
            assertThat(r).isInstanceOf(Received.Closed.class);
            ended(threads);
        } finally {
            ctx.cancel();
            chans.close();
        }
    }

    @Test
    @Order(5)
    @DisplayName("bridge ends when ctx is cancelled while it waits on an inner channel")
    void stopsWaitingForAnInnerChannelWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> inner = Channel.make(0); // open and silent
        Channel<ReceiveChannel<String>> chans = Channel.make(1);
        try {
            chans.send(inner);
            chans.close();
            LiveThreads threads = LiveThreads.mark();
            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            Eventually.until(() -> chans.length() == 0, () -> "the bridge to take the inner channel from the outer");
            settle(threads);
            ctx.cancel();
            Received<String> r = receive(out, () -> "out was not closed 1 s after ctx was cancelled while the bridge"
                    + " waited on an inner channel (open and silent): bridge must watch ctx while it waits on an"
                    + " inner channel (a select on it and ctx.onDone(), or-done), and close out");
            assertThat(r).isInstanceOf(Received.Closed.class);
            ended(threads);
        } finally {
            ctx.cancel();
            inner.close();
        }
    }

    @Test
    @Order(6)
    @DisplayName("bridge ends when ctx is cancelled while it waits to hand on a value nobody reads")
    void stopsWaitingToSendWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> inner = Channel.make(1);
        Channel<ReceiveChannel<String>> chans = Channel.make(1);
        try {
            inner.send("a1"); // inner stays open
            chans.send(inner);
            chans.close();
            LiveThreads threads = LiveThreads.mark();
            ReceiveChannel<String> out = Bridge.bridge(ctx, chans);
            Eventually.until(() -> inner.length() == 0, () -> "the bridge to take \"a1\" from the inner channel");
            settle(threads);
            ctx.cancel(); // the bridge holds "a1", and nobody has read out

            Received<String> r = receive(out, () -> "out was not closed 1 s after ctx was cancelled");
            assertThat(r).as("ctx was cancelled while the bridge waited to hand \"a1\" on and nobody read out:"
                    + " bridge must not stay blocked on the send after ctx was cancelled (select on out.onSend(v)"
                    + " and ctx.onDone()), and must close out. A plain out.send(v) waits for a reader forever")
                    .isInstanceOf(Received.Closed.class);
            ended(threads);
        } finally {
            ctx.cancel();
            inner.close();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** A closed channel holding {@code values}. */
    private static ReceiveChannel<String> filled(List<String> values) throws InterruptedException {
        Channel<String> ch = Channel.make(values.size());
        for (String v : values) {
            ch.send(v);
        }
        ch.close();
        return ch;
    }

    private static Received<String> receive(ReceiveChannel<String> out, Supplier<String> ifNothing) throws Exception {
        return Background.within(ONE_SECOND, "reads out", out::receiveOrClosed, ifNothing);
    }

    /** Waits until the bridge has settled: it has a thread, and every thread running its code is parked. */
    private static void settle(LiveThreads threads) {
        Eventually.until(() -> {
            List<LiveThreads.Live> live = threads.runningCodeOf(Bridge.class);
            return !live.isEmpty() && live.stream().allMatch(LiveThreads.Live::parked);
        }, () -> "the bridge's threads to block, waiting: " + describe(threads.runningCodeOf(Bridge.class)));
    }

    /** Fails unless every thread running the bridge's code ends soon after ctx was cancelled and out closed. */
    private static void ended(LiveThreads threads) {
        Eventually.until(() -> threads.runningCodeOf(Bridge.class).isEmpty(), () -> "a bridge thread was still"
                + " running after ctx was cancelled and out was closed: every thread the bridge starts must end"
                + " when ctx ends, whatever it waits on (a select with ctx.onDone() at every wait). Still running:\n"
                + describe(threads.runningCodeOf(Bridge.class)));
    }

    private static String describe(List<LiveThreads.Live> live) {
        return live.isEmpty() ? "none" : live.stream().map(LiveThreads.Live::describe).collect(Collectors.joining());
    }

    private static void closeIfOpen(Channel<?> ch) {
        try {
            ch.close();
        } catch (ChannelClosedException alreadyClosed) {
            // closed by the test already
        }
    }
}
