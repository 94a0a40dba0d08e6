package dev.gopatterns.exercises.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.exercises.LearnerCall;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.List;
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
 * <p>Blocking means blocking. While it waits, the call's thread must be parked: the tests look at it
 * ({@link LearnerCall#awaitParked}) and at how it uses the clock ({@link CountingClock}), so a loop over
 * {@code tryReceive}, or one that naps on the clock between tries, fails saying so. Every call runs in a platform
 * thread of its own ({@link LearnerCall}), so a call that spins and ignores its interrupt is judged for that, and
 * cannot starve the checks that come after it.
 *
 * <p>How to run: {@code ./learn check select}
 */
@HangTimeout(seconds = 8) // above the 2 s a check waits for the call to block, plus the seconds it may take to end it
@DisplayName("Exercise `select`: select with a timeout and a default case")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class BoundedReceiveTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** How long a call is given to block: a blocking one is parked within microseconds. */
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

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
    @DisplayName("firstOrTimeout blocks while it waits: one park until its deadline, no spinning, no polling")
    void blocksWhileItWaits() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock fake = new FakeClock();
        CountingClock clock = new CountingClock(fake);
        try (LearnerCall<Optional<String>> call = firstOrTimeout(ch, clock, fake)) {
            awaitBlockedOn(fake, call, clock);

            List<Long> parks = clock.parkDeadlines();
            long shortest = parks.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
            assertThat(shortest).as("firstOrTimeout polls instead of blocking: it parked on the clock until %d ms,"
                    + " though its timeout is at %d ms, to look at the channel again between naps (parks so far:"
                    + " %d). A select with a timeout case parks once, for the whole timeout, and the value itself"
                    + " wakes it: Select.select(in.onReceive(...), Select.after(timeout, clock, ...))",
                    shortest / 1_000_000, ONE_SECOND.toMillis(), parks.size())
                    .isGreaterThanOrEqualTo(ONE_SECOND.toNanos());
        }
    }

    @Test
    @Order(3)
    @DisplayName("firstOrTimeout returns a value that arrives before the timeout")
    void valueBeforeTheTimeout() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock clock = new FakeClock();
        try (LearnerCall<Optional<String>> call = firstOrTimeout(ch, clock, clock)) {
            awaitBlockedOn(clock, call, null);
            clock.advance(Duration.ofMillis(999));

            boolean taken = ch.send("just in time", ONE_SECOND, Clock.system());

            assertThat(taken).as("firstOrTimeout stopped receiving before its timeout: 999 ms of 1 s had passed on"
                    + " the clock, and nobody took the value sent").isTrue();
            assertThat(call.await(ONE_SECOND, () -> "firstOrTimeout did not return the value it received"))
                    .as("the value that came before the timeout").contains("just in time");
        }
    }

    @Test
    @Order(4)
    @DisplayName("firstOrTimeout returns empty when the timeout passes first")
    void timeoutFirst() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock clock = new FakeClock();
        try (LearnerCall<Optional<String>> call = firstOrTimeout(ch, clock, clock)) {
            awaitBlockedOn(clock, call, null);
            clock.advance(ONE_SECOND);

            Optional<String> got = call.await(ONE_SECOND, () -> "firstOrTimeout was still waiting 1 s after its"
                    + " timeout had passed on the clock: the Select.after(timeout, clock, ...) case should have fired");

            assertThat(got).as("nothing was sent, so when the timeout passes the result is empty").isEmpty();
        }
    }

    @Test
    @Order(5)
    @DisplayName("firstOrTimeout ends with InterruptedException when its thread is interrupted while it waits")
    void interruptedWhileWaiting() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        FakeClock clock = new FakeClock();
        try (LearnerCall<Optional<String>> call = firstOrTimeout(ch, clock, clock)) {
            // However it waits (blocked, or in a loop the earlier checks judged), it is waiting now.
            if (call.awaitParked(TWO_SECONDS, () -> clock.sleepers() > 0).seen() == LearnerCall.Seen.DONE) {
                awaitBlockedOn(clock, call, null); // reports the early return
            }
            call.thread().interrupt();

            try {
                Optional<String> got = call.await(ONE_SECOND, () -> stillWaitingAfterInterrupt(call));
                fail("firstOrTimeout returned " + got + " when its thread was interrupted while it waited. An"
                        + " interrupted wait ends with InterruptedException (Select.select throws it), so that the"
                        + " caller knows it was asked to stop: do not turn it into a result");
            } catch (InterruptedException expected) {
                // the rule holds: the interrupt reaches the caller
            }
        }
    }

    @Test
    @Order(6)
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
    @Order(7)
    @DisplayName("poll returns a value that is ready now")
    void pollReady() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("ready");

        Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll did not return");

        assertThat(got).as("the value that was waiting in the channel").contains("ready");
        assertThat(ch.length()).as("poll must take the value out of the channel").isZero();
    }

    @Test
    @Order(8)
    @DisplayName("poll returns empty at once when nothing is ready")
    void pollNothingReady() throws Exception {
        Channel<String> ch = Channel.unbuffered();

        Optional<String> got = withinASecond(() -> BoundedReceive.poll(ch), () -> "poll must never wait, but it was"
                + " still blocked 1 s later on an empty channel: give the select a default case (Select.selectNow)");

        assertThat(got).as("nothing was ready, so poll returns empty").isEmpty();
    }

    @Test
    @Order(9)
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
    @Order(10)
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

    /** Starts firstOrTimeout(ch, 1 s, clock); closing it ends even a call that ignores its interrupt. */
    private static LearnerCall<Optional<String>> firstOrTimeout(Channel<String> ch, Clock clock, FakeClock fake) {
        return LearnerCall.<Optional<String>>start("calls firstOrTimeout",
                        () -> BoundedReceive.firstOrTimeout(ch, ONE_SECOND, clock))
                .releaseWith(() -> fake.advance(Duration.ofDays(1)), ch::close);
    }

    /**
     * Waits until {@code call} is blocked, parked on {@code fake} (it has reached its timed wait), so that what the
     * test does next certainly happens while it waits. If it spins, polls, waits elsewhere or returns instead, that
     * is the failure to report. {@code counting}, if not null, is the clock the call was given.
     */
    private static void awaitBlockedOn(FakeClock fake, LearnerCall<Optional<String>> call, CountingClock counting)
            throws Exception {
        LearnerCall.Waiting w = call.awaitParked(TWO_SECONDS, () -> fake.sleepers() > 0);
        String reads = counting == null ? "" : ", read the clock " + counting.reads() + " times";
        switch (w.seen()) {
            case PARKED -> { }
            case DONE -> {
                Optional<String> early = call.await(ONE_SECOND, () -> "unreachable: the call is done");
                fail("firstOrTimeout returned " + early + " before the test moved the clock: with nothing to"
                        + " receive it must wait until the timeout has passed on the Clock it is given"
                        + " (Select.after(timeout, clock, ...)), not on the wall clock and not at once");
            }
            case SPINNING -> fail("firstOrTimeout spins instead of blocking: with nothing to receive, its thread"
                    + " kept running for " + TWO_SECONDS.toSeconds() + " s (" + w.cpuMillis() + " ms of CPU" + reads
                    + ") when it should have been parked. A loop over tryReceive burns a processor and answers"
                    + " interrupts late or never; wait in one Select.select(in.onReceive(...), Select.after(timeout,"
                    + " clock, ...)), which parks the thread until the value or the timeout comes");
            case POLLING -> fail("firstOrTimeout polls instead of blocking: for " + TWO_SECONDS.toSeconds() + " s"
                    + " its thread kept waking up from short timed waits that are not on the Clock it was given"
                    + reads + " (a sleep between tries, or Select.after(timeout, ...) without the clock, which"
                    + " measures on the wall clock). Wait in one select whose timeout is measured on that clock:"
                    + " Select.after(timeout, clock, ...)");
            case PARKED_ELSEWHERE -> fail("firstOrTimeout is blocked, but not on the Clock it was given: with"
                    + " nothing to receive it must wait for the value or for the timeout, and measure the timeout"
                    + " on that clock (Select.after(timeout, clock, ...)); a plain receive() would wait forever");
        }
    }

    /** The failure of a call that did not end within a second of its interrupt: what it was doing instead. */
    private static String stillWaitingAfterInterrupt(LearnerCall<Optional<String>> call) {
        LearnerCall.Waiting w = call.awaitParked(Duration.ofMillis(200), () -> true);
        return switch (w.seen()) {
            case SPINNING -> "firstOrTimeout kept spinning after its thread was interrupted: a loop that never looks"
                    + " at the interrupt flag cannot be stopped. Block in Select.select instead, which ends with"
                    + " InterruptedException when the thread is interrupted";
            case PARKED, PARKED_ELSEWHERE, POLLING -> "firstOrTimeout went back to waiting after its thread was"
                    + " interrupted: it caught the InterruptedException and carried on. Never swallow an interrupt:"
                    + " let Select.select's InterruptedException propagate (firstOrTimeout declares it)";
            case DONE -> "firstOrTimeout took more than 1 s to end after its thread was interrupted";
        };
    }

    /** Runs {@code action} in a thread of the test's own for at most a second; see {@link LearnerCall}. */
    private static <T> T withinASecond(Callable<T> action, Supplier<String> ifStillWaiting) throws Exception {
        return LearnerCall.within(ONE_SECOND, "test step", action, ifStillWaiting);
    }

    /** Interrupts what the test started: a no-op if it has finished, a release if the code under test failed. */
    private static void stop(TestThreads threads) {
        threads.threads().forEach(Thread::interrupt);
    }
}
