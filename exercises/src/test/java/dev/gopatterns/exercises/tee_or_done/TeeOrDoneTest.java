package dev.gopatterns.exercises.tee_or_done;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `tee_or_done`: what {@link TeeOrDone#orDone} and {@link TeeOrDone#tee} must do. The test fills and closes (or
 * leaves open) the input channel, reads the outputs itself, and cancels the context; every read is bounded by a
 * second, so a channel that is never closed fails in words instead of hanging. Nothing sleeps. Every thread the
 * code under test starts must have ended when a test returns (the thread-leak check).
 *
 * <p>How to run: {@code ./learn check tee_or_done}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `tee_or_done`: or-done and tee")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeeOrDoneTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String SELECT_IN_AND_DONE = "select on in and ctx.onDone() together";
    private static final String SEND_OR_DONE = "select on ctx.onDone() beside each send";

    // ---------------------------------------------------------------------------------------------- orDone

    @Test
    @Order(1)
    @DisplayName("orDone gives every value of in, in order, and closes once in is closed")
    void orDoneRelaysThenCloses() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try {
            ReceiveChannel<String> in = filled(false, "a", "b", "c");
            ReceiveChannel<String> out = TeeOrDone.orDone(ctx, in);
            Reader reader = Reader.start("reads orDone", out);
            List<String> got = reader.awaitClosed(() -> "orDone's channel was not closed 1 s after in was closed"
                    + " and drained (it gave " + reader.values() + "): close it when in is closed");
            assertThat(got).as("orDone gives the values of in, in order").containsExactly("a", "b", "c");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("orDone closes its channel when ctx ends while it waits for in")
    void orDoneStopsWaitingForInWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> in = Channel.make(0); // open, and nobody sends: orDone waits for it
        try {
            ReceiveChannel<String> out = TeeOrDone.orDone(ctx, in);
            ctx.cancel();
            Received<String> r = Background.within(ONE_SECOND, "reads orDone", out::receiveOrClosed,
                    () -> "orDone's channel was not closed 1 s after ctx was cancelled while orDone waited for in"
                            + " (which stays open and silent): " + SELECT_IN_AND_DONE + ", so that the end of ctx"
                            + " stops the wait; a plain range over in waits for in alone");
            assertThat(r).as("orDone must close its channel when ctx ends").isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            in.close();
        }
    }

    @Test
    @Order(3)
    @DisplayName("orDone closes its channel when ctx ends while it waits to hand a value on")
    void orDoneStopsWaitingToSendWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> in = Channel.make(1);
        try {
            in.send("a");
            ReceiveChannel<String> out = TeeOrDone.orDone(ctx, in);
            Eventually.until(() -> in.length() == 0, () -> "orDone to take \"a\" from in");
            ctx.cancel(); // orDone holds "a", and nobody has read its channel yet

            Received<String> r = Background.within(ONE_SECOND, "reads orDone", out::receiveOrClosed,
                    () -> "orDone's channel was not closed 1 s after ctx was cancelled");
            assertThat(r).as("ctx was cancelled while orDone waited to hand \"a\" on and nobody read: it must stop"
                    + " waiting then (" + SEND_OR_DONE + "), and close its channel, not stay blocked until a"
                    + " reader comes. A plain out.send(v) waits for a reader forever")
                    .isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            in.close();
        }
    }

    // ------------------------------------------------------------------------------------------------- tee

    @Test
    @Order(4)
    @DisplayName("tee gives every value of in to both outputs, in order, and closes both once in is closed")
    void teeGivesEveryValueToBoth() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try {
            ReceiveChannel<String> in = filled(false, "a", "b", "c", "d", "e");
            TeeOrDone.Outputs<String> tee = TeeOrDone.tee(ctx, in);
            Reader first = Reader.start("reads tee's first", tee.first());
            Reader second = Reader.start("reads tee's second", tee.second());

            List<String> got1 = first.awaitClosed(() -> notClosed("first", first, second));
            List<String> got2 = second.awaitClosed(() -> notClosed("second", second, first));

            assertThat(List.of(got1, got2)).as("tee must send every value to both outputs, in the order of in:"
                    + " the first got %s, the second %s. Send each value twice, once to each output, before reading"
                    + " the next", got1, got2).containsExactly(List.of("a", "b", "c", "d", "e"),
                    List.of("a", "b", "c", "d", "e"));
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(5)
    @DisplayName("tee reads the next value only once both outputs have taken the current one")
    void teeGoesAtThePaceOfTheSlowerReader() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        int size = 100;
        Channel<String> in = Channel.make(size);
        try {
            for (int i = 1; i <= size; i++) {
                in.send("v" + i);
            }
            TeeOrDone.Outputs<String> tee = TeeOrDone.tee(ctx, in);
            for (int k = 1; k <= 5; k++) {
                String expected = "v" + k;
                assertThat(receive(tee.first(), "the first")).isEqualTo(expected);
                // The second output has taken k - 1 values. The tee holds value k for it, and may have taken
                // value k + 1 from in already (an orDone helper does); it must not have taken more.
                int taken = size - in.length();
                assertThat(taken).as("tee read ahead of its slowest output: it had taken %d values from in while"
                        + " the second output had received only %d. Send each value to both outputs before reading"
                        + " the next, so that the slower reader sets the pace; a buffer in between only hides a"
                        + " reader that cannot keep up", taken, k - 1).isLessThanOrEqualTo(k + 1);
                assertThat(receive(tee.second(), "the second")).isEqualTo(expected);
            }
        } finally {
            ctx.cancel();
            in.close();
        }
    }

    @Test
    @Order(6)
    @DisplayName("when ctx ends while a reader has stopped reading, tee closes both outputs and its thread ends")
    void teeStopsWhenCtxEndsWhileAReaderHasStopped() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> in = Channel.make(10);
        try {
            for (String v : List.of("a", "b", "c")) {
                in.send(v);
            }
            TeeOrDone.Outputs<String> tee = TeeOrDone.tee(ctx, in);
            assertThat(receive(tee.first(), "the first")).isEqualTo("a");
            // The second reader never comes: the tee waits to send it "a". Now the caller gives up.
            ctx.cancel();

            Received<String> first = Background.within(ONE_SECOND, "reads tee's first",
                    tee.first()::receiveOrClosed, () -> "tee's first output was not closed 1 s after ctx was"
                            + " cancelled: tee stayed blocked on a send after ctx was cancelled (to the second"
                            + " output, which nobody reads). A plain send waits for its reader forever: "
                            + SEND_OR_DONE);
            assertThat(first).as("after ctx was cancelled, the first output must be closed, not given another value:"
                    + " tee must stop at the end of ctx").isInstanceOf(Received.Closed.class);
            Received<String> second = Background.within(ONE_SECOND, "reads tee's second",
                    tee.second()::receiveOrClosed, () -> "tee's second output was not closed 1 s after ctx was"
                            + " cancelled: close both outputs when ctx ends");
            assertThat(second).as("after ctx was cancelled, the second output must be closed: tee must stop"
                    + " waiting to send when ctx ends (" + SEND_OR_DONE + ")").isInstanceOf(Received.Closed.class);
        } finally {
            ctx.cancel();
            in.close();
        }
    }

    @Test
    @Order(7)
    @DisplayName("when ctx ends while tee waits for in, it closes both outputs")
    void teeStopsWaitingForInWhenCtxEnds() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> in = Channel.make(0); // open and silent
        try {
            TeeOrDone.Outputs<String> tee = TeeOrDone.tee(ctx, in);
            ctx.cancel();
            for (ReceiveChannel<String> out : List.of(tee.first(), tee.second())) {
                Received<String> r = Background.within(ONE_SECOND, "reads tee", out::receiveOrClosed,
                        () -> "an output of tee was not closed 1 s after ctx was cancelled while tee waited for in"
                                + " (open and silent): " + SELECT_IN_AND_DONE + " (orDone(ctx, in) does), and"
                                + " close both outputs");
                assertThat(r).isInstanceOf(Received.Closed.class);
            }
        } finally {
            ctx.cancel();
            in.close();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** A channel holding {@code values}, closed unless {@code open}. */
    private static ReceiveChannel<String> filled(boolean open, String... values) throws InterruptedException {
        Channel<String> ch = Channel.make(values.length);
        for (String v : values) {
            ch.send(v);
        }
        if (!open) {
            ch.close();
        }
        return ch;
    }

    private static String receive(ReceiveChannel<String> out, String which) throws Exception {
        Received<String> r = Background.within(ONE_SECOND, "reads tee's " + which, out::receiveOrClosed,
                () -> which + " output gave no value within 1 s, though in had values and every earlier value had"
                        + " been read from both outputs");
        return switch (r) {
            case Received.Value<String>(String v) -> v;
            case Received.Closed<String>() -> throw new AssertionError(which + " output was closed while in still"
                    + " had values and ctx had not ended: close the outputs only when in is closed or ctx ends");
        };
    }

    private static String notClosed(String which, Reader reader, Reader other) {
        return "tee's " + which + " output was not closed 1 s after in was closed (it gave " + reader.values()
                + ", the other " + other.values() + "): both outputs must be closed once in is closed and drained,"
                + " in the tee's thread, after its last send";
    }

    /** Reads a channel until it is closed, in a thread of its own, keeping what it got. */
    private static final class Reader {
        private final List<String> values = Collections.synchronizedList(new ArrayList<>());
        private final Background<List<String>> background;

        private Reader(String name, ReceiveChannel<String> ch) {
            this.background = Background.start(name, () -> {
                for (String v : ch) {
                    values.add(v);
                }
                return List.copyOf(values);
            });
        }

        static Reader start(String name, ReceiveChannel<String> ch) {
            return new Reader(name, ch);
        }

        List<String> values() {
            synchronized (values) {
                return List.copyOf(values);
            }
        }

        List<String> awaitClosed(java.util.function.Supplier<String> ifNotClosed) throws Exception {
            try (background) {
                return background.await(ONE_SECOND, ifNotClosed);
            }
        }
    }
}
