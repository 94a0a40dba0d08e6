package dev.gopatterns.exercises.retry_backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `retry_backoff`: what {@link Retry} must do, on a {@link FakeClock} that only the test moves.
 *
 * <p>The operation is played by the test: it writes down the fake time of every attempt and fails or returns as
 * each test tells it. The jitter is the test's too: it writes down every ceiling it is asked for and draws a known
 * share of it (half, unless a test says otherwise), so every delay is known in advance. A test advances the clock
 * only once the call is waiting on it (a thread parked on the clock, {@link FakeClock#sleepers}, or a timer
 * scheduled on it, {@link FakeClock#pendingTasks}). A call that does not wait so is told which way it went wrong:
 * it retried at once, waited with {@code Thread.sleep}, waited on the system clock, or stopped retrying. No test
 * sleeps; each call is given at most a second to end once it can.
 *
 * <p>How to run: {@code ./learn check retry_backoff}
 */
@HangTimeout(seconds = 10) // above the 5 s the tests give a call to start waiting, so that failure reads plainly
@DisplayName("Exercise `retry_backoff`: retry with capped, jittered, exponential backoff")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class RetryTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** Delays long enough that a wait on the wall clock is seen waiting (and caught) before it ends. */
    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofSeconds(60);
    private static final UnaryOperator<Duration> HALF = c -> c.dividedBy(2);

    @Test
    @Order(1)
    @DisplayName("an operation that returns is called once and its value returned, with no wait")
    void returnsAtOnce() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(3, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> "value " + n);

        String got = Background.within(ONE_SECOND, "calls retry.call", () -> retry.call(f.root, op),
                () -> "call did not return within 1 s, and the operation returns at its first attempt");

        assertThat(got).as("call returns what the attempt returned").isEqualTo("value 1");
        assertThat(op.count()).as("an attempt that returns is the last one: the operation is called once")
                .isEqualTo(1);
        assertThat(f.jitter.ceilings()).as("no retry, so no delay is drawn").isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("the ceiling before retry k is min(maxDelay, initialDelay * 2^(k-1)): from initialDelay, doubling,"
            + " capped, never overflowing")
    void ceilingDoublesFromInitialAndIsCapped() {
        Retry retry = new Retry(500, Duration.ofMillis(100), Duration.ofSeconds(1), new Draws(HALF));

        Duration first = retry.ceiling(1);
        if (!first.equals(Duration.ofMillis(100))) {
            fail("ceiling(1), the ceiling before the first retry, was " + first + ": the first retry's ceiling is"
                    + " initialDelay (100 ms) itself. The ceiling before retry k is initialDelay * 2^(k-1): k = 1"
                    + " is 2^0 = 1 times initialDelay, then it doubles");
        }
        List<Duration> expected = List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofSeconds(1));
        for (int k = 1; k <= expected.size(); k++) {
            Duration got = retry.ceiling(k);
            if (got.compareTo(Duration.ofSeconds(1)) > 0) {
                fail("ceiling(" + k + ") was " + got + ", above maxDelay (1 s): the ceiling is capped at maxDelay,"
                        + " min(maxDelay, initialDelay * 2^(k-1)), or the delays grow without bound");
            }
            assertThat(got).as("ceiling(%d) with initialDelay 100 ms and maxDelay 1 s: 100 ms, 200 ms, 400 ms,"
                    + " 800 ms, then 1 s (the cap) from there on", k).isEqualTo(expected.get(k - 1));
        }
        for (int k = 7; k <= 500; k++) {
            Duration got = retry.ceiling(k);
            if (!got.equals(Duration.ofSeconds(1))) {
                fail("ceiling(" + k + ") was " + got + ", and from ceiling(5) on it must stay at maxDelay (1 s):"
                        + " the ceiling overflows. initialDelay * 2^(k-1) does not fit in a long for large k (and"
                        + " a long shifted by 64 or more wraps round): double only while below maxDelay, or"
                        + " saturate, so that a long run of retries stays at the cap");
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("a failed attempt is retried once the delay the jitter drew has passed on the context's clock:"
            + " not before, not later")
    void retriesAfterTheDrawnDelay() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(4, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> {
            if (n <= 2) {
                throw new Flaky(n);
            }
            return "value " + n;
        });

        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, op)); ctx) {
            f.awaitWaiting(call, op, 1);
            f.checkDrawn(List.of(INITIAL), "after attempt 1 failed");
            Duration drawn = INITIAL.dividedBy(2);

            f.clock.advance(drawn.minusMillis(1));
            assertThat(op.count()).as("the drawn delay (%s) had not passed yet: attempt 2 must not start",
                    drawn).isEqualTo(1);
            f.clock.advance(Duration.ofMillis(1));
            f.awaitAttempts(call, op, 2, () -> "attempt 2 to start once the delay the jitter drew, " + drawn
                    + " (half of the ceiling " + INITIAL + "), had passed on the context's clock. It did not: it"
                    + " waited longer than the drawn delay. Full jitter waits the delay drawn from [0, ceiling],"
                    + " jitter.draw(ceiling(k)), not the ceiling itself");

            f.awaitWaiting(call, op, 2);
            f.checkDrawn(List.of(INITIAL, INITIAL.multipliedBy(2)), "after attempt 2 failed");
            f.clock.advance(INITIAL);
            String got = call.await(ONE_SECOND, () -> "attempt 3 did not return within 1 s of its delay ("
                    + INITIAL + ") passing on the context's clock");

            assertThat(got).as("call returns what the first attempt that returned returned").isEqualTo("value 3");
            assertThat(op.times()).as("attempt 1 at once, attempt 2 one drawn delay (5 s) later, attempt 3 one"
                    + " more (10 s) later").containsExactly(0L, secs(5), secs(15));
        }
    }

    @Test
    @Order(4)
    @DisplayName("after maxAttempts failed attempts, call throws the last failure, the earlier ones suppressed in it,"
            + " oldest first")
    void throwsTheLastFailureWithTheHistory() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(3, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> {
            throw new Flaky(n);
        });

        Throwable thrown;
        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, op)); ctx) {
            thrown = f.runToEnd(call, op);
        }

        if (op.count() != 3) {
            fail("call made " + op.count() + " attempts with maxAttempts = 3: at most maxAttempts attempts in"
                    + " all, the first included (so maxAttempts - 1 retries), and then it gives up");
        }
        if (!(thrown instanceof Flaky)) {
            fail("after its 3 attempts failed, call " + (thrown == null ? "returned" : "threw " + thrown)
                    + ": it must throw the last attempt's failure, as it was thrown", thrown);
        }
        assertThat(thrown).as("call throws the last attempt's failure itself, not another exception")
                .isSameAs(op.failure(3));
        assertThat(thrown.getSuppressed()).as("call must throw the last failure with the earlier failures"
                        + " suppressed in the last one, oldest first (last.addSuppressed(each earlier)), so the"
                        + " whole history travels with it")
                .containsExactly(op.failure(1), op.failure(2));
    }

    @Test
    @Order(5)
    @DisplayName("a cancel while it waits ends call at once with the context's error, as it is; no attempt after it")
    void cancelEndsTheWait() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(5, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> {
            throw new Flaky(n);
        });
        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, op)); ctx) {
            f.awaitWaiting(call, op, 1);

            ctx.cancel();

            Throwable thrown = null;
            try {
                String got = call.await(ONE_SECOND, () -> "call was still waiting 1 s after its context was"
                        + " cancelled, and the clock had not moved: a cancel must end the wait at once. Wait in a"
                        + " select over the delay and the context, Select.select(Select.after(delay,"
                        + " ctx.clock(), ...), ctx.onDone(...))");
                fail("call returned \"" + got + "\" after its context was cancelled");
            } catch (Exception e) {
                thrown = e;
            }
            if (op.count() > 1) {
                fail("the context was cancelled while call waited after attempt 1, and call then made "
                        + (op.count() - 1) + " attempt(s) more (it ended with " + thrown + "): no attempt may"
                        + " start once the context has ended. When the select's ctx.onDone case fires, throw"
                        + " ctx.err() and stop", thrown);
            }
            ContextException err = ctx.err().orElseThrow();
            if (err.getSuppressed().length > 0) {
                fail("the context's error has " + err.getSuppressed().length + " exception(s) suppressed in it: never"
                        + " add to the context's error. ctx.err() is one object, shared by everyone who asks that"
                        + " context; throw it as it is, and keep the history for the last failure only");
            }
            if (!(thrown instanceof ContextCanceledException)) {
                fail("call ended with " + thrown + " after its context was cancelled: it must throw the context's"
                        + " error, ctx.err(), as it is", thrown);
            }
            assertThat(thrown).as("call must throw the context's error itself, ctx.err().orElseThrow(), not a"
                    + " copy").isSameAs(err);
        }
    }

    @Test
    @Order(6)
    @DisplayName("a context that ended before an attempt, or during one, ends call with its error: no attempt after")
    void contextEndedBeforeOrDuringAnAttempt() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(3, INITIAL, MAX, f.jitter);

        CancellableContext ended = Context.withCancel(f.root);
        ended.cancel();
        Attempts untouched = f.attempts((n, ctx) -> "value " + n);
        Throwable before = f.outcome(() -> retry.call(ended, untouched));
        assertThat(untouched.count()).as("the context had ended before call began: no attempt may start once the"
                + " context has ended (check ctx before each attempt, ctx.throwIfDone())").isZero();
        assertThat(before).as("with a context that had already ended, call must throw the context's error as it"
                + " is").isSameAs(ended.err().orElseThrow());

        CancellableContext ctx = Context.withCancel(f.root);
        Attempts cancelling = f.attempts((n, c) -> {
            ctx.cancel(); // the caller gives up while the attempt runs; the attempt then fails
            throw new Flaky(n);
        });
        Throwable during;
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, cancelling)); ctx) {
            during = f.outcome(call);
        }
        assertThat(cancelling.count()).as("the context ended during attempt 1: no attempt may start once the"
                + " context has ended").isEqualTo(1);
        assertThat(during).as("the context ended during attempt 1, which then failed: call must throw the"
                + " context's error as it is (the failure is most likely the cancel's doing), not the attempt's"
                + " failure").isSameAs(ctx.err().orElseThrow());
    }

    @Test
    @Order(7)
    @DisplayName("an InterruptedException from the operation is never retried: call rethrows it at once")
    void interruptedAttemptIsNotRetried() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(5, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> {
            if (n == 1) {
                throw new Flaky(n);
            }
            throw new InterruptedException("attempt " + n + " was interrupted (the test told it to)");
        });

        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, op)); ctx) {
            f.awaitWaiting(call, op, 1);
            f.clock.advance(MAX); // past any delay
            f.awaitAttempts(call, op, 2, () -> "attempt 2 to start once the clock had passed maxDelay (" + MAX
                    + "), longer than any delay");
            Eventually.until(() -> call.isDone() || op.count() > 2 || f.clockWaiters() > 0,
                    () -> "call to end after attempt 2 threw InterruptedException");
            if (!call.isDone() || op.count() > 2) {
                fail("attempt 2 threw InterruptedException, and call went on to " + (op.count() > 2
                        ? "attempt " + op.count() : "wait for another attempt") + ": never retry an"
                        + " InterruptedException. An interrupt is a request to stop, not a failure: catch it"
                        + " before the catch (Exception e) that retries, and rethrow it");
            }
            Throwable thrown = f.outcome(call);
            assertThat(thrown).as("call must rethrow the InterruptedException the attempt threw, as it is")
                    .isSameAs(op.failure(2));
        }
    }

    @Test
    @Order(8)
    @DisplayName("an interrupt while it waits ends call with InterruptedException, and no attempt after it")
    void interruptWhileWaitingEndsTheCall() throws Exception {
        Fixture f = new Fixture(HALF);
        Retry retry = new Retry(5, INITIAL, MAX, f.jitter);
        Attempts op = f.attempts((n, ctx) -> {
            throw new Flaky(n);
        });

        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls retry.call", () -> retry.call(ctx, op)); ctx) {
            f.awaitWaiting(call, op, 1);

            call.thread().interrupt();

            Eventually.until(() -> call.isDone() || op.count() > 1, () -> "call to end after its thread was"
                    + " interrupted while it waited (the clock had not moved): an interrupt while it waits must"
                    + " end call with InterruptedException; was it caught and the wait begun again?");
            if (op.count() > 1) {
                fail("call's thread was interrupted while it waited after attempt 1, and call went on to attempt "
                        + op.count() + ": an interrupt while it waits must end call with InterruptedException. It"
                        + " was swallowed: do not catch the InterruptedException the select throws (let it leave"
                        + " call), and never go on retrying after one");
            }
            Throwable thrown = f.outcome(call);
            assertThat(thrown).as("an interrupt while it waits must end call with InterruptedException")
                    .isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    @Order(9)
    @DisplayName("maxAttempts < 1, a negative initialDelay, or maxDelay < initialDelay is refused, naming the rule")
    void refusesMisuse() {
        Draws jitter = new Draws(HALF);
        assertRefused(() -> new Retry(0, INITIAL, MAX, jitter), "maxAttempts",
                "maxAttempts = 0 makes no attempt at all (1 means: no retry)");
        assertRefused(() -> new Retry(3, Duration.ofSeconds(-1), MAX, jitter), "initialDelay",
                "a negative initialDelay is no delay");
        assertRefused(() -> new Retry(3, MAX, INITIAL, jitter), "maxDelay",
                "a maxDelay below initialDelay would cap the first delay under its own start");
        new Retry(1, Duration.ZERO, Duration.ZERO, jitter); // one attempt, no delay: allowed
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long secs(long seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    private static void assertRefused(Runnable make, String rule, String why) {
        try {
            make.run();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).as("the IllegalArgumentException names the rule it enforces (%s):"
                    + " its message mentions %s", why, rule).contains(rule);
            return;
        }
        fail("the constructor accepted an illegal argument (" + why + "): refuse it with an"
                + " IllegalArgumentException whose message names the rule, e.g. \"" + rule + " must be ...\"");
    }

    /** What an attempt throws when the test tells it to fail. */
    static final class Flaky extends Exception {
        private static final long serialVersionUID = 1L;

        Flaky(int attempt) {
            super("attempt " + attempt + " failed (the test told it to)");
        }
    }

    /** What the test's operation does at attempt {@code n} (1 first). */
    @FunctionalInterface
    interface Outcome {
        String attempt(int n, Context ctx) throws Exception;
    }

    /** The operation: writes down the fake time of each attempt and what it threw. */
    static final class Attempts implements Retry.Operation<String> {
        private final FakeClock clock;
        private final Outcome outcome;
        /** Guarded by this. */
        private final List<Long> times = new ArrayList<>();
        private final Map<Integer, Exception> failures = new ConcurrentHashMap<>();

        Attempts(FakeClock clock, Outcome outcome) {
            this.clock = clock;
            this.outcome = outcome;
        }

        @Override
        public String call(Context ctx) throws Exception {
            int n;
            synchronized (this) {
                times.add(clock.nanoTime());
                n = times.size();
            }
            try {
                return outcome.attempt(n, ctx);
            } catch (Exception e) {
                failures.put(n, e);
                throw e;
            }
        }

        synchronized int count() {
            return times.size();
        }

        /** The fake time of each attempt so far, in nanoseconds. */
        synchronized List<Long> times() {
            return List.copyOf(times);
        }

        /** What attempt {@code n} threw; fails if it did not throw. */
        Exception failure(int n) {
            Exception e = failures.get(n);
            if (e == null) {
                throw new AssertionError("attempt " + n + " did not throw (" + count() + " attempts were made)");
            }
            return e;
        }
    }

    /** The jitter: writes down every ceiling asked for, and draws {@code share} of it. */
    static final class Draws implements Retry.Jitter {
        private final UnaryOperator<Duration> share;
        /** Guarded by this. */
        private final List<Duration> ceilings = new ArrayList<>();

        Draws(UnaryOperator<Duration> share) {
            this.share = share;
        }

        @Override
        public synchronized Duration draw(Duration ceiling) {
            ceilings.add(ceiling);
            return share.apply(ceiling);
        }

        synchronized List<Duration> ceilings() {
            return List.copyOf(ceilings);
        }
    }

    /** A fake clock at 0, a root context on it, and the jitter. */
    static final class Fixture {
        final FakeClock clock = new FakeClock();
        final Context root = Context.background(clock);
        final Draws jitter;

        Fixture(UnaryOperator<Duration> share) {
            this.jitter = new Draws(share);
        }

        Attempts attempts(Outcome outcome) {
            return new Attempts(clock, outcome);
        }

        int clockWaiters() {
            return clock.sleepers() + clock.pendingTasks();
        }

        /** What {@code step} threw, or null if it returned; a TODO of the stub is rethrown as it is. */
        Throwable outcome(java.util.concurrent.Callable<?> step) throws Exception {
            try {
                Background.within(ONE_SECOND, "calls retry.call", step, () -> "call did not end within 1 s");
                return null;
            } catch (UnsupportedOperationException todo) {
                throw todo;
            } catch (Exception e) {
                return e;
            }
        }

        /** How the call ended: what it threw, or null if it returned; a TODO of the stub is rethrown as it is. */
        Throwable outcome(Background<?> call) throws Exception {
            try {
                call.await(ONE_SECOND, () -> "call did not end within 1 s");
                return null;
            } catch (UnsupportedOperationException todo) {
                throw todo;
            } catch (Exception e) {
                return e;
            }
        }

        /** Checks the ceilings the jitter was asked for so far, telling the wrong ways apart. */
        void checkDrawn(List<Duration> expected, String when) {
            List<Duration> asked = jitter.ceilings();
            if (asked.isEmpty()) {
                fail("call waited " + when + " without drawing its delay (jitter.draw was never called): full"
                        + " jitter waits a delay drawn from [0, ceiling(k)], jitter.draw(ceiling(k)), not the"
                        + " ceiling itself; without it the retries of many callers that failed together come back"
                        + " together");
            }
            int k = asked.size();
            if (k >= 2 && k == expected.size() && !asked.get(k - 1).equals(expected.get(k - 1))
                    && asked.get(k - 1).equals(share(asked.get(k - 2)).multipliedBy(2))) {
                fail("before retry " + k + " the jitter was asked for a ceiling of " + asked.get(k - 1) + ", twice the"
                        + " delay drawn before retry " + (k - 1) + " (" + share(asked.get(k - 2)) + "): the ceiling"
                        + " doubles from initialDelay per retry, ceiling(" + k + ") = " + expected.get(k - 1) + ","
                        + " not from the delay last drawn");
            }
            assertThat(asked).as("the ceilings the jitter was asked for, " + when + ": one per retry, ceiling(k) ="
                    + " min(maxDelay, initialDelay * 2^(k-1)) with initialDelay " + INITIAL + " and maxDelay " + MAX)
                    .containsExactlyElementsOf(expected);
        }

        private Duration share(Duration ceiling) {
            return jitter.share.apply(ceiling);
        }

        /** Waits until attempt {@code n} has started, or the call has ended; fails with {@code ifNot} if neither. */
        void awaitAttempts(Background<?> call, Attempts op, int n, java.util.function.Supplier<String> ifNot) {
            Eventually.until(() -> op.count() >= n || call.isDone(), () -> ifNot.get() + " (timers on the clock: "
                    + clock.pendingTasks() + ", threads parked on it: " + clock.sleepers() + ")");
        }

        /**
         * Drives the call to its end: each time it waits on the clock, moves the clock past any delay (maxDelay),
         * and waits for the next attempt. Returns what the call threw, or null if it returned.
         */
        Throwable runToEnd(Background<?> call, Attempts op) throws Exception {
            awaitAttempts(call, op, 1, () -> "call to make its first attempt");
            for (int waits = 0; ; waits++) {
                if (waits > 20) {
                    fail("call was still retrying after 20 waits and " + op.count() + " attempts");
                }
                int before = op.count();
                if (!awaitWaitingOrDone(call, op, before)) {
                    break;
                }
                clock.advance(MAX);
                awaitAttempts(call, op, before + 1, () -> "attempt " + (before + 1) + " to start once the clock"
                        + " had passed maxDelay (" + MAX + "), longer than any delay");
            }
            return outcome(call);
        }

        /** Waits until the call waits on the clock after attempt {@code attempts} failed; fails if it does not. */
        void awaitWaiting(Background<?> call, Attempts op, int attempts) throws Exception {
            if (!awaitWaitingOrDone(call, op, attempts)) {
                Throwable ended = outcome(call);
                fail("call ended after " + attempts + " attempt(s), " + (ended == null ? "returning"
                        : "throwing " + ended) + ", instead of waiting to retry: with attempts left, a failed"
                        + " attempt is retried after its delay", ended);
            }
        }

        /**
         * Waits until the call waits on the clock (a thread parked on it, or a timer scheduled on it) after
         * attempt {@code attempts} failed: true then, false if the call ended instead. Fails in plain words,
         * telling the cases apart, if it does neither: it retried at once, or it waits on the wall clock
         * (Thread.sleep, a timer of the system clock), or on nothing the test can see.
         */
        boolean awaitWaitingOrDone(Background<?> call, Attempts op, int attempts) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            long timedSince = 0; // when the thread was first seen in a timed wait with nothing on the clock
            long blockedSince = 0; // ... in an untimed one
            for (int spins = 0; ; spins++) {
                if (clockWaiters() > 0) {
                    return true;
                }
                if (op.count() > attempts) {
                    fail("attempt " + (attempts + 1) + " started at fake time " + op.times().getLast() / 1_000_000
                            + " ms, though the context's clock had not moved since attempt " + attempts + " failed:"
                            + " it did not wait on the context's clock. Wait the drawn delay before each retry, in a"
                            + " select over Select.after(delay, ctx.clock(), ...) and ctx.onDone(...)");
                }
                if (call.isDone()) {
                    return false;
                }
                Thread t = call.thread();
                Thread.State s = t.getState();
                long now = System.nanoTime();
                timedSince = s == Thread.State.TIMED_WAITING ? (timedSince == 0 ? now : timedSince) : 0;
                blockedSince = s == Thread.State.WAITING ? (blockedSince == 0 ? now : blockedSince) : 0;
                if (timedSince != 0 && now - timedSince > Duration.ofMillis(300).toNanos() && clockWaiters() == 0) {
                    fail(wallClockWait(t, attempts));
                }
                if (blockedSince != 0 && now - blockedSince > Duration.ofSeconds(2).toNanos()
                        && clockWaiters() == 0) {
                    fail("after attempt " + attempts + " failed, call blocked for 2 s with nothing on the context's"
                            + " clock (no thread parked on it, no timer): wait the drawn delay on the context's"
                            + " clock, Select.select(Select.after(delay, ctx.clock(), ...), ctx.onDone(...))."
                            + " Where it is blocked:" + frames(t));
                }
                if (now - deadline > 0) {
                    fail("waited 5 s for call to wait on the context's clock after attempt " + attempts
                            + " failed, but the clock never saw it (timers: " + clock.pendingTasks() + ", parked"
                            + " threads: " + clock.sleepers() + "). Where it is:" + frames(t));
                }
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        private static String wallClockWait(Thread t, int attempts) {
            boolean sleeps = Arrays.stream(t.getStackTrace()).anyMatch(
                    e -> e.getClassName().equals("java.lang.Thread") && e.getMethodName().startsWith("sleep"));
            if (sleeps) {
                return "after attempt " + attempts + " failed, call waits with Thread.sleep: that is the wall"
                        + " clock, which the context's clock (a FakeClock only the test moves) never sees, and a"
                        + " cancel cannot cut it short. Wait in a select over the delay and the context,"
                        + " Select.select(Select.after(delay, ctx.clock(), ...), ctx.onDone(...))";
            }
            return "after attempt " + attempts + " failed, call is in a timed wait with nothing on the context's"
                    + " clock: it waits on the system clock, not on the context's clock. Give the wait the"
                    + " context's clock: Select.after(delay, ctx.clock(), ...), not Select.after(delay, ...)."
                    + " Where it waits:" + frames(t);
        }

        private static String frames(Thread t) {
            StringBuilder sb = new StringBuilder();
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                sb.append("\n    at ").append(stack[i]);
            }
            return sb.toString();
        }
    }
}
