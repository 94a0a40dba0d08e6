package dev.gopatterns.exercises.alerts_once_per_crossing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.alerts_once_per_crossing.Alerter.Event;
import dev.gopatterns.exercises.alerts_once_per_crossing.Alerter.Kind;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `alerts_once_per_crossing`: what {@link Alerter} must do, for an alert that fires at 100 and clears below
 * 80, on a signal the test sets sample by sample ({@link Level}) and a {@link FakeClock} that only the test moves.
 *
 * <p>Most tests call {@link Alerter#sample()} themselves, one value at a time, and judge each sample's events as it
 * returns: the first wrong one fails, in the words of the rule it broke. Two behaviours are forced rather than hoped
 * for. A sample that finds the events channel full runs in a thread of its own, given a second: a send that waits
 * for a reader fails the test instead of hanging it. And two samples at once go through a gate ({@link Lockstep}):
 * every read of the signal and of the clock is a step, and a sampler waits at each step until the other has taken
 * as many, or until the test, having seen the other blocked (on the alerter's lock) or done, opens the gate. So an
 * alerter that looks at its {@code firing} flag, builds its event (reading the clock) and only then sets the flag,
 * without a lock, has both samples find the alert quiet, every run; one that samples under its lock has the other
 * sample wait on the lock, and loses the 50 ms the test takes to see that.
 *
 * <p>The sampling thread of {@link Alerter#start} is driven by advancing the clock one interval at a time; nothing
 * sleeps. Every thread the alerter starts must have ended when {@link Alerter#close()} returns.
 *
 * <p>How to run: {@code ./learn check alerts_once_per_crossing}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `alerts_once_per_crossing`: an alert that fires once per crossing, with hysteresis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class AlerterTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final double FIRE_AT = 100;
    private static final double CLEAR_AT = 80;
    private static final double NAN = Double.NaN;

    @Test
    @Order(1)
    @DisplayName("once per crossing: FIRING at the first sample >= fireAt, then nothing while the signal stays past it")
    void firesOncePerCrossing() {
        Script s = new Script(1);
        s.nothing(50, "the signal is below fireAt (100): fire only at a sample >= fireAt");
        s.nothing(99.9, "the signal is below fireAt (100): fire only at a sample >= fireAt");
        Event fired = s.fires(100, "the signal reached fireAt (100), with forSamples 1: a sample >= fireAt fires");
        assertThat(fired).as("the FIRING event: its value is the sample's, its time the clock's at the sample"
                + " (clock.nanoTime()), and the first event of an alerter is number 1")
                .isEqualTo(new Event(Kind.FIRING, 100, s.clock.nanoTime(), 1));
        String once = "the alert was already firing: fire once per crossing. While firing, a sample past fireAt says"
                + " nothing; a page every sample for as long as the signal is high is noise, not an alert";
        for (double v : new double[] {130, 150, 100, 120}) {
            s.nothing(v, once);
        }
        assertThat(s.alerter.firing()).as("firing() after the FIRING event, with the signal still past fireAt")
                .isTrue();
        s.channelHolds(fired);
    }

    @Test
    @Order(2)
    @DisplayName("hysteresis: it resolves at the first sample below clearAt, not between clearAt and fireAt")
    void resolvesOnlyBelowClearAt() {
        Script s = new Script(1);
        Event fired = s.fires(120, "the signal reached fireAt (100), with forSamples 1: a sample >= fireAt fires");
        String hysteresis = "the signal was between clearAt (80) and fireAt (100): resolve only below clearAt, not"
                + " as soon as the signal dips below fireAt (hysteresis). An alert that resolves at fireAt flaps on a"
                + " signal hovering there: FIRING, RESOLVED, FIRING, at every jitter";
        for (double v : new double[] {99, 101, 98, 85, 80}) {
            s.nothing(v, hysteresis);
        }
        Event resolved = s.resolves(79, "the signal fell below clearAt (80) while firing: the first sample below"
                + " clearAt resolves");
        assertThat(resolved).as("the RESOLVED event: its value is the sample's, and it is number 2")
                .isEqualTo(new Event(Kind.RESOLVED, 79, s.clock.nanoTime(), 2));
        String onceResolved = "the alert was already resolved: resolve once per crossing. While quiet, a sample below"
                + " clearAt says nothing";
        s.nothing(70, onceResolved);
        s.nothing(20, onceResolved);
        s.nothing(99, "the alert was quiet and the signal below fireAt (100): fire only at a sample >= fireAt");
        Event again = s.fires(100, "the signal crossed fireAt (100) again, after the alert was resolved: a new"
                + " crossing fires a new FIRING");
        assertThat(again.sequence()).as("the third event is number 3").isEqualTo(3);
        s.channelHolds(fired, resolved, again);
    }

    @Test
    @Order(3)
    @DisplayName("forSamples: it fires at the forSamples-th sample in a row >= fireAt; a dip starts the count again")
    void firesAfterForSamplesInARow() {
        Script s = new Script(3);
        String early = "only %d sample(s) in a row were >= fireAt (100), and forSamples is 3: fire only after"
                + " forSamples samples in a row past fireAt";
        s.nothing(120, early.formatted(1));
        s.nothing(120, early.formatted(2));
        String dip = "the signal dipped below fireAt (100) one sample before, so only %d sample(s) in a row since the"
                + " dip were >= fireAt, and forSamples is 3: fire only after forSamples samples in a row past fireAt."
                + " A sample below fireAt starts the count again (streak = 0), or a signal that touches the"
                + " threshold once a minute fires as if it had stayed there";
        s.nothing(50, "the signal is below fireAt (100)");
        s.nothing(120, dip.formatted(1));
        s.nothing(120, dip.formatted(2));
        s.fires(120, "3 samples in a row were >= fireAt (100), and forSamples is 3: the 3rd fires");
        s.resolves(50, "the signal fell below clearAt (80) while firing: the first sample below clearAt resolves");
        String fresh = "the alert was resolved one sample before, so only %d sample(s) in a row since then were >="
                + " fireAt (100), and forSamples is 3: fire only after forSamples samples in a row past fireAt. The"
                + " count starts from 0 again for a new crossing (reset it when the alert fires)";
        s.nothing(120, fresh.formatted(1));
        s.nothing(120, fresh.formatted(2));
        s.fires(120, "3 samples in a row were >= fireAt (100) again, and forSamples is 3: the 3rd fires");
    }

    @Test
    @Order(4)
    @DisplayName("NaN is no reading: it changes nothing, quiet or firing")
    void nanChangesNothing() {
        Script s = new Script(1);
        String quiet = "the signal read NaN while the alert was quiet: NaN is no reading: it changes nothing. A NaN"
                + " is not past fireAt (it is not a number at all: a ratio over no events, a rate before its second"
                + " sample); handle it first, before the comparisons";
        s.nothing(NAN, quiet);
        s.nothing(NAN, quiet);
        s.fires(120, "the signal reached fireAt (100), with forSamples 1: a sample >= fireAt fires");
        String firing = "the signal read NaN while the alert was firing: NaN is no reading: it changes nothing, so a"
                + " firing alert stays firing. A NaN is not 0, and not below clearAt; treating it as one resolves an"
                + " alert whose signal simply could not be read";
        s.nothing(NAN, firing);
        assertThat(s.alerter.firing()).as("firing() after a NaN sample while firing: NaN is no reading: it changes"
                + " nothing").isTrue();
        s.nothing(NAN, firing);
        s.nothing(150, "the alert was already firing: fire once per crossing");
        s.resolves(79, "the signal fell below clearAt (80) while firing: the first sample below clearAt resolves");
    }

    @Test
    @Order(5)
    @DisplayName("a NaN breaks the run of samples counted toward forSamples")
    void nanBreaksTheRun() {
        Script s = new Script(3);
        String broken = "a NaN came %d sample(s) before, so only %d sample(s) in a row since it were >= fireAt (100),"
                + " and forSamples is 3: a NaN breaks the run of samples past fireAt, as a dip does. \"3 samples in"
                + " a row past fireAt\" means 3 readings in a row; a NaN is a sample with no reading in the row";
        s.nothing(120, "only 1 sample was >= fireAt (100), and forSamples is 3");
        s.nothing(120, "only 2 samples in a row were >= fireAt (100), and forSamples is 3");
        s.nothing(NAN, "the signal read NaN: NaN is no reading: it changes nothing (and a NaN breaks the run)");
        s.nothing(120, broken.formatted(1, 1));
        s.nothing(120, broken.formatted(2, 2));
        s.fires(120, "3 samples in a row since the NaN were >= fireAt (100), and forSamples is 3: the 3rd fires");
    }

    @Test
    @Order(6)
    @DisplayName("events go to the channel, numbered; one that does not fit is dropped and counted, never waited for")
    void fullChannelDropsAndCounts() throws Exception {
        FakeClock clock = new FakeClock();
        Level level = new Level();
        Alerter alerter = new Alerter(level, FIRE_AT, CLEAR_AT, 1, 2, clock);
        try (Closing _ = new Closing(alerter)) {
            List<Event> returned = new ArrayList<>();
            double[] crossings = {120, 50, 130, 40}; // FIRING, RESOLVED, FIRING, RESOLVED: 4 events, 2 places
            for (int i = 0; i < crossings.length; i++) {
                clock.advance(ONE_SECOND);
                level.set(crossings[i]);
                int events = i;
                List<Event> got = Background.within(ONE_SECOND, "samples", alerter::sample, () -> "sample() did not"
                        + " return within 1 s, with " + events + " event(s) in the events channel (2 places) and"
                        + " nobody reading it: an event that does not fit must be dropped and counted, never waited"
                        + " for. Offer it with events.trySend(e), and count it in dropped if that returns false: an"
                        + " alerter that waits for its reader stops sampling, and stops alerting, when the reader"
                        + " stalls");
                assertThat(got).as("sample %d (%s) crossed the threshold: it returns its event, whether or not the"
                        + " channel had room for it", i + 1, crossings[i]).hasSize(1);
                returned.addAll(got);
            }
            assertThat(returned).extracting(Event::kind).as("the events of four crossings")
                    .containsExactly(Kind.FIRING, Kind.RESOLVED, Kind.FIRING, Kind.RESOLVED);
            assertThat(returned).extracting(Event::sequence).as("the events are numbered from 1, every one of"
                    + " them, dropped or not").containsExactly(1L, 2L, 3L, 4L);
            assertThat(alerter.dropped()).as("dropped(): 4 events, 2 places in the channel, nobody reading: the last"
                    + " 2 were dropped and counted").isEqualTo(2);

            ReceiveChannel<Event> events = alerter.events();
            assertThat(List.of(receive(events), receive(events))).as("the channel holds the first 2 events, in"
                    + " order").containsExactlyElementsOf(returned.subList(0, 2));
            assertThat(events.tryReceive()).as("the channel holds nothing more: the 2 events that did not fit were"
                    + " dropped").isInstanceOf(TryReceived.NotReady.class);

            level.set(150); // the reader is back, with room for more: a new crossing
            List<Event> next = Background.within(ONE_SECOND, "samples", alerter::sample,
                    () -> "sample() did not return within 1 s, with room in the channel");
            assertThat(next).extracting(Event::kind).containsExactly(Kind.FIRING);
            Event after = receive(events);
            if (after.sequence() != 5) {
                fail("the event after the 2 dropped ones reached the reader with sequence " + after.sequence() + ": "
                        + "number every event, dropped ones included (5 here: events 3 and 4 were dropped), so the"
                        + " reader sees the gap between 2 and " + after.sequence() + " and knows it missed some");
            }
            assertThat(after).as("the channel's event is the one sample() returned").isEqualTo(next.getFirst());
        }
    }

    @Test
    @Order(7)
    @DisplayName("two samples at once, one crossing: exactly one FIRING")
    void twoSamplesAtOnceFireOnce() throws Exception {
        FakeClock fake = new FakeClock();
        Lockstep gate = new Lockstep();
        DoubleSupplier signal = () -> {
            gate.step();
            return 150;
        };
        Alerter alerter = new Alerter(signal, FIRE_AT, CLEAR_AT, 1, 8, gate.clock(fake));
        try (Closing _ = new Closing(alerter)) {
            gate.arm();
            try (Background<List<Event>> first = Background.start("samples first", alerter::sample);
                 Background<List<Event>> second = Background.start("samples second", alerter::sample)) {
                // Let both samples go as far as they can: through the gate together (an alerter without a lock),
                // or one held in the gate and the other on the alerter's lock. Only then does the test open it.
                awaitDoneOrBlocked(first);
                awaitDoneOrBlocked(second);
                gate.open();
                List<Event> all = new ArrayList<>();
                all.addAll(first.await(ONE_SECOND, () -> "the first sample did not return within 1 s of the gate"
                        + " opening: is the lock released on every path?"));
                all.addAll(second.await(ONE_SECOND, () -> "the second sample did not return within 1 s of the gate"
                        + " opening: is the lock released on every path?"));
                long fired = all.stream().filter(e -> e.kind() == Kind.FIRING).count();
                if (fired > 1) {
                    fail("two FIRING events for one crossing: two samples at once both found the alert quiet and"
                            + " both fired (" + all + "). The look (\"quiet, and the run has reached forSamples\")"
                            + " and the act (\"now firing\") must be one step: make both while holding the"
                            + " alerter's one lock, for the whole sample (the signal read, the step, the event)");
                }
                assertThat(all).as("two samples of a signal at 150 (fireAt 100, forSamples 1), at once: exactly one"
                        + " FIRING, from one of them; the other finds the alert firing and returns nothing")
                        .extracting(Event::kind).containsExactly(Kind.FIRING);
                assertThat(all.getFirst().sequence()).as("the one event is number 1").isEqualTo(1);
            } finally {
                gate.open();
            }
        }
    }

    @Test
    @Order(8)
    @DisplayName("start samples on a Ticker of the alerter's clock; close stops and joins that thread, then closes"
            + " events")
    void startSamplesOnTheClockUntilClose() throws Exception {
        FakeClock clock = new FakeClock();
        Level level = new Level();
        level.set(50);
        LiveThreads threads = LiveThreads.mark();
        Alerter alerter = new Alerter(level, FIRE_AT, CLEAR_AT, 1, 8, clock);
        try (Closing _ = new Closing(alerter)) {
            alerter.start(INTERVAL);
            Eventually.until(() -> clock.pendingTasks() + clock.sleepers() > 0, () -> "the sampling thread to wait"
                    + " for its first tick on the alerter's clock (the clock has no timer and no sleeper): sample on"
                    + " a Ticker of the alerter's clock, Ticker.every(clock, interval), never Thread.sleep nor the"
                    + " system clock, which the test's clock does not move");
            double[] values = {50, 150, 150, 50};
            for (int tick = 1; tick <= values.length; tick++) {
                level.set(values[tick - 1]);
                int reads = level.reads();
                clock.advance(INTERVAL);
                int round = tick;
                Eventually.until(() -> level.reads() > reads, () -> "the sampling thread to sample after the clock"
                        + " moved one interval (tick " + round + "): sample on a Ticker of the alerter's clock");
                awaitSamplerParked(threads);
                assertThat(level.reads()).as("the signal's reads after tick %d: one sample per tick", round)
                        .isEqualTo(reads + 1);
            }
            ReceiveChannel<Event> events = alerter.events();
            Event fired = receive(events);
            Event resolved = receive(events);
            assertThat(List.of(fired, resolved)).as("the events of 4 ticks, 10 s apart, of a signal at 50, 150, 150,"
                    + " 50: FIRING at the 2nd (20 s), RESOLVED at the 4th (40 s), each timed on the clock")
                    .containsExactly(new Event(Kind.FIRING, 150, INTERVAL.toNanos() * 2, 1),
                            new Event(Kind.RESOLVED, 50, INTERVAL.toNanos() * 4, 2));

            Background.within(ONE_SECOND, "closes the alerter", () -> {
                alerter.close();
                return null;
            }, () -> "close() did not return within 1 s: stop the sampling thread (cancel its context, so that its"
                    + " select's ctx.onDone() case ends the loop) and then join it");
            List<LiveThreads.Live> left = threads.runningCodeOf(Alerter.class);
            if (!left.isEmpty()) {
                fail("close() returned, and a thread was still running the alerter's code: close() stops the sampling"
                        + " thread and waits for it. Select on the ticker and on ctx.onDone(), cancel that context in"
                        + " close(), then join the thread; a loop that only waits for ticks runs for ever. Where it"
                        + " is:\n" + describe(left));
            }
            Received<Event> end = Background.within(ONE_SECOND, "reads events", events::receiveOrClosed,
                    () -> "the events channel was not closed 1 s after close() returned: close it once the sampling"
                            + " thread has ended, so that a reader ranging over it ends");
            assertThat(end).as("after close(), with every event read, the events channel is closed")
                    .isInstanceOf(Received.Closed.class);
            Eventually.until(() -> clock.pendingTasks() == 0, () -> "the sampling thread's ticker to be stopped after"
                    + " close() (the clock still has " + clock.pendingTasks() + " task(s)): stop the ticker in a"
                    + " finally when the loop ends");
        }
    }

    @Test
    @Order(9)
    @DisplayName("start twice is refused, and after close sample and start are refused; close is idempotent")
    void lifecycle() throws Exception {
        FakeClock clock = new FakeClock();
        Alerter alerter = new Alerter(new Level(), FIRE_AT, CLEAR_AT, 1, 8, clock);
        try (Closing _ = new Closing(alerter)) {
            assertRefused(() -> alerter.start(Duration.ZERO), IllegalArgumentException.class, "interval",
                    "start(interval) with an interval that is not positive");
            alerter.start(INTERVAL);
            assertRefused(() -> alerter.start(INTERVAL), IllegalStateException.class, "started",
                    "start(interval) on an alerter already started");
            close(alerter);
            close(alerter); // idempotent
            assertRefused(alerter::sample, IllegalStateException.class, "closed", "sample() after close()");
            assertRefused(() -> alerter.start(INTERVAL), IllegalStateException.class, "closed",
                    "start(interval) after close()");
        }
    }

    @Test
    @Order(10)
    @DisplayName("thresholds that contradict each other, forSamples < 1 and a negative buffer are refused, naming"
            + " the rule")
    void refusesMisuse() {
        Clock clock = new FakeClock();
        Level s = new Level();
        assertRefused(() -> new Alerter(s, 100, 120, 1, 8, clock), IllegalArgumentException.class, "clearAt",
                "clearAt (120) above fireAt (100): the alert would resolve while the signal is still past fireAt");
        assertRefused(() -> new Alerter(s, NAN, 80, 1, 8, clock), IllegalArgumentException.class, "fireAt",
                "a NaN fireAt: no sample is ever >= NaN");
        assertRefused(() -> new Alerter(s, 100, 80, 0, 8, clock), IllegalArgumentException.class, "forSamples",
                "forSamples 0: the alert would fire before any sample");
        assertRefused(() -> new Alerter(s, 100, 80, 1, -1, clock), IllegalArgumentException.class, "buffer",
                "a negative buffer");
        new Alerter(s, 100, 100, 1, 0, clock).close(); // no hysteresis, and no buffer: allowed
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void assertRefused(Runnable call, Class<? extends RuntimeException> type, String rule,
                                      String what) {
        try {
            call.run();
        } catch (RuntimeException refused) {
            if (refused instanceof UnsupportedOperationException todo && todo.getMessage() != null
                    && todo.getMessage().startsWith("TODO")) {
                throw todo;
            }
            assertThat(refused).as("%s is refused with %s", what, type.getSimpleName()).isInstanceOf(type);
            assertThat(refused.getMessage()).as("%s is refused with a message that names the rule: it mentions %s",
                    what, rule).contains(rule);
            return;
        }
        fail(what + " was accepted: refuse it with " + type.getSimpleName() + " whose message names the rule ("
                + rule + ")");
    }

    private static Event receive(ReceiveChannel<Event> events) throws Exception {
        Received<Event> r = Background.within(ONE_SECOND, "reads events", events::receiveOrClosed,
                () -> "no event on the events channel within 1 s: offer every event to it (trySend) as sample() makes"
                        + " it");
        if (!(r instanceof Received.Value<Event>(Event e))) {
            fail("the events channel was closed while the alerter was open: close it only in close()");
            throw new AssertionError("unreachable");
        }
        return e;
    }

    private static void close(Alerter alerter) throws Exception {
        Background.within(ONE_SECOND, "closes the alerter", () -> {
            alerter.close();
            return null;
        }, () -> "close() did not return within 1 s: stop the sampling thread (cancel its context) and join it");
    }

    /**
     * Closes the alerter at the end of a test, within a second. A try-with-resources, so that when the test has
     * failed already, a close that fails too is added to that failure (suppressed), not put in its place.
     */
    private record Closing(Alerter alerter) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            AlerterTest.close(alerter);
        }
    }

    /** Waits until every thread running the alerter's code is parked: the tick the test made was handled. */
    private static void awaitSamplerParked(LiveThreads threads) {
        Eventually.until(() -> {
            List<LiveThreads.Live> live = threads.runningCodeOf(Alerter.class);
            return !live.isEmpty() && live.stream().allMatch(LiveThreads.Live::parked);
        }, () -> "the sampling thread to wait for its next tick (parked) after a tick: it spins, or it ended."
                + " Where it is:\n" + describe(threads.runningCodeOf(Alerter.class)));
    }

    private static String describe(List<LiveThreads.Live> threads) {
        StringBuilder sb = new StringBuilder();
        for (LiveThreads.Live t : threads) {
            sb.append(t.describe()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Waits until the sample has ended, or its thread has stayed blocked (parked, or waiting for a lock or a
     * monitor) over five looks 10 ms apart: it has gone as far as it can.
     */
    private static void awaitDoneOrBlocked(Background<?> call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int blockedLooks = 0;
        while (!call.isDone() && blockedLooks < 5) {
            if (System.nanoTime() - deadline > 0) {
                fail("a sample neither ended nor blocked within 5 s: does it spin?");
            }
            Thread.State st = call.thread().getState();
            boolean blocked = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING
                    || st == Thread.State.BLOCKED;
            blockedLooks = blocked ? blockedLooks + 1 : 0;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The signal: a value the test sets, and the number of times the alerter read it. */
    static final class Level implements DoubleSupplier {
        private volatile double value;
        private final AtomicInteger reads = new AtomicInteger();

        void set(double v) {
            value = v;
        }

        int reads() {
            return reads.get();
        }

        @Override
        public double getAsDouble() {
            reads.incrementAndGet();
            return value;
        }
    }

    /**
     * An alerter with {@code forSamples} over a {@link Level}, sampled by the test one value at a time: each sample
     * moves the clock a second, sets the value, calls {@link Alerter#sample()} and checks what it returned.
     */
    static final class Script {
        final FakeClock clock = new FakeClock();
        final Level level = new Level();
        final Alerter alerter;
        private final int forSamples;
        private final List<String> history = new ArrayList<>();

        Script(int forSamples) {
            this.forSamples = forSamples;
            this.alerter = new Alerter(level, FIRE_AT, CLEAR_AT, forSamples, 64, clock);
        }

        private List<Event> sample(double v) {
            clock.advance(ONE_SECOND);
            level.set(v);
            int reads = level.reads();
            List<Event> got = alerter.sample();
            assertThat(got).as("sample() returns a list, empty when nothing changed").isNotNull();
            assertThat(level.reads() - reads).as("sample() reads the signal once").isEqualTo(1);
            history.add(v + (got.isEmpty() ? "" : " " + got.stream().map(e -> e.kind().toString()).toList()));
            return got;
        }

        /** Samples {@code v}, which must change nothing; else fails with {@code why}. */
        void nothing(double v, String why) {
            List<Event> got = sample(v);
            if (!got.isEmpty()) {
                fail("sample " + history.size() + " (" + v + ") returned " + got + ", and " + why + ". (fireAt "
                        + FIRE_AT + ", clearAt " + CLEAR_AT + ", forSamples " + forSamples + "; the samples so far: "
                        + history + ")");
            }
        }

        /** Samples {@code v}, which must fire; else fails with {@code why}. */
        Event fires(double v, String why) {
            return changes(v, Kind.FIRING, why);
        }

        /** Samples {@code v}, which must resolve; else fails with {@code why}. */
        Event resolves(double v, String why) {
            return changes(v, Kind.RESOLVED, why);
        }

        private Event changes(double v, Kind kind, String why) {
            List<Event> got = sample(v);
            if (got.size() != 1 || got.getFirst().kind() != kind) {
                fail("sample " + history.size() + " (" + v + ") returned " + got + ", and " + why + ": it returns"
                        + " one " + kind + " event. (fireAt " + FIRE_AT + ", clearAt " + CLEAR_AT + ", forSamples "
                        + forSamples + "; the samples so far: " + history + ")");
            }
            Event e = got.getFirst();
            assertThat(e.value()).as("the event's value is the sample's").isEqualTo(v);
            assertThat(e.atNanos()).as("the event's time is the alerter's clock's at the sample (clock.nanoTime()),"
                    + " never System.nanoTime()").isEqualTo(clock.nanoTime());
            return e;
        }

        /** The events channel holds exactly {@code expected}, in order. */
        void channelHolds(Event... expected) {
            ReceiveChannel<Event> events = alerter.events();
            List<Event> got = new ArrayList<>();
            while (events.tryReceive() instanceof Received.Value<Event>(Event e)) {
                got.add(e);
            }
            assertThat(got).as("the events channel holds every event sample() returned, in order, and no other")
                    .containsExactly(expected);
        }
    }

    /**
     * The samplers' gate. Every read of the signal, and of the clock through {@link #clock}, is a step; once the
     * gate is {@linkplain #arm armed}, a thread that takes a step waits there until every other thread that has
     * stepped has taken as many steps (and there are two), or until the test {@linkplain #open opens} the gate,
     * which then stays open. So two samplers without a lock walk through their samples side by side, each step of
     * one matched by the same step of the other, and both decide on what they saw before either acts; a sampler
     * that holds its lock across the sample waits at its first step for a second one that cannot come.
     */
    static final class Lockstep {
        /** A safety net, far above what any test waits: a gate nobody opens does not hold a sample for ever. */
        private static final long LIMIT = TimeUnit.SECONDS.toNanos(5);

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        /** Guarded by lock. */
        private boolean armed;
        /** Guarded by lock. The steps each thread has taken since the gate was armed. */
        private final Map<Thread, Integer> steps = new HashMap<>();

        void arm() {
            lock.lock();
            try {
                armed = true;
                steps.clear();
            } finally {
                lock.unlock();
            }
        }

        /** Lets every thread held in the gate go, and every later step through. Idempotent. */
        void open() {
            lock.lock();
            try {
                armed = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void step() {
            lock.lock();
            try {
                if (!armed) {
                    return;
                }
                Thread me = Thread.currentThread();
                int mine = steps.merge(me, 1, Integer::sum);
                changed.signalAll();
                long left = LIMIT;
                while (armed && !caughtUp(me, mine) && left > 0) {
                    try {
                        left = changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the sampler's: keep it for its next wait
                        break;
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Call only when holding lock. */
        private boolean caughtUp(Thread me, int mine) {
            if (steps.size() < 2) {
                return false;
            }
            for (Map.Entry<Thread, Integer> e : steps.entrySet()) {
                if (e.getKey() != me && e.getValue() < mine) {
                    return false;
                }
            }
            return true;
        }

        /** {@code fake}'s time, each read a step. */
        Clock clock(FakeClock fake) {
            return new Clock() {
                @Override
                public long nanoTime() {
                    step();
                    return fake.nanoTime();
                }

                @Override
                public void parkUntil(long deadlineNanos, Object blocker) {
                    fake.parkUntil(deadlineNanos, blocker);
                }

                @Override
                public Scheduled schedule(long delayNanos, Runnable task) {
                    return fake.schedule(delayNanos, task);
                }
            };
        }
    }
}
