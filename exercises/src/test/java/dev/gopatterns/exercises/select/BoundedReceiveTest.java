package dev.gopatterns.exercises.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `select`: what {@link BoundedReceive#firstOrTimeout} and {@link BoundedReceive#poll} must do.
 *
 * <p>Time is a {@link FakeClock}: it stands still until the test advances it. A test first waits until the call
 * under test is parked on the clock ({@link FakeClock#sleepers()}), then moves the time, so "the value came first"
 * and "the timeout came first" are certain, not a race against a real clock. No test sleeps.
 *
 * <p>How to run: {@code ./learn check select}
 */
@HangTimeout(seconds = 8) // above Await's 5 s, so a call that never parks fails with Await's plain message
@DisplayName("Exercise `select`: select with a timeout and a default case")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class BoundedReceiveTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    // ------------------------------------------------------------------------------------------ firstOrTimeout

    @Test
    @Order(1)
    @DisplayName("firstOrTimeout returns a value that is already there, without waiting")
    void valueAlreadyThere() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("hello");
        FakeClock clock = new FakeClock();

        Optional<String> got = withinASecond(() -> BoundedReceive.firstOrTimeout(ch, ONE_SECOND, clock),
                () -> "firstOrTimeout did not return a value that was waiting in the channel (and the fake clock"
                        + " never moved): a ready receive case fires at once");

        assertThat(got).as("the value waiting in the channel").contains("hello");
    }

    @Test
    @Order(2)
    @DisplayName("firstOrTimeout returns a value that arrives before the timeout")
    void valueBeforeTheTimeout() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock clock = new FakeClock();
        try (Background<Optional<String>> call = Background.start("calls firstOrTimeout",
                () -> BoundedReceive.firstOrTimeout(ch, ONE_SECOND, clock))) {
            awaitWaitingOn(clock, call);
            clock.advance(Duration.ofMillis(999));

            boolean taken = ch.send("just in time", ONE_SECOND, Clock.system());

            assertThat(taken).as("firstOrTimeout stopped receiving before its timeout: 999 ms of 1 s had passed on"
                    + " the clock, and nobody took the value sent").isTrue();
            assertThat(call.await(ONE_SECOND, () -> "firstOrTimeout did not return the value it received"))
                    .as("the value that came before the timeout").contains("just in time");
        }
    }

    @Test
    @Order(3)
    @DisplayName("firstOrTimeout returns empty when the timeout passes first")
    void timeoutFirst() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock clock = new FakeClock();
        try (Background<Optional<String>> call = Background.start("calls firstOrTimeout",
                () -> BoundedReceive.firstOrTimeout(ch, ONE_SECOND, clock))) {
            awaitWaitingOn(clock, call);
            clock.advance(ONE_SECOND);

            Optional<String> got = call.await(ONE_SECOND, () -> "firstOrTimeout was still waiting 1 s after its"
                    + " timeout had passed on the clock: the Select.after(timeout, clock, ...) case should have fired");

            assertThat(got).as("nothing was sent, so when the timeout passes the result is empty").isEmpty();
        }
    }

    @Test
    @Order(4)
    @DisplayName("firstOrTimeout reports a closed channel at once, instead of waiting for the timeout")
    void closedChannel() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        ch.close();
        FakeClock clock = new FakeClock();

        try {
            Optional<String> got = withinASecond(() -> BoundedReceive.firstOrTimeout(ch, ONE_SECOND, clock),
                    () -> "firstOrTimeout waited on a closed channel: a closed channel makes its receive case ready"
                            + " at once");
            fail("firstOrTimeout returned " + got + " for a closed channel. A closed channel will never deliver a"
                    + " value, and that is not a timeout: it must throw ChannelClosedException (in.onReceive does)");
        } catch (ChannelClosedException expected) {
            // the rule holds: "closed" is reported, not mistaken for "nothing yet"
        }
    }

    // ---------------------------------------------------------------------------------------------------- poll

    @Test
    @Order(5)
    @DisplayName("poll returns a value that is ready now")
    void pollReady() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("ready");

        Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll did not return");

        assertThat(got).as("the value that was waiting in the channel").contains("ready");
        assertThat(ch.length()).as("poll must take the value out of the channel").isZero();
    }

    @Test
    @Order(6)
    @DisplayName("poll returns empty at once when nothing is ready")
    void pollNothingReady() throws Exception {
        Channel<String> ch = Channel.unbuffered();

        Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll must never wait, but it was"
                + " still blocked 1 s later on an empty channel: give the select a default case (Select.selectNow)");

        assertThat(got).as("nothing was ready, so poll returns empty").isEmpty();
    }

    @Test
    @Order(7)
    @DisplayName("poll takes a value from a sender that is already waiting")
    void pollFromWaitingSender() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            threads.start("sender", () -> ch.send("hi"));
            try {
                Await.blocked(threads.threads().getFirst()); // the sender is parked in send, waiting for us

                Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll did not return");

                assertThat(got).as("on an unbuffered channel a waiting sender is a ready value: poll must take"
                        + " it").contains("hi");
            } finally {
                stop(threads);
            }
        }
    }

    @Test
    @Order(8)
    @DisplayName("poll reports a closed channel instead of calling it empty")
    void pollClosed() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        ch.close();

        try {
            Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll did not return");
            fail("poll returned " + got + " for a closed channel. A closed channel is not 'nothing yet': poll must"
                    + " throw ChannelClosedException (in.onReceive does) rather than return empty");
        } catch (ChannelClosedException expected) {
            // the rule holds
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Waits until {@code call} is parked on {@code clock} (it has reached its timed wait), so that what the test
     * does next certainly happens while it waits. If the call ends instead, that is the failure to report.
     */
    private static void awaitWaitingOn(FakeClock clock, Background<Optional<String>> call) throws Exception {
        Await.until("firstOrTimeout to wait on the FakeClock it was given: with nothing to receive it must wait,"
                + " and measure its timeout on that clock (Select.after(timeout, clock, ...))",
                () -> clock.sleepers() > 0 || call.isDone());
        if (call.isDone() && clock.sleepers() == 0) {
            Optional<String> early = call.await(ONE_SECOND, () -> "unreachable: the call is done");
            fail("firstOrTimeout returned " + early + " before the test moved the clock: with nothing to receive"
                    + " it must wait until the timeout has passed on the Clock it is given"
                    + " (Select.after(timeout, clock, ...)), not on the wall clock and not at once");
        }
    }

    /** Runs {@code action} in a thread of the test's own for at most a second; see {@link Background}. */
    private static <T> T withinASecond(Callable<T> action, Supplier<String> ifStillWaiting) throws Exception {
        return Background.within(ONE_SECOND, "test step", action, ifStillWaiting);
    }

    /** Interrupts what the test started: a no-op if it has finished, a release if the code under test failed. */
    private static void stop(TestThreads threads) {
        threads.threads().forEach(Thread::interrupt);
    }
}
