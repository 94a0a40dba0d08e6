package dev.gopatterns.exercises.pipeline_errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.pipeline_errors.RetryingStage.Failed;
import dev.gopatterns.exercises.pipeline_errors.RetryingStage.Outputs;
import dev.gopatterns.exercises.pipeline_errors.RetryingStage.Policy;
import dev.gopatterns.exercises.pipeline_errors.RetryingStage.TransientException;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `pipeline_errors`: what {@link RetryingStage#process} must do. The test plays {@code fn} ({@link Script}): for each item
 * and attempt it succeeds, fails with a {@link TransientException}, fails for good, or hangs until its attempt's
 * context ends. Time is a {@link FakeClock}, seen through a {@link RecordingClock} that writes down every timed wait
 * anyone starts on it (a parked select, a timer, a context's deadline), so the test reads the backoff the stage
 * chose the moment it starts to wait, and then moves the clock by exactly that much. Nothing sleeps; every wait is
 * bounded. A {@link Pinned} random generator makes the jitter known: it always answers the same fraction of its
 * range.
 *
 * <p>How to run: {@code ./learn check pipeline_errors}
 */
@HangTimeout(seconds = 10) // above the 5 s a test waits for the stage to start a wait, so that failure reads plainly
@DisplayName("Exercise `pipeline_errors`: a retrying pipeline stage, with an errors channel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetryingStageTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TOLERANCE = Duration.ofNanos(1000); // rounding of the random fraction

    private static final String ON_CTX_CLOCK = "wait on ctx.clock() (Select.after(delay, ctx.clock(), ...) beside"
            + " ctx.onDone()), never Thread.sleep or the system clock";

    @Test
    @Order(1)
    @DisplayName("results come out on the results channel, and both channels close when in is closed")
    void resultsThenBothClose() throws Exception {
        try (Fixture f = new Fixture(new Policy(3, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0,
                "a", "b", "c")) {
            f.start();
            Collected got = f.awaitClosed("in was closed and every item succeeded at once");
            assertThat(got.results()).as("every item's result, in order").containsExactly("A", "B", "C");
            assertThat(got.errors()).as("nothing failed").isEmpty();
        }
    }

    @Test
    @Order(2)
    @DisplayName("a retryable failure is retried after a backoff waited on ctx.clock(), and its result comes out")
    void retryAfterBackoffOnTheContextsClock() throws Exception {
        try (Fixture f = new Fixture(new Policy(4, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0, "a")) {
            f.script.plan("a", Step.TRANSIENT, Step.TRANSIENT, Step.OK);
            f.start();
            List<Duration> delays = f.followRetries("a", 1, 2);
            assertDelays(delays, List.of(ONE_SECOND, Duration.ofSeconds(2)), "with the random generator at the top"
                    + " of its range, the delays are the ceilings base·2^(k-1): 1 s, then 2 s");
            Collected got = f.awaitClosed("the 3rd attempt succeeded and in was closed");
            assertThat(got.results()).as("the result of the 3rd attempt").containsExactly("A");
            assertThat(got.errors()).as("an item that succeeded after retries is not a failure").isEmpty();
        }
    }

    @Test
    @Order(3)
    @DisplayName("the backoff ceiling doubles with each retry, and the last failure is reported with its attempts")
    void ceilingDoubles() throws Exception {
        try (Fixture f = new Fixture(new Policy(5, ONE_SECOND, Duration.ofMinutes(1), ATTEMPT_TIMEOUT), 1.0, "a")) {
            f.script.plan("a", Step.TRANSIENT);
            f.start();
            List<Duration> delays = f.followRetries("a", 1, 4);
            assertDelays(delays, seconds(1, 2, 4, 8), "the ceiling must double with each retry: base·2^(k-1),"
                    + " 1 s, 2 s, 4 s, 8 s; exponential, not linear (base·k)");
            Collected got = f.awaitClosed("the 5th and last attempt failed and in was closed");
            assertThat(got.errors()).as("after maxAttempts (5) the item is reported: Failed(item, its last error,"
                    + " attempts = 5); every item that enters comes out, as a result or on the errors channel")
                    .hasSize(1);
            Failed<String> failed = got.errors().getFirst();
            assertThat(failed.item()).isEqualTo("a");
            assertThat(failed.error()).as("the last attempt's error").isSameAs(f.script.lastError("a"));
            assertThat(failed.attempts()).as("attempts").isEqualTo(5);
        }
    }

    @Test
    @Order(4)
    @DisplayName("the backoff ceiling is capped at maxDelay")
    void ceilingIsCapped() throws Exception {
        try (Fixture f = new Fixture(new Policy(6, ONE_SECOND, Duration.ofSeconds(3), ATTEMPT_TIMEOUT), 1.0, "a")) {
            f.script.plan("a", Step.TRANSIENT);
            f.start();
            List<Duration> delays = f.followRetries("a", 1, 5);
            assertDelays(delays, seconds(1, 2, 3, 3, 3), "the ceiling is capped at maxDelay (3 s):"
                    + " min(maxDelay, base·2^(k-1))");
            f.awaitClosed("the last attempt failed");
        }
    }

    @Test
    @Order(5)
    @DisplayName("full jitter: each delay is drawn from [0, ceiling] with the random generator given")
    void fullJitter() throws Exception {
        try (Fixture f = new Fixture(new Policy(5, ONE_SECOND, Duration.ofSeconds(3), ATTEMPT_TIMEOUT), 0.5, "a")) {
            f.script.plan("a", Step.TRANSIENT);
            f.start();
            List<Duration> delays = f.followRetries("a", 1, 4);
            assertDelays(delays, List.of(Duration.ofMillis(500), ONE_SECOND, Duration.ofMillis(1500),
                    Duration.ofMillis(1500)), "full jitter: the delay is random in [0, ceiling], drawn with the"
                    + " random generator given (here it answers the middle of every range, so the delays are half"
                    + " the ceilings 1 s, 2 s, 3 s, 3 s): random.nextLong(ceiling.toNanos() + 1), not the ceiling"
                    + " itself");
            f.awaitClosed("the last attempt failed");
        }
    }

    @Test
    @Order(6)
    @DisplayName("a non-retryable error is reported at once with attempts 1, and the stage goes on with the next item")
    void permanentErrorReportedAtOnce() throws Exception {
        try (Fixture f = new Fixture(new Policy(4, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0,
                "a", "b", "c")) {
            f.script.plan("b", Step.PERMANENT);
            f.start();
            Eventually.until(() -> f.collector.closed() || f.script.attempts("b") > 1 || f.backoffAfter("b", 1),
                    () -> "the stage to report b's failure and end");
            assertThat(f.script.attempts("b") > 1 || f.backoffAfter("b", 1))
                    .as("b failed with an IllegalStateException, which is not retryable, but the stage %s: only"
                            + " TransientException and an attempt's timeout are retried; report any other error"
                            + " at once", f.script.attempts("b") > 1 ? "tried it again" : "began a backoff wait")
                    .isFalse();
            Collected got = f.awaitClosed("in was closed and every item was attempted");
            assertThat(got.errors()).as("b failed for good, so it must be reported on the errors channel as"
                    + " Failed(b, its error, 1): every item that enters comes out, as a result or on the errors"
                    + " channel; none may be dropped").hasSize(1);
            Failed<String> failed = got.errors().getFirst();
            assertThat(failed.item()).isEqualTo("b");
            assertThat(failed.error()).as("the error fn threw").isSameAs(f.script.lastError("b"));
            assertThat(failed.attempts()).as("a non-retryable error is not retried: 1 attempt").isEqualTo(1);
            assertThat(got.results()).as("the stage goes on after a failure").containsExactly("A", "C");
        }
    }

    @Test
    @Order(7)
    @DisplayName("each attempt has its own timeout: a child of ctx with a deadline attemptTimeout from its start")
    void timeoutPerAttempt() throws Exception {
        try (Fixture f = new Fixture(new Policy(3, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0,
                "a", "b")) {
            f.script.plan("a", Step.HANG, Step.OK); // the 1st attempt of a runs out of its time; the 2nd succeeds
            f.script.plan("b", Step.HANG, Step.OK);
            f.start();
            for (String item : List.of("a", "b")) {
                f.script.awaitAttempt(item, 1);
                assertOwnTimeout(f.script.attempt(item, 1));
                f.clock.fake.advance(ATTEMPT_TIMEOUT); // the attempt's deadline: its context ends, fn throws
                List<Duration> delays = f.followRetries(item, 1, 1);
                assertDelays(delays, List.of(ONE_SECOND), "an attempt that runs out of its time"
                        + " (DeadlineExceededException) is retried after the first backoff, 1 s");
                assertOwnTimeout(f.script.attempt(item, 2));
            }
            Collected got = f.awaitClosed("both items succeeded on their 2nd attempt");
            assertThat(got.results()).containsExactly("A", "B");
        }
    }

    @Test
    @Order(8)
    @DisplayName("when ctx ends during a backoff, the item is reported with ctx's error, and both channels close")
    void cancelDuringBackoff() throws Exception {
        try (Fixture f = new Fixture(new Policy(4, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0,
                "a", "b")) {
            f.script.plan("a", Step.TRANSIENT);
            f.keepInOpen();
            f.start();
            f.awaitWait("a", 1);
            f.ctx.cancel();
            Collected got = f.awaitClosed("ctx was cancelled while the stage waited to retry a");
            assertThat(got.errors()).as("a was in hand when ctx ended: it must come out as Failed(a, ctx's error,"
                    + " attempts so far), not vanish").hasSize(1);
            Failed<String> failed = got.errors().getFirst();
            assertThat(failed.item()).isEqualTo("a");
            assertThat(failed.error()).as("the context's error").isInstanceOf(ContextCanceledException.class);
            assertThat(failed.attempts()).as("the attempts made before ctx ended").isEqualTo(1);
            assertThat(f.script.attempts("b")).as("once ctx has ended, the stage takes no more items").isZero();
        }
    }

    @Test
    @Order(9)
    @DisplayName("when ctx ends during an attempt, the attempt's context ends too, and the item is reported")
    void cancelDuringAttempt() throws Exception {
        try (Fixture f = new Fixture(new Policy(4, ONE_SECOND, Duration.ofSeconds(30), ATTEMPT_TIMEOUT), 1.0, "a")) {
            f.script.plan("a", Step.HANG);
            f.start();
            f.script.awaitAttempt("a", 1);
            f.ctx.cancel();
            Collected got = f.awaitClosed("ctx was cancelled during the 1st attempt of a, whose fn waits for its"
                    + " attempt's context to end: that context must be a child of ctx");
            assertThat(got.errors()).as("a must be reported with the context's error").hasSize(1);
            assertThat(got.errors().getFirst().error()).isInstanceOf(ContextCanceledException.class);
            assertThat(got.errors().getFirst().attempts()).isEqualTo(1);
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static void assertOwnTimeout(Script.Attempt a) {
        assertThat(a.remaining()).as("attempt %d of %s (at %s on the clock) got a context whose deadline was %s"
                + " away; each attempt gets its own timeout, Context.withTimeout(ctx, attemptTimeout) made for that"
                + " attempt (not once for the stage, nor once for the item), so every attempt has the full %s",
                a.number(), a.item(), human(Duration.ofNanos(a.start())), a.remaining().isPresent()
                        ? human(Duration.ofNanos(a.remaining().getAsLong())) : "(no deadline)",
                human(ATTEMPT_TIMEOUT))
                .hasValue(ATTEMPT_TIMEOUT.toNanos());
    }

    private static List<Duration> seconds(long... s) {
        List<Duration> d = new ArrayList<>();
        for (long v : s) {
            d.add(Duration.ofSeconds(v));
        }
        return d;
    }

    private static void assertDelays(List<Duration> got, List<Duration> expected, String rule) {
        boolean ok = got.size() == expected.size();
        for (int i = 0; ok && i < got.size(); i++) {
            ok = got.get(i).minus(expected.get(i)).abs().compareTo(TOLERANCE) <= 0;
        }
        if (!ok) {
            fail("the backoff delays the stage waited on the clock were " + human(got) + ", expected "
                    + human(expected) + ": " + rule);
        }
    }

    /** "1 s", "1.5 s", "500 ms", "-1 s": durations as a reader writes them. */
    private static String human(Duration d) {
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000 != 0) {
            return String.format(java.util.Locale.ROOT, "%.6f ms", nanos / 1e6);
        }
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.3f s",
                millis / 1000.0).replaceAll("0+ s$", " s");
    }

    private static String human(List<Duration> ds) {
        return ds.stream().map(RetryingStageTest::human).toList().toString();
    }

    /** What fn does on one attempt. */
    enum Step { OK, TRANSIENT, PERMANENT, HANG }

    /** The collected output: results and failures, in the order they came. */
    record Collected(List<String> results, List<Failed<String>> errors) {}

    /** fn, played by the test: each item follows its plan, attempt by attempt (the last step repeats). */
    static final class Script implements RetryingStage.Step<String, String> {
        /** One call of fn: the fake time it started at, its context's deadline from then, the clock's event mark. */
        record Attempt(String item, int number, long start, OptionalLong remaining, int mark) {}

        private final RecordingClock clock;
        private final Map<String, List<Step>> plans = new ConcurrentHashMap<>();
        private final Map<String, Exception> lastErrors = new ConcurrentHashMap<>();
        private final Map<String, Long> failedAt = new ConcurrentHashMap<>();
        /** Guarded by itself. */
        private final List<Attempt> attempts = new ArrayList<>();

        Script(RecordingClock clock) {
            this.clock = clock;
        }

        void plan(String item, Step... steps) {
            plans.put(item, List.of(steps));
        }

        @Override
        public String apply(Context attemptCtx, String item) throws Exception {
            int number;
            synchronized (attempts) {
                number = (int) attempts.stream().filter(a -> a.item().equals(item)).count() + 1;
                OptionalLong deadline = attemptCtx.deadline();
                long now = clock.nanoTime();
                attempts.add(new Attempt(item, number, now,
                        deadline.isPresent() ? OptionalLong.of(deadline.getAsLong() - now) : OptionalLong.empty(),
                        clock.events()));
            }
            List<Step> plan = plans.getOrDefault(item, List.of(Step.OK));
            Step step = plan.get(Math.min(number, plan.size()) - 1);
            switch (step) {
                case OK -> {
                    return item.toUpperCase();
                }
                case TRANSIENT -> throw remember(item, new TransientException(item + ": attempt " + number
                        + " failed, try again"));
                case PERMANENT -> throw remember(item, new IllegalStateException(item + ": bad input, do not"
                        + " retry"));
                case HANG -> {
                    attemptCtx.done().receiveOrClosed(); // until the attempt's context ends
                    throw remember(item, attemptCtx.err().orElseThrow());
                }
                default -> throw new AssertionError(step);
            }
        }

        private Exception remember(String item, Exception e) {
            synchronized (attempts) {
                failedAt.put(item + "#" + attempts(item), clock.nanoTime());
            }
            lastErrors.put(item, e);
            return e;
        }

        /** The fake time attempt {@code number} of {@code item} failed at; recorded before fn throws. */
        OptionalLong failedAt(String item, int number) {
            Long t = failedAt.get(item + "#" + number);
            return t == null ? OptionalLong.empty() : OptionalLong.of(t);
        }

        Exception lastError(String item) {
            return lastErrors.get(item);
        }

        int attempts(String item) {
            synchronized (attempts) {
                return (int) attempts.stream().filter(a -> a.item().equals(item)).count();
            }
        }

        List<Attempt> all() {
            synchronized (attempts) {
                return List.copyOf(attempts);
            }
        }

        /** The clock's event mark when attempt {@code number} of {@code item} started (Integer.MAX_VALUE if not). */
        int mark(String item, int number) {
            synchronized (attempts) {
                return attempts.stream().filter(a -> a.item().equals(item) && a.number() == number)
                        .mapToInt(Attempt::mark).findFirst().orElse(Integer.MAX_VALUE);
            }
        }

        Attempt attempt(String item, int number) {
            synchronized (attempts) {
                return attempts.stream().filter(a -> a.item().equals(item) && a.number() == number).findFirst()
                        .orElseThrow();
            }
        }

        void awaitAttempt(String item, int number) {
            Eventually.until(() -> attempts(item) >= number, () -> "attempt " + number + " of " + item + " to start"
                    + " (" + attempts(item) + " had)");
        }
    }

    /**
     * The clock of the stage's context: a {@link FakeClock} that also writes down the deadline of every timed wait
     * started on it (a select's timeout, a timer, a context's deadline), in order.
     */
    static final class RecordingClock implements Clock {
        final FakeClock fake = new FakeClock();
        /** Deadlines in the order the waits were started; guarded by itself. */
        private final List<Long> deadlines = new ArrayList<>();

        @Override
        public long nanoTime() {
            return fake.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos, Object blocker) {
            record(deadlineNanos); // before parking: FakeClock returns at once if the time has come meanwhile
            fake.parkUntil(deadlineNanos, blocker);
        }

        @Override
        public Scheduled schedule(long delayNanos, Runnable task) {
            long now = fake.nanoTime();
            Scheduled s = fake.schedule(delayNanos, task); // scheduled first, so a later advance runs it
            record(Clock.deadlineAfter(now, Math.max(0, delayNanos)));
            return s;
        }

        @Override
        public Scheduled scheduleAt(long deadlineNanos, Runnable task) {
            Scheduled s = fake.scheduleAt(deadlineNanos, task);
            record(deadlineNanos);
            return s;
        }

        private void record(long deadline) {
            synchronized (deadlines) {
                deadlines.add(deadline);
            }
        }

        /** How many waits have been started so far: a mark for {@link #eventsAfter}. */
        int events() {
            synchronized (deadlines) {
                return deadlines.size();
            }
        }

        /** The deadlines of the waits started after {@code mark}. */
        List<Long> eventsAfter(int mark) {
            synchronized (deadlines) {
                return mark >= deadlines.size() ? List.of() : List.copyOf(deadlines.subList(mark, deadlines.size()));
            }
        }

        @Override
        public String toString() {
            return "RecordingClock[" + fake + "]";
        }
    }

    /** A random generator that always answers the same fraction of its range: 1.0 is the top of it. */
    record Pinned(double fraction) implements RandomGenerator {
        @Override
        public long nextLong() {
            return (long) ((fraction - 0.5) * 2 * Long.MAX_VALUE);
        }

        @Override
        public long nextLong(long bound) {
            return nextLong(0, bound);
        }

        @Override
        public long nextLong(long origin, long bound) {
            long span = bound - origin;
            return origin + Math.min(span - 1, (long) Math.floor(fraction * span));
        }

        @Override
        public int nextInt(int bound) {
            return nextInt(0, bound);
        }

        @Override
        public int nextInt(int origin, int bound) {
            return (int) nextLong(origin, bound);
        }

        @Override
        public double nextDouble() {
            return Math.min(fraction, Math.nextDown(1.0));
        }

        @Override
        public double nextDouble(double bound) {
            return nextDouble(0, bound);
        }

        @Override
        public double nextDouble(double origin, double bound) {
            return Math.min(origin + fraction * (bound - origin), Math.nextDown(bound));
        }

        @Override
        public float nextFloat() {
            return (float) Math.min(fraction, Math.nextDown(1.0f));
        }
    }

    /** Reads both outputs until both are closed, in a thread of its own. */
    static final class Collector {
        private final List<String> results = Collections.synchronizedList(new ArrayList<>());
        private final List<Failed<String>> errors = Collections.synchronizedList(new ArrayList<>());
        private final Background<Collected> background;

        Collector(Outputs<String, String> out) {
            background = Background.start("reads the stage's outputs", () -> {
                ReceiveChannel<String> res = out.results();
                ReceiveChannel<Failed<String>> err = out.errors();
                boolean resOpen = true;
                boolean errOpen = true;
                while (resOpen || errOpen) {
                    ReceiveChannel<String> r = resOpen ? res : Channel.nil();
                    ReceiveChannel<Failed<String>> e = errOpen ? err : Channel.nil();
                    int which = Select.select(
                            r.onReceiveOrClosed(v -> v instanceof Received.Value<String>(String s) && results.add(s)
                                    ? 1 : -1),
                            e.onReceiveOrClosed(v -> v instanceof Received.Value<Failed<String>>(Failed<String> x)
                                    && errors.add(x) ? 2 : -2));
                    if (which == -1) {
                        resOpen = false;
                    } else if (which == -2) {
                        errOpen = false;
                    }
                }
                return snapshot();
            });
        }

        Collected snapshot() {
            synchronized (results) {
                synchronized (errors) {
                    return new Collected(List.copyOf(results), List.copyOf(errors));
                }
            }
        }

        boolean closed() {
            return background.isDone();
        }

        Collected await(String when) throws Exception {
            return background.await(ONE_SECOND, () -> "the stage's channels were not both closed 1 s after " + when
                    + " (so far: results " + snapshot().results() + ", errors " + snapshot().errors() + "): close"
                    + " both when in is closed or ctx ends, and report every item first");
        }

        void close() {
            background.close();
        }
    }

    /** The stage under test, on a recording fake clock, with the test's fn and input. */
    static final class Fixture implements AutoCloseable {
        final RecordingClock clock = new RecordingClock();
        final CancellableContext ctx = Context.withCancel(Context.background(clock));
        final Script script = new Script(clock);
        final Policy policy;
        final RandomGenerator random;
        final Channel<String> in;
        private final List<String> items;
        private boolean keepOpen;
        Collector collector;

        Fixture(Policy policy, double jitterFraction, String... items) {
            this.policy = policy;
            this.random = new Pinned(jitterFraction);
            this.items = List.of(items);
            this.in = Channel.make(items.length);
        }

        /** Leave in open after its items, so the stage would wait for more. */
        void keepInOpen() {
            keepOpen = true;
        }

        void start() throws Exception {
            for (String item : items) {
                in.send(item);
            }
            if (!keepOpen) {
                in.close();
            }
            Outputs<String, String> out = RetryingStage.process(ctx, in, script, policy, random);
            collector = new Collector(out);
        }

        /**
         * Waits until the stage begins its backoff after attempt {@code number} of {@code item} failed: a timed
         * wait started on the clock after that attempt. Fails, saying to wait on ctx.clock(), if the next attempt
         * starts without one, or none comes.
         *
         * @return the backoff: the wait's deadline less the time of the failed attempt
         */
        Duration awaitWait(String item, int number) throws Exception {
            script.awaitAttempt(item, number);
            Script.Attempt failed = script.attempt(item, number);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (;;) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("the test was stopped while it waited for a backoff");
                }
                // The first wait started after the attempt failed, other than the next attempt's own timeout (a
                // deadline attemptTimeout from now, which no backoff in these tests is).
                OptionalLong failedAt = script.failedAt(item, number);
                List<Long> waits = failedAt.isEmpty() ? List.of() : clock.eventsAfter(failed.mark()).stream()
                        .filter(d -> d - failedAt.getAsLong() != ATTEMPT_TIMEOUT.toNanos()).toList();
                if (!waits.isEmpty()) {
                    return Duration.ofNanos(waits.getFirst() - failedAt.getAsLong());
                }
                if (script.attempts(item) > number) {
                    fail("retry " + number + " of " + item + " began without a wait on the context's clock: the"
                            + " backoff must " + ON_CTX_CLOCK + ", so that it is the context's time that passes, and"
                            + " the wait ends when ctx does");
                }
                if (collector.closed()) {
                    collector.await("the stage ended");
                    fail("after attempt " + number + " of " + item + " failed (retryably), the stage ended instead"
                            + " of waiting to retry; got " + collector.snapshot());
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("waited 5 s for the stage to start its backoff wait after attempt " + number + " of " + item
                            + " failed with a retryable error, but no wait was started on the context's clock: "
                            + ON_CTX_CLOCK);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }

        /**
         * Follows {@code retries} retries of {@code item}: reads each backoff as the stage starts it, moves the
         * clock by exactly that much, and waits for the next attempt.
         */
        List<Duration> followRetries(String item, int fromAttempt, int retries) throws Exception {
            List<Duration> delays = new ArrayList<>();
            for (int k = fromAttempt; k < fromAttempt + retries; k++) {
                Duration d = awaitWait(item, k);
                delays.add(d);
                if (d.isNegative()) {
                    break;
                }
                clock.fake.advance(d);
                script.awaitAttempt(item, k + 1);
            }
            return delays;
        }

        /**
         * Whether a backoff wait began after attempt {@code number} of {@code item}: a wait started on the clock
         * after it, other than the next attempt's timeout (whose deadline is attemptTimeout from now).
         */
        boolean backoffAfter(String item, int number) {
            int mark = script.mark(item, number);
            if (mark == Integer.MAX_VALUE) {
                return false;
            }
            long start = script.attempt(item, number).start();
            return clock.eventsAfter(mark).stream().anyMatch(d -> d - start != ATTEMPT_TIMEOUT.toNanos());
        }

        Collected awaitClosed(String when) throws Exception {
            return collector.await(when);
        }

        @Override
        public void close() {
            ctx.cancel();
            try {
                in.close();
            } catch (RuntimeException closedAlready) {
                // the test closed it
            }
            if (collector != null) {
                collector.close();
            }
        }
    }
}
