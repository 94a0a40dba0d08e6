package dev.gopatterns.exercises.circuit_breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.exercises.circuit_breaker.CircuitBreaker.CallNotPermittedException;
import dev.gopatterns.exercises.circuit_breaker.CircuitBreaker.State;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `circuit_breaker`: what {@link CircuitBreaker} must do, with a threshold of 3 failures in a row and
 * 30 s open, on a {@link FakeClock} that only the test moves.
 *
 * <p>The calls the breaker protects are the jobs of a {@link JobLog}: each writes down that it started, fails if the
 * test marked it failing, and waits, if the test holds it, until the test releases it or its context ends (then it
 * throws the context's error). So a test knows exactly which calls the breaker let through, and can keep a trial
 * call running while it tries others. Every call is made in a thread of its own and given a second; nothing
 * sleeps.
 *
 * <p>The breaker's clock is the fake clock seen through a gate ({@link GateClock}): once the test arms it, the
 * first thread to read the time waits there until a second one arrives, or until the test, having seen the other
 * call go as far as it can (blocked on the breaker's lock, or done), opens it. A breaker that decides under one lock
 * never has two threads there; one that reads its state, then the clock, then acts, without the lock, has two calls
 * decide together, every run, and both become the trial.
 *
 * <p>How to run: {@code ./learn check circuit_breaker}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `circuit_breaker`: closed, open, half-open, on an injected clock")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class CircuitBreakerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final int THRESHOLD = 3;
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration ONE_NANO = Duration.ofNanos(1);

    @Test
    @Order(1)
    @DisplayName("closed: a call goes through, and its value or its failure comes back as it is")
    void closedLetsCallsThrough() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            assertThat(f.call(f.root, "a")).as("a closed breaker lets the call through and returns its value")
                    .isEqualTo("A");
            f.fails("b");
            f.fails("c");
            assertThat(f.state()).as("2 failures in a row, with a threshold of 3: the breaker is still CLOSED")
                    .isEqualTo(State.CLOSED);
            assertThat(f.log.started()).as("every call was made, once").containsExactly("a", "b", "c");
        }
    }

    @Test
    @Order(2)
    @DisplayName("threshold failures in a row open it: the next call is refused with CallNotPermittedException,"
            + " and not made")
    void thresholdFailuresOpenIt() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.fails("f1");
            f.fails("f2");
            assertThat(f.state()).as("2 failures in a row, with a threshold of 3: the breaker is still CLOSED (it"
                    + " opens at the 3rd failure, not before)").isEqualTo(State.CLOSED);
            f.fails("f3");
            State after = f.state();
            if (after != State.OPEN) {
                fail("after 3 failures in a row, with a threshold of 3, the breaker was " + after + ": threshold"
                        + " consecutive failures open the breaker (failures >= threshold, counted from 1)");
            }
            CallNotPermittedException refused = f.refused("next", "the breaker had just opened, after 3 failures"
                    + " in a row");
            assertThat(refused.state()).as("the refusal names the state that refused").isEqualTo(State.OPEN);
        }
    }

    @Test
    @Order(3)
    @DisplayName("only failures in a row count: a success between them starts the count again")
    void onlyConsecutiveFailuresCount() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.fails("f1");
            f.fails("f2");
            assertThat(f.call(f.root, "ok")).isEqualTo("OK");
            String notConsecutive = "it opened after failure, failure, success, failure(, failure), with a threshold"
                    + " of 3: only consecutive failures count, and a success resets the count to 0. Four failures"
                    + " with a success between them are two runs of two, not four";
            f.fails("f3", notConsecutive);
            f.fails("f4", notConsecutive);
            State now = f.state();
            if (now != State.CLOSED) {
                fail("failure, failure, success, failure, failure, with a threshold of 3, and the breaker was " + now
                        + ": only consecutive failures count, and a success resets the count to 0. Four failures"
                        + " with a success between them is two runs of two, not four");
            }
            f.fails("f5");
            assertThat(f.state()).as("the 3rd failure in a row since the success opens the breaker")
                    .isEqualTo(State.OPEN);
        }
    }

    @Test
    @Order(4)
    @DisplayName("open is timed on the breaker's clock: the wall clock moving changes nothing")
    void openIsTimedOnTheBreakersClock() throws Exception {
        Duration openFor = Duration.ofNanos(1000);
        try (Fixture f = new Fixture(THRESHOLD, openFor)) {
            for (int i = 1; i <= THRESHOLD; i++) {
                f.fails("trip " + i);
            }
            State tripped = f.state();
            if (tripped != State.OPEN) {
                fail("3 failures in a row opened the breaker, and a moment later, with its clock not moved at all"
                        + " and openFor " + openFor + ", it said " + tripped + ": it measures time on another clock."
                        + " Read the time from the breaker's clock, clock.nanoTime(), never System.nanoTime()");
            }
            // Let some wall-clock time pass (far more than openFor), not to order events but because it is the
            // thing under test: a breaker that reads the wall clock sees openFor over; the breaker's clock has not
            // moved at all.
            long start = System.nanoTime();
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(5)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            Throwable thrown = f.attempt(f.root, "early");
            if (!(thrown instanceof CallNotPermittedException)) {
                fail("the breaker let a call through (it " + (thrown == null ? "returned" : "threw " + thrown)
                        + ") 5 ms of wall-clock time after it opened, though its own clock had not moved at all and"
                        + " openFor is " + openFor + ": it measures time on another clock. Read the time from the"
                        + " breaker's clock, clock.nanoTime(), never System.nanoTime()", thrown);
            }
            assertThat(f.state()).as("the breaker's clock has not moved: still OPEN").isEqualTo(State.OPEN);

            f.fake.advance(openFor);
            assertThat(f.call(f.root, "trial")).as("openFor has passed on the breaker's clock: the next call is the"
                    + " trial, let through").isEqualTo("TRIAL");
            assertThat(f.state()).as("the trial succeeded: the breaker is CLOSED again").isEqualTo(State.CLOSED);
        }
    }

    @Test
    @Order(5)
    @DisplayName("once openFor has passed on its clock, state() says HALF_OPEN, before any call, and the next call"
            + " is the trial")
    void openForPassedMeansHalfOpen() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.trip();
            f.fake.advance(OPEN_FOR.minus(ONE_NANO));
            Throwable early = f.attempt(f.root, "early");
            if (!(early instanceof CallNotPermittedException)) {
                fail("the breaker let a call through (it " + (early == null ? "returned" : "threw " + early) + ") 1"
                        + " ns before openFor (" + OPEN_FOR + ") had passed on its clock: an open breaker refuses"
                        + " every call until openFor has passed", early);
            }
            assertThat(f.state()).as("1 ns before openFor has passed: still OPEN").isEqualTo(State.OPEN);

            f.fake.advance(ONE_NANO);
            State now = f.state();
            if (now != State.HALF_OPEN) {
                fail("openFor (" + OPEN_FOR + ") had passed on the breaker's clock, and state() said " + now + ":"
                        + " state() must say HALF_OPEN once openFor has passed, without waiting for a call. Make the"
                        + " move wherever the state is looked at: in state() too, under the lock, from"
                        + " clock.nanoTime() - openedAt >= openFor");
            }
            Throwable trial = f.attempt(f.root, "trial");
            if (trial != null) {
                fail("openFor had passed and the breaker said HALF_OPEN, but the next call was not let through as"
                        + " the trial: it threw " + trial + ". In HALF_OPEN the first call is the trial", trial);
            }
            assertThat(f.state()).as("the trial succeeded: the breaker is CLOSED again").isEqualTo(State.CLOSED);
        }
    }

    @Test
    @Order(6)
    @DisplayName("half-open lets exactly one trial call through: while it runs, every other call is refused")
    void halfOpenLetsOneTrialThrough() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.trip();
            f.fake.advance(OPEN_FOR);
            f.log.hold("trial");
            try (Background<String> trial = Background.start("calls the trial", () -> f.breaker.call(f.root,
                    c -> f.log.run(c, "trial")))) {
                f.awaitStarted(trial, "trial", "the first call after openFor", "openFor had passed on the breaker's"
                        + " clock, so the next call is the trial, let through");
                Throwable other = f.attempt(f.root, "other");
                if (!(other instanceof CallNotPermittedException)) {
                    fail("while the trial call was running, the breaker let another call through (it "
                            + (other == null ? "returned" : "threw " + other) + "): half-open lets exactly one trial"
                            + " call through: while it runs, every other call is refused with"
                            + " CallNotPermittedException", other);
                }
                assertThat(((CallNotPermittedException) other).state()).as("the refusal names the state that refused")
                        .isEqualTo(State.HALF_OPEN);
                assertThat(f.state()).as("while the trial runs, the breaker is HALF_OPEN").isEqualTo(State.HALF_OPEN);
                assertThat(f.log.started()).as("the refused call was not made").doesNotContain("other");

                f.log.release("trial");
                assertThat(trial.await(ONE_SECOND, () -> "the trial call did not return within 1 s after the test"
                        + " released it")).isEqualTo("TRIAL");
            }
            assertThat(f.state()).as("the trial succeeded: the breaker is CLOSED again").isEqualTo(State.CLOSED);
            assertThat(f.call(f.root, "after")).as("a closed breaker lets every call through").isEqualTo("AFTER");
        }
    }

    @Test
    @Order(7)
    @DisplayName("two calls that find it due at the same instant: only one becomes the trial")
    void twoCallsAtOnceMakeOneTrial() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.trip();
            f.fake.advance(OPEN_FOR); // due, and nobody has looked yet
            f.log.hold("first", "second");
            f.clock.arm();
            try (Background<String> first = Background.start("calls first", () -> f.breaker.call(f.root,
                    c -> f.log.run(c, "first")));
                 Background<String> second = Background.start("calls second", () -> f.breaker.call(f.root,
                         c -> f.log.run(c, "second")))) {
                List<Background<String>> calls = List.of(first, second);
                // One call reads the clock and is held in the gate. Let the other go as far as it can: into the
                // gate too (a breaker without the lock; the gate then opens by itself), onto the breaker's lock
                // (it blocks there), or to its end. Only then does the test open the gate.
                Eventually.until(() -> f.clock.firstReader() != null || calls.stream().allMatch(Background::isDone),
                        () -> "one of the two calls to read the breaker's clock");
                for (Background<String> call : calls) {
                    if (call.thread() != f.clock.firstReader()) {
                        f.awaitDoneOrBlocked(call);
                    }
                }
                f.clock.open();
                Eventually.until(() -> f.started("first", "second").size()
                        + (int) calls.stream().filter(Background::isDone).count() >= 2,
                        () -> "each of the two calls to be let through or refused (let through: "
                        + f.started("first", "second") + ")");
                List<String> trials = f.started("first", "second");
                if (trials.size() > 1) {
                    fail("two trial calls ran at once in HALF_OPEN: two calls found the breaker due at the same"
                            + " instant, and both were let through (" + trials + "). The look (\"OPEN, and openFor"
                            + " has passed\", \"no trial yet\") and the act (\"I am the trial\") must be one step:"
                            + " make both while holding the breaker's one lock, clock reading included");
                }
                Background<String> refused = calls.stream().filter(Background::isDone).findFirst().orElseThrow();
                assertThat(f.outcome(refused)).as("the call that was not the trial is refused")
                        .isInstanceOf(CallNotPermittedException.class);
                f.log.close(); // releases the trial
                for (Background<String> call : calls) {
                    f.outcome(call);
                }
            }
            assertThat(f.state()).as("the trial succeeded: the breaker is CLOSED again").isEqualTo(State.CLOSED);
        }
    }

    @Test
    @Order(8)
    @DisplayName("a failed trial opens it again, for a whole openFor from the failure")
    void failedTrialOpensAgain() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.trip();
            f.fake.advance(OPEN_FOR);
            f.fails("trial", "openFor had passed on the breaker's clock, so the next call is the trial, let"
                    + " through");
            State now = f.state();
            if (now != State.OPEN) {
                fail("the trial call failed, and right after it the breaker was " + now + ": a failed trial opens"
                        + " the breaker again for a whole openFor, counted from the failure. Set the time it opened"
                        + " (openedAt = clock.nanoTime()) each time it opens, not only the first time");
            }
            f.refused("again", "the trial had just failed");
            f.fake.advance(OPEN_FOR.minus(ONE_NANO));
            f.refused("still", "1 ns before openFor had passed since the failed trial");
            f.fake.advance(ONE_NANO);
            assertThat(f.state()).as("openFor has passed since the failed trial: HALF_OPEN")
                    .isEqualTo(State.HALF_OPEN);
            assertThat(f.call(f.root, "second trial")).as("the next call is the new trial").isEqualTo("SECOND TRIAL");
            assertThat(f.state()).as("the trial succeeded: CLOSED").isEqualTo(State.CLOSED);
        }
    }

    @Test
    @Order(9)
    @DisplayName("a successful trial closes it with the count at 0: it takes threshold new failures to open it")
    void successfulTrialClosesWithACleanCount() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.trip();
            f.fake.advance(OPEN_FOR);
            assertThat(f.call(f.root, "trial")).as("openFor had passed: the next call is the trial")
                    .isEqualTo("TRIAL");
            assertThat(f.state()).as("the trial succeeded: the breaker is CLOSED again").isEqualTo(State.CLOSED);
            String notReset = "it opened again after fewer than 3 new failures: a successful trial closes the breaker"
                    + " with its count of failures back at 0, so it takes threshold (3) new failures in a row to"
                    + " open it again. Reset the count when the breaker closes (or opens)";
            f.fails("f1", notReset);
            f.fails("f2", notReset);
            State now = f.state();
            if (now != State.CLOSED) {
                fail("the breaker closed after a successful trial, and 2 failures later it was " + now + ": a"
                        + " successful trial closes the breaker with its count of failures back at 0, so it takes"
                        + " threshold (3) new failures in a row to open it again. Reset the count when the breaker"
                        + " closes (or opens)");
            }
            f.fails("f3");
            assertThat(f.state()).as("3 new failures in a row open it again").isEqualTo(State.OPEN);
        }
    }

    @Test
    @Order(10)
    @DisplayName("a call cancelled by its context is neither a failure nor a success, and a cancelled trial frees"
            + " its place")
    void cancelledCallsDoNotCount() throws Exception {
        try (Fixture f = new Fixture(THRESHOLD, OPEN_FOR)) {
            f.fails("f1");
            f.fails("f2");
            String cancelCounted = "after 2 failures and a call cancelled by its context, the breaker opened: a call"
                    + " cancelled by its context is not a failure. The caller gave up; that says nothing about the"
                    + " dependency: if ctx.isDone() when the call throws, do not count it";
            f.cancelled("c1", cancelCounted);
            f.cancelled("c2", cancelCounted);
            State now = f.state();
            if (now != State.CLOSED) {
                fail("2 failures, then 2 calls that ended because their context was cancelled, and the breaker was "
                        + now + ": a call cancelled by its context is not a failure. The caller gave up; that says"
                        + " nothing about the dependency: if ctx.isDone() when the call throws, do not count it");
            }
            f.fails("f3");
            now = f.state();
            if (now != State.OPEN) {
                fail("2 failures, 2 cancelled calls, then a failure, and the breaker was " + now + ": a cancelled"
                        + " call is not a success either: it leaves the count as it was, so this was the 3rd"
                        + " failure in a row");
            }

            f.fake.advance(OPEN_FOR);
            f.cancelled("cancelled trial", "openFor had passed on the breaker's clock, so the next call is the"
                    + " trial, let through");
            now = f.state();
            if (now != State.HALF_OPEN) {
                fail("the trial call was cancelled by its context, and then the breaker was " + now + ": a cancelled"
                        + " trial is neither a failure nor a success; the breaker stays HALF_OPEN, waiting for a"
                        + " trial with an outcome");
            }
            Throwable next = f.attempt(f.root, "next trial");
            if (next != null) {
                fail("after the trial call was cancelled, the next call was not let through (it threw " + next
                        + "): a cancelled trial frees the trial's place, so the next call is the trial", next);
            }
            assertThat(f.state()).as("the trial succeeded: CLOSED").isEqualTo(State.CLOSED);
        }
    }

    @Test
    @Order(11)
    @DisplayName("a threshold below 1 or a negative openFor is refused, naming the rule")
    void refusesMisuse() {
        Clock clock = new FakeClock();
        assertRefused(() -> new CircuitBreaker(0, OPEN_FOR, clock), "threshold",
                "a threshold of 0 would open the breaker before any failure");
        assertRefused(() -> new CircuitBreaker(3, Duration.ofSeconds(-1), clock), "openFor",
                "a negative openFor is no time at all");
        new CircuitBreaker(1, Duration.ZERO, clock); // open for no time: every call after a failure is a trial
    }

    // ------------------------------------------------------------------------------------------------ helpers

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

    /**
     * The breaker's clock: the fake clock's time, read through a gate. Once {@link #arm armed}, the first thread
     * to read the time waits there until a second one arrives or the test {@linkplain #open opens} it; then the
     * gate stays open. So two calls that read the clock while neither holds a lock read it together, and both
     * decide on what they read; a breaker that reads it under its lock has only one call there at a time.
     */
    static final class GateClock implements Clock {
        /** A safety net, far above what any test waits: a gate nobody opens does not hold a call for ever. */
        private static final long LIMIT = TimeUnit.SECONDS.toNanos(5);

        private final FakeClock fake;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        /** Guarded by lock. */
        private boolean armed;
        /** Guarded by lock. */
        private int readers;
        /** Guarded by lock. The first thread that read the time while the gate was armed. */
        private Thread firstReader;

        GateClock(FakeClock fake) {
            this.fake = fake;
        }

        /** The next reader of the time waits for a second one, or for {@link #open}. */
        void arm() {
            lock.lock();
            try {
                armed = true;
                readers = 0;
                firstReader = null;
            } finally {
                lock.unlock();
            }
        }

        /** Lets the reader held in the gate go, and every later one through. Idempotent. */
        void open() {
            lock.lock();
            try {
                armed = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The thread held (or once held) in the gate, or null if none has read the time since it was armed. */
        Thread firstReader() {
            lock.lock();
            try {
                return firstReader;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long nanoTime() {
            lock.lock();
            try {
                if (armed) {
                    if (++readers == 1) {
                        firstReader = Thread.currentThread();
                    }
                    changed.signalAll();
                    long left = LIMIT;
                    while (armed && readers < 2 && left > 0) {
                        try {
                            left = changed.awaitNanos(left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // the caller's: keep it for its next wait
                            break;
                        }
                    }
                    armed = false;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
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
    }

    /** A fake clock at 0 seen through a gate, a root context, the calls' log, and the breaker under test. */
    static final class Fixture implements AutoCloseable {
        final FakeClock fake = new FakeClock();
        final GateClock clock = new GateClock(fake);
        final Context root = Context.background(fake);
        final JobLog log = new JobLog();
        final CircuitBreaker breaker;
        private final List<CancellableContext> contexts = new ArrayList<>();

        Fixture(int threshold, Duration openFor) {
            this.breaker = new CircuitBreaker(threshold, openFor, clock);
        }

        /** Calls job {@code job} through the breaker: null if it returned, else what it threw. */
        Throwable attempt(Context ctx, String job) throws Exception {
            try {
                call(ctx, job);
                return null;
            } catch (UnsupportedOperationException todo) {
                throw todo;
            } catch (Exception e) {
                return e;
            }
        }

        /** Calls job {@code job} through the breaker, in a thread of its own, for at most a second. */
        String call(Context ctx, String job) throws Exception {
            return Background.within(ONE_SECOND, "calls breaker.call", () -> breaker.call(ctx, c -> log.run(c, job)),
                    () -> "breaker.call did not return within 1 s, and the call it protects returns at once: is the"
                            + " lock released on every path?");
        }

        /** What a call in the background ended with: null if it returned; a TODO of the stub is rethrown. */
        Throwable outcome(Background<String> call) throws Exception {
            try {
                call.await(ONE_SECOND, () -> "breaker.call did not return within 1 s of being able to");
                return null;
            } catch (UnsupportedOperationException todo) {
                throw todo;
            } catch (Exception e) {
                return e;
            }
        }

        /** Which of {@code jobs} have started. */
        List<String> started(String... jobs) {
            return log.started().stream().filter(List.of(jobs)::contains).toList();
        }

        /** Makes a call that fails, on a breaker that must be closed. */
        void fails(String job) throws Exception {
            fails(job, "a closed breaker lets every call through");
        }

        /**
         * Makes a call that fails; fails the test with {@code ifRefused} if the breaker refused it, and unless it
         * rethrew the call's failure.
         */
        void fails(String job, String ifRefused) throws Exception {
            log.fail(job);
            Throwable thrown = attempt(root, job);
            if (thrown instanceof CallNotPermittedException refused) {
                fail("the breaker refused call '" + job + "' (" + refused.getMessage() + "): " + ifRefused, refused);
            }
            assertThat(thrown).as("breaker.call must rethrow the failure of the call it made, as it was thrown")
                    .isInstanceOf(JobLog.JobFailed.class);
        }

        /**
         * Makes a call whose context is cancelled while it runs; it must be let through (else fails with
         * {@code ifRefused}), and end with its context's error.
         */
        void cancelled(String job, String ifRefused) throws Exception {
            CancellableContext ctx = Context.withCancel(root);
            contexts.add(ctx);
            log.hold(job);
            try (Background<String> call = Background.start("calls breaker.call", () -> breaker.call(ctx,
                    c -> log.run(c, job)))) {
                awaitStarted(call, job, "call '" + job + "'", ifRefused);
                ctx.cancel(); // the caller gives up: the call throws ctx's error
                Throwable thrown = outcome(call);
                assertThat(thrown).as("breaker.call must rethrow what the call threw: its context's error")
                        .isInstanceOf(ContextCanceledException.class);
            }
        }

        /** Makes a call the breaker must refuse; fails if it was let through. */
        CallNotPermittedException refused(String job, String why) throws Exception {
            Throwable thrown = attempt(root, job);
            if (!(thrown instanceof CallNotPermittedException refused)) {
                fail("the breaker let call '" + job + "' through (it " + (thrown == null ? "returned" : "threw "
                        + thrown) + "), and " + why + ": an open breaker refuses every call with"
                        + " CallNotPermittedException, without making it", thrown);
                throw new AssertionError("unreachable");
            }
            assertThat(log.started()).as("a refused call is not made").doesNotContain(job);
            return refused;
        }

        /** Fails threshold calls in a row, and checks the breaker opened. */
        void trip() throws Exception {
            for (int i = 1; i <= THRESHOLD; i++) {
                fails("trip " + i);
            }
            assertThat(state()).as("%d failures in a row open the breaker", THRESHOLD).isEqualTo(State.OPEN);
        }

        /** The breaker's state, asked in a thread of its own, for at most a second. */
        State state() throws Exception {
            return Background.within(ONE_SECOND, "calls breaker.state", breaker::state,
                    () -> "breaker.state() did not return within 1 s: is the lock released on every path?");
        }

        /** Waits until job {@code job} has started; fails with {@code ifNot} if the call ended instead. */
        void awaitStarted(Background<String> call, String job, String who, String ifNot) throws Exception {
            Eventually.until(() -> log.started().contains(job) || call.isDone(), () -> who + " to start");
            if (!log.started().contains(job)) {
                Throwable thrown = outcome(call);
                fail("the breaker did not let " + who + " through (it " + (thrown == null ? "returned"
                        : "threw " + thrown) + "): " + ifNot, thrown);
            }
        }

        /**
         * Waits until the call has ended, or its thread has stayed blocked (parked, or waiting for a lock or a
         * monitor) over five looks 10 ms apart: it has gone as far as it can.
         */
        void awaitDoneOrBlocked(Background<String> call) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int blockedLooks = 0;
            while (!call.isDone() && blockedLooks < 5) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the second call neither ended nor blocked within 5 s: does it spin?");
                }
                Thread.State st = call.thread().getState();
                boolean blocked = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING
                        || st == Thread.State.BLOCKED;
                blockedLooks = blocked ? blockedLooks + 1 : 0;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        @Override
        public void close() {
            contexts.forEach(CancellableContext::cancel);
            log.close();
        }
    }
}
