package dev.gopatterns.exercises.nil_channels;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opentest4j.AssertionFailedError;

/**
 * Exercise `nil_channels`: what {@link MergeTwo#merge} must do. Each test runs {@code merge} in a thread of its own,
 * fills, closes or leaves open its two inputs, reads {@code out} itself and cancels the context. Every wait is
 * bounded by a second, so a merge that never returns fails in words instead of hanging. "merge waits" is checked by
 * the state of its thread: a thread blocked in a select is parked ({@code WAITING}); one that polls or spins never
 * is. Nothing sleeps. Every thread the test starts must have ended when it returns (the thread-leak check).
 *
 * <p>How to run: {@code ./learn check nil_channels}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `nil_channels`: merge two inputs with one select, disabling a closed one")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MergeTwoTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String SELECT_WITH_DONE = "put ctx.onDone() in the select beside both inputs";

    @Test
    @Order(1)
    @DisplayName("merge sends every value of both inputs, each in its order, and closes out once both are closed")
    void mergesBothInputsThenClosesOut() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> out = Channel.make(0);
        try (Background<Void> merge = start(ctx, filled("a1", "a2", "a3"), filled("b1", "b2", "b3"), out)) {
            Eventually.until(() -> parked(merge) || merge.isDone(),
                    () -> "merge to block, sending its first value to out (nobody reads it yet)");
            rethrowIfEnded(merge);
            List<String> got = new ArrayList<>();
            for (;;) {
                Received<String> r = receive(out, () -> {
                    rethrowIfEnded(merge);
                    return "out was not closed 1 s after both inputs were closed and drained (it gave " + got
                            + "): out must be closed once both inputs are closed, by merge, in a finally after its"
                            + " loop";
                });
                if (!(r instanceof Received.Value<String>(String v))) {
                    break;
                }
                got.add(v);
            }
            assertThat(got).as("out must give every value of both inputs, once each; it gave %s", got)
                    .containsExactlyInAnyOrder("a1", "a2", "a3", "b1", "b2", "b3");
            assertThat(got.stream().filter(v -> v.startsWith("a")).toList()).as("the values of a, in a's order")
                    .containsExactly("a1", "a2", "a3");
            assertThat(got.stream().filter(v -> v.startsWith("b")).toList()).as("the values of b, in b's order")
                    .containsExactly("b1", "b2", "b3");
            awaitMerge(merge, () -> "merge did not return 1 s after it closed out");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("merge waits in one select while both inputs are silent, and returns when ctx is cancelled")
    void waitsWithoutPollingAndStopsOnCancel() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> a = Channel.make(0);
        Channel<String> b = Channel.make(0); // both open, and nobody sends
        Channel<String> out = Channel.make(0);
        try (Background<Void> merge = start(ctx, a, b, out)) {
            Eventually.until(() -> parked(merge) || merge.isDone(), () -> "merge never blocked while both inputs"
                    + " were open and silent (its thread was " + merge.thread().getState() + "): it polls instead"
                    + " of waiting, and keeps a CPU busy. A loop of tryReceive calls, or a select with a default or"
                    + " a short timeout, never stops; wait in one blocking Select.select on both inputs and"
                    + " ctx.onDone()");
            returnedEarly(merge, "while both inputs were open and silent and ctx was not cancelled");
            ctx.cancel();
            awaitMerge(merge, () -> "merge did not return 1 s after ctx was cancelled while it waited for both"
                    + " inputs: " + SELECT_WITH_DONE + ", so that the end of ctx ends the wait");
            assertThat(out.tryReceive()).as("merge returned after ctx was cancelled: out must be closed then too"
                    + " (close it in a finally)").isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            a.close();
            b.close();
        }
    }

    @Test
    @Order(3)
    @DisplayName("once an input is closed, merge stops receiving from it and keeps reading the other")
    void disablesAClosedInputAndKeepsReadingTheOther() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> a = Channel.make(0);
        a.close(); // closed and empty from the start
        Channel<String> b = Channel.make(2); // open, empty for now
        Channel<String> out = Channel.make(0);
        try (Background<Void> merge = start(ctx, a, b, out)) {
            Eventually.until(() -> parked(merge) || merge.isDone(), () -> "merge never blocked once a was closed"
                    + " and b was open and silent (its thread was " + merge.thread().getState() + "): it keeps"
                    + " receiving from the closed input. A closed channel's case is always ready, so a select that"
                    + " still has it fires on it again and again; set a closed input to Channel.nil(), whose case is"
                    + " never ready, and the select waits for the other one");
            if (merge.isDone()) {
                rethrowIfEnded(merge);
                throw new AssertionFailedError("merge returned when only one input was closed (a), with b still"
                        + " open: the values b sends later would be lost. An input's close disables that input"
                        + " only; end the loop once both are closed");
            }
            b.send("b1");
            b.send("b2");
            for (String expected : List.of("b1", "b2")) {
                Received<String> r = receive(out, () -> "out gave nothing 1 s after b sent \"" + expected + "\"");
                assertThat(r).as("merge returned when only one input was closed (a closed, b open and sending): out"
                        + " must give b's values, not be closed. End the loop once both inputs are closed")
                        .isEqualTo(new Received.Value<>(expected));
            }
            b.close();
            Received<String> r = receive(out, () -> "out was not closed 1 s after both inputs were closed: out must"
                    + " be closed once both inputs are closed");
            assertThat(r).as("out after both inputs were closed").isInstanceOf(Received.Closed.class);
            awaitMerge(merge, () -> "merge did not return 1 s after both inputs were closed");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(4)
    @DisplayName("merge returns when ctx is cancelled while it waits to send a value nobody reads")
    void stopsWaitingToSendWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> a = Channel.make(1);
        Channel<String> b = Channel.make(0);
        Channel<String> out = Channel.make(0); // nobody reads it until ctx has ended
        try (Background<Void> merge = start(ctx, a, b, out)) {
            a.send("a1");
            Eventually.until(() -> (a.length() == 0 && parked(merge)) || merge.isDone(),
                    () -> "merge to take \"a1\" from a and block, sending it to out");
            returnedEarly(merge, "with both inputs open, holding \"a1\" that nobody had read, before ctx was"
                    + " cancelled");
            ctx.cancel(); // merge holds "a1", and nobody reads out
            awaitMerge(merge, () -> "merge stayed blocked sending to out after ctx was cancelled (nobody read out):"
                    + " a plain out.send(v) waits for a reader forever. Send with"
                    + " Select.select(out.onSend(v, ...), ctx.onDone(...))");
            assertThat(out.tryReceive()).as("merge returned after ctx was cancelled: out must be closed")
                    .isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            a.close();
            b.close();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static Background<Void> start(Context ctx, ReceiveChannel<String> a, ReceiveChannel<String> b,
            Channel<String> out) {
        return Background.start("merge", () -> {
            MergeTwo.merge(ctx, a, b, out.sendOnly());
            return null;
        });
    }

    /** A closed channel holding {@code values}. */
    private static ReceiveChannel<String> filled(String... values) throws InterruptedException {
        Channel<String> ch = Channel.make(values.length);
        for (String v : values) {
            ch.send(v);
        }
        ch.close();
        return ch;
    }

    private static Received<String> receive(ReceiveChannel<String> out, Supplier<String> ifNothing) throws Exception {
        return Background.within(ONE_SECOND, "reads out", out::receiveOrClosed, ifNothing);
    }

    /** Whether merge's thread is parked: blocked in a select (or a send, or a receive) with no timeout. */
    private static boolean parked(Background<Void> merge) {
        return merge.thread().getState() == Thread.State.WAITING;
    }

    /** If merge has already ended, what it threw (a TODO, a closed-channel misuse), as {@link #awaitMerge} words it. */
    private static void rethrowIfEnded(Background<Void> merge) {
        if (merge.isDone()) {
            try {
                awaitMerge(merge, () -> "merge ended");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Fails if merge has returned (or thrown) already, while it should still be waiting: {@code when} says when. */
    private static void returnedEarly(Background<Void> merge, String when) {
        if (merge.isDone()) {
            rethrowIfEnded(merge);
            throw new AssertionFailedError("merge returned " + when + ": it must wait until both inputs are closed"
                    + " or ctx ends");
        }
    }

    /** Waits a second for merge to return, and words the closed-channel misuses it may have thrown. */
    private static void awaitMerge(Background<Void> merge, Supplier<String> ifStillRunning) throws Exception {
        try {
            merge.await(ONE_SECOND, ifStillRunning);
        } catch (ChannelClosedException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("close of closed channel")) {
                throw new AssertionFailedError("merge closed out twice (\"" + m + "\"): close it once, in a finally"
                        + " after the loop, and nowhere else", e);
            }
            if (m.startsWith("receive from closed channel")) {
                throw new AssertionFailedError("merge threw \"" + m + "\" when an input closed: onReceive throws when"
                        + " its input is closed. Use onReceiveOrClosed, and on Closed set that input to"
                        + " Channel.nil()", e);
            }
            throw e;
        }
    }
}
