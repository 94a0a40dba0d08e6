package dev.gopatterns.exercises.rate_limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `rate_limit`: what {@link ThrottledClient} must do, at 2 calls a second in bursts of up to 3, on a {@link FakeClock}.
 *
 * <p>The backend writes down every request with the fake time it came at, so the tests can say exactly how many
 * calls were made at each instant. Time moves only when a test advances the clock, and a test advances it only
 * once the calls it expects to wait are waiting: a call that waits for a token has a timer scheduled on the clock
 * ({@link FakeClock#pendingTasks}), or is parked on it ({@link FakeClock#sleepers}). A call that does not wait so
 * is told which way it went wrong: it went through without waiting, was turned away, waited on another clock,
 * reached the backend before its token (and waited for it after), was released too early, or never went through. No test sleeps; each call is given at most a second to end once it
 * can.
 *
 * <p>How to run: {@code ./learn check rate_limit}
 */
@HangTimeout(seconds = 8) // above the 5 s the tests give a call to start waiting, so that failure reads plainly
@DisplayName("Exercise `rate_limit`: throttle calls with a rate limiter")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class ThrottledClientTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration HALF_A_SECOND = Duration.ofMillis(500);
    private static final double PER_SECOND = 2;
    private static final int BURST = 3;

    @Test
    @Order(1)
    @DisplayName("the first 3 calls (the burst) go through at once, without waiting for the clock")
    void burstAtOnce() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();

        List<String> replies = Background.within(ONE_SECOND, "calls call", () -> f.callInTurn(client, 3),
                () -> "3 calls did not go through within 1 s, and the clock had not moved: the bucket starts"
                        + " full, so the first 3 calls (the burst) must not wait");

        assertThat(replies).as("each call returns the backend's reply").containsExactly("reply to call 1",
                "reply to call 2", "reply to call 3");
        assertThat(f.backend.times()).as("the backend must be called once per call, all 3 at once (time 0)")
                .containsExactly(0L, 0L, 0L);
    }

    @Test
    @Order(2)
    @DisplayName("once the burst is used up, a call waits on the clock for the next token, 1/rate = 500 ms later")
    void nextCallWaitsForAToken() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();
        try (Background<List<String>> calls = Background.start("calls call", () -> f.callInTurn(client, 4))) {
            f.awaitWaiting(1, calls::isDone, calls, calls.thread(), "the 4th call, with the burst of 3 used up");
            List<Long> seen = f.backend.times();
            if (seen.size() > 3 && !calls.isDone()) {
                fail("the backend saw " + seen.size() + " calls at " + millis(seen) + ", and the 4th call is still"
                        + " waiting on the clock: it reached the backend first and is waiting for its token after."
                        + " So burst + 1 calls went through at once: take the token before the call,"
                        + " limiter.await(ctx), then backend.call(ctx, request). A call may reach the backend only"
                        + " once its token is due");
            }
            assertThat(seen).as("the first 3 calls go through at once; the 4th waits").containsExactly(0L, 0L, 0L);

            f.clock.advance(HALF_A_SECOND.minusMillis(1));
            if (f.backend.times().size() > 3) {
                fail("the 4th call waited, but was released too early: it went through at "
                        + millis(f.backend.times()).getLast() + ", and its token was due only at 500 ms (2 a second:"
                        + " one every 500 ms). Wait for the limiter's token, limiter.await(ctx), not for a time"
                        + " of your own");
            }
            f.clock.advance(Duration.ofMillis(1));

            List<String> replies = calls.await(ONE_SECOND, () -> "the 4th call never went through: it was still"
                    + " waiting 1 s after its token was due at 500 ms on the clock (timers on the clock: "
                    + f.clock.pendingTasks() + ", threads parked on it: " + f.clock.sleepers() + "). Wait with"
                    + " limiter.await(ctx), which wakes when the token is due");
            assertThat(replies).hasSize(4);
            assertThat(f.backend.times()).as("3 calls at once, then the 4th when its token was due, at 500 ms")
                    .containsExactly(0L, 0L, 0L, ms(500));
        }
    }

    @Test
    @Order(3)
    @DisplayName("callers in many threads share one bucket: 3 calls at once, then one every 500 ms")
    void oneBucketForAllCallers() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();
        List<Future<String>> callers = new ArrayList<>();
        try (TestThreads threads = TestThreads.virtual()) {
            try {
                for (int i = 1; i <= 6; i++) {
                    String request = "call " + i;
                    callers.add(threads.submit("caller " + i, () -> client.call(f.root, request)));
                }
                f.awaitWaiting(3, () -> callers.stream().allMatch(Future::isDone), callers.getFirst(), null, "3 of"
                        + " the 6 callers, with the burst of 3 used up by the others");
                assertThat(f.backend.times()).as("6 callers at once: the burst of 3 goes through, the other 3"
                        + " wait for tokens").containsExactly(0L, 0L, 0L);

                for (int k = 1; k <= 3; k++) {
                    f.clock.advance(HALF_A_SECOND);
                    int expected = 3 + k;
                    f.awaitCalls(expected, "at " + (500 * k) + " ms the next token was due, and one more caller"
                            + " should have gone through");
                }

                assertThat(f.backend.times()).as("3 calls at once, then one every 500 ms")
                        .containsExactly(0L, 0L, 0L, ms(500), ms(1000), ms(1500));
                for (Future<String> caller : callers) {
                    assertThat(caller.get(1, TimeUnit.SECONDS)).startsWith("reply to call ");
                }
            } finally {
                threads.threads().forEach(Thread::interrupt); // a no-op if every caller has returned
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("a cancelled context stops the wait: call throws ContextCanceledException, and the backend is not"
            + " called")
    void cancelStopsTheWait() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();
        CancellableContext ctx = Context.withCancel(f.root);
        try (Background<String> call = Background.start("calls call", () -> {
            f.callInTurn(client, 3);
            return client.call(ctx, "call 4");
        })) {
            f.awaitWaiting(1, call::isDone, call, call.thread(), "the 4th call, with the burst of 3 used up");

            ctx.cancel();

            try {
                String got = call.await(ONE_SECOND, () -> "the 4th call was still waiting for a token 1 s after its"
                        + " context was cancelled, and the clock had not moved: wait with the caller's context,"
                        + " limiter.await(ctx), so that its end stops the wait");
                fail("call returned \"" + got + "\" after its context was cancelled, before its token was due: it"
                        + " must throw the context's error instead, and not call the backend");
            } catch (ContextCanceledException expected) {
                // the rule holds
            }
            assertThat(f.backend.times()).as("the cancelled call must not reach the backend").hasSize(3);
        } finally {
            ctx.cancel();
        }

        // The cancelled call's token went back to the bucket: the next call waits for the token due at 500 ms.
        try (Background<String> next = Background.start("calls call", () -> client.call(f.root, "call 5"))) {
            f.awaitWaiting(1, next::isDone, next, next.thread(), "the 5th call, with the burst of 3 used up");
            f.clock.advance(HALF_A_SECOND);
            next.await(ONE_SECOND, () -> "the call after the cancelled one was still waiting at 500 ms, when the"
                    + " next token was due: a call that gives up must give its reserved token back to the bucket"
                    + " (limiter.await(ctx) does)");
            assertThat(f.backend.times()).as("the call after the cancelled one goes through at 500 ms")
                    .containsExactly(0L, 0L, 0L, ms(500));
        }
    }

    @Test
    @Order(5)
    @DisplayName("a context that has already ended makes call fail at once, even with tokens in the bucket")
    void contextAlreadyEnded() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();
        CancellableContext ctx = Context.withCancel(f.root);
        ctx.cancel();

        try {
            String got = Background.within(ONE_SECOND, "calls call", () -> client.call(ctx, "call 1"),
                    () -> "call did not return within 1 s with a context that had already ended");
            fail("call returned \"" + got + "\" with a context that had already ended: it must throw the context's"
                    + " error (limiter.await(ctx) does), and not call the backend");
        } catch (ContextCanceledException expected) {
            assertThat(f.backend.times()).as("the backend must not be called with a context that has ended")
                    .isEmpty();
        }
    }

    @Test
    @Order(6)
    @DisplayName("tryCall calls only while a token is free, and otherwise returns empty at once, without waiting")
    void tryCallNeverWaits() throws Exception {
        Fixture f = new Fixture();
        ThrottledClient client = f.client();
        List<Optional<String>> got = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String request = "try " + i;
            got.add(Background.within(ONE_SECOND, "calls tryCall", () -> client.tryCall(f.root, request),
                    () -> "tryCall was still running 1 s later, and the clock had not moved: it must never wait"
                            + " (limiter.allow() answers at once)"));
        }

        assertThat(got.getLast()).as("the bucket holds 3 tokens, so the 4th tryCall in a row finds it empty and"
                + " must return empty without calling the backend. Take the token from the client's one Limiter,"
                + " made in the constructor: if (!limiter.allow()) return Optional.empty()").isEmpty();
        assertThat(got).as("3 tokens in the bucket: 3 tryCalls go through, the 4th finds it empty and returns"
                + " empty").containsExactly(Optional.of("reply to try 1"), Optional.of("reply to try 2"),
                Optional.of("reply to try 3"), Optional.empty());
        assertThat(f.backend.times()).as("a tryCall that finds no token must not call the backend").hasSize(3);
        assertThat(f.clock.pendingTasks()).as("tryCall must not leave a timer waiting for a token").isZero();

        f.clock.advance(HALF_A_SECOND);
        Optional<String> later = Background.within(ONE_SECOND, "calls tryCall",
                () -> client.tryCall(f.root, "try 5"), () -> "tryCall was still running 1 s later");
        assertThat(later).as("500 ms later a token has come back (2 a second)").contains("reply to try 5");
        assertThat(f.backend.times()).containsExactly(0L, 0L, 0L, ms(500));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private static List<String> millis(List<Long> nanos) {
        return nanos.stream().map(n -> Duration.ofNanos(n).toMillis() + " ms").toList();
    }

    private static boolean isBlocked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** The backend: replies to every request, writing down the fake time of each call. */
    static final class Recorder implements ThrottledClient.Backend {
        private final FakeClock clock;
        /** Guarded by this. */
        private final List<Long> times = new ArrayList<>();

        Recorder(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public String call(Context ctx, String request) {
            synchronized (this) {
                times.add(clock.nanoTime());
            }
            return "reply to " + request;
        }

        /** The fake time of each call so far, in nanoseconds, in the order made. */
        synchronized List<Long> times() {
            return List.copyOf(times);
        }
    }

    /** A fake clock at 0, a root context on it, and the recording backend. */
    static final class Fixture {
        final FakeClock clock = new FakeClock();
        final Context root = Context.background(clock);
        final Recorder backend = new Recorder(clock);

        /** The client under test: 2 calls a second, in bursts of up to 3, on the fake clock. */
        ThrottledClient client() {
            return new ThrottledClient(backend, PER_SECOND, BURST, clock);
        }

        /** Makes {@code n} calls one after another, "call 1" to "call n", and returns the replies. */
        List<String> callInTurn(ThrottledClient client, int n) throws Exception {
            List<String> replies = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                replies.add(client.call(root, "call " + i));
            }
            return replies;
        }

        /**
         * Waits until {@code count} calls are waiting for a token on the client's clock: each has a timer scheduled
         * on it, or is parked on it. Fails in plain words, telling the cases apart, if they do not: the calls went
         * through without waiting, or were turned away, or waited on something other than the clock (then they
         * went through at fake time 0, or never go through at all, since only the test moves the clock).
         *
         * @param ended   whether the calls have all ended (then they did not wait on the clock)
         * @param toCheck a call to ask why it ended: rethrows a TODO as it is
         * @param caller  the thread of the one call expected to wait, watched for a wait elsewhere; null if many
         */
        void awaitWaiting(int count, BooleanSupplier ended, Object toCheck, Thread caller, String who)
                throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            long blockedSince = 0; // when the caller was first seen blocked with nothing waiting on the clock
            Thread.State blockedIn = null;
            for (int spins = 0; ; spins++) {
                if (clock.pendingTasks() + clock.sleepers() >= count) {
                    return;
                }
                if (ended.getAsBoolean()) {
                    Exception failure = failureOf(toCheck);
                    if (failure != null) {
                        fail(who + " threw " + failure + " at once, instead of waiting for a token: call must"
                                + " wait for a token, limiter.await(ctx), not turn the call away (only tryCall"
                                + " turns calls away)", failure);
                    }
                    if (blockedIn != null) {
                        fail("the calls went through at fake time " + millis(backend.times()) + ", and " + who
                                + " must wait for a token; it waited (its thread was seen " + blockedIn + "), but"
                                + " there was never a timer on the fake clock: it waited, but not on the client's"
                                + " clock. Make the Limiter with the clock the client is given, new Limiter(perSecond,"
                                + " burst, clock): without it, the limiter measures and waits on the wall clock");
                    }
                    fail("the calls all went through without waiting (the backend saw them at "
                            + millis(backend.times()) + "), but " + who + ", must wait for a token: make one"
                            + " Limiter(perSecond, burst, clock) in the constructor and take every call's token"
                            + " from it (limiter.await(ctx))");
                }
                if (caller != null && blockedIn == null && isBlocked(caller)
                        && clock.pendingTasks() + clock.sleepers() == 0) {
                    // A call that waits on the clock schedules its timer (or parks on it) before it blocks.
                    blockedIn = caller.getState();
                    blockedSince = System.nanoTime();
                }
                if (blockedIn != null && System.nanoTime() - blockedSince > Duration.ofSeconds(2).toNanos()) {
                    fail(who + " never goes through: for 2 s its thread was blocked (" + caller.getState() + ")"
                            + " with no timer on the fake clock, and only the test moves that clock. It does not"
                            + " wait on the client's clock: wait with limiter.await(ctx), not with Thread.sleep or a"
                            + " loop of limiter.allow(), which wait on the wall clock");
                }
                if (System.nanoTime() - deadline > 0) {
                    fail("waited 5 s for " + who + " to wait for a token, but the fake clock never saw its"
                            + " timer (timers: " + clock.pendingTasks() + ", parked threads: " + clock.sleepers()
                            + "). Wait with limiter.await(ctx), on a Limiter made with the clock the client was"
                            + " given, not with a sleep on the wall clock");
                }
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /** Waits until the backend has seen {@code count} calls. */
        void awaitCalls(int count, String why) {
            Eventually.until(() -> backend.times().size() >= count, () -> count + " calls to reach the backend"
                    + " (it saw " + backend.times().size() + "): " + why);
            assertThat(backend.times()).as("%s; exactly one, since only one token was due", why).hasSize(count);
        }

        /** What the ended call threw, or null if it returned; a TODO in the stub is rethrown as it is. */
        private static Exception failureOf(Object call) throws Exception {
            try {
                switch (call) {
                    case Background<?> b -> b.await(ONE_SECOND, () -> "unreachable: the call is done");
                    case Future<?> future -> {
                        try {
                            future.get(1, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof Exception cause) {
                                throw cause;
                            }
                            throw e;
                        }
                    }
                    default -> throw new IllegalArgumentException("not a call: " + call);
                }
                return null;
            } catch (UnsupportedOperationException todo) {
                throw todo;
            } catch (Exception e) {
                return e;
            }
        }
    }
}
