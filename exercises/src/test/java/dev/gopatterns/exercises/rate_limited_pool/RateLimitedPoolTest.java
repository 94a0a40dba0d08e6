package dev.gopatterns.exercises.rate_limited_pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.exercises.rate_limited_pool.RateLimitedPool.Offer;
import dev.gopatterns.exercises.rate_limited_pool.RateLimitedPool.Stats;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `rate_limited_pool`: what {@link RateLimitedPool} must do, on a {@link FakeClock} at time 0: the pool's limiter waits on
 * timers scheduled on that clock, and the test advances the clock only once the workers it expects to wait have a
 * timer there ({@code clock.awaitPendingTasks}). Jobs write down the fake time they start at.
 *
 * <p>How to run: {@code ./learn check rate_limited_pool}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `rate_limited_pool`: a rate-limited pool with backpressure and a throughput monitor")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitedPoolTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration HALF_A_SECOND = Duration.ofMillis(500);
    private static final double PER_SECOND = 2;
    private static final int BURST = 2;

    @Test
    @Order(1)
    @DisplayName("jobs start at most `burst` at once, then one every 1/rate, however many workers are free")
    void startRateIsBounded() throws Exception {
        try (Fixture f = new Fixture(4, 10)) {
            List<String> jobs = List.of("a", "b", "c", "d", "e", "f", "g", "h");
            for (String job : jobs) {
                assertThat(f.pool.trySubmit(job)).as("a queue of 10 has room for job '%s'", job)
                        .isEqualTo(Offer.ACCEPTED);
            }
            List<Long> expected = List.of(0L, 0L, 500L, 1000L, 1500L, 2000L, 2500L, 3000L);
            for (int step = 0; ; step++) {
                long now = 500L * step;
                int due = (int) expected.stream().filter(t -> t <= now).count();
                Eventually.until(() -> f.starts().size() >= due, () -> due + " jobs to have started by " + now
                        + " ms (" + f.starts().size() + " had, at " + f.starts() + " ms): with a burst of "
                        + BURST + " and " + PER_SECOND + " a second, and 4 free workers");
                f.checkRate();
                if (step == 6) {
                    break;
                }
                f.awaitWaitingForTokens(Math.min(4, jobs.size() - due));
                f.clock.advance(HALF_A_SECOND);
            }
            assertThat(f.starts()).as("the start times, in ms: the burst of 2 at once, then one every 500 ms")
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    @Order(2)
    @DisplayName("the queue never holds more than its capacity: trySubmit refuses, submit blocks until there is"
            + " room")
    void queueIsBounded() throws Exception {
        try (Fixture f = new Fixture(1, 2)) {
            f.log.hold("a");
            assertThat(f.pool.trySubmit("a")).isEqualTo(Offer.ACCEPTED);
            f.log.awaitRunning(1, "the one worker takes job 'a' (the bucket starts full)");
            assertThat(f.pool.trySubmit("b")).isEqualTo(Offer.ACCEPTED);
            assertThat(f.pool.trySubmit("c")).isEqualTo(Offer.ACCEPTED);

            Offer x = Background.within(ONE_SECOND, "calls trySubmit", () -> f.pool.trySubmit("x"),
                    () -> "trySubmit with the queue full was still waiting 1 s later: it must never wait");
            assertThat(x).as("trySubmit accepted job 'x' with the queue full (2 of 2): the queue must be bounded"
                    + " (a channel of `capacity`), and trySubmit refuses, saying QUEUE_FULL").isEqualTo(
                    Offer.QUEUE_FULL);

            try (Background<Void> submit = Background.start("calls submit", () -> {
                f.pool.submit(f.root, "d");
                return null;
            })) {
                Eventually.until(() -> submit.isDone() || isWaiting(submit.thread()), () -> "submit of job 'd' to"
                        + " block on the full queue");
                assertThat(f.pool.stats().queued()).as("the queue must be bounded: it held %d jobs, more than its"
                        + " capacity of 2", f.pool.stats().queued()).isLessThanOrEqualTo(2);
                assertThat(submit.isDone()).as("submit returned though the queue was full (2 of 2): the queue must"
                        + " be bounded, and submit waits for room (backpressure)").isFalse();

                f.log.release("a"); // the worker takes 'b', so there is room for 'd'
                submit.await(ONE_SECOND, () -> "submit was still blocked 1 s after a job left the queue: it must"
                        + " go on as soon as there is room");
                assertThat(f.pool.stats().queued()).as("the queue must be bounded").isLessThanOrEqualTo(2);
            }
            List<String> notRun = f.shutdown();
            List<String> accounted = new ArrayList<>(f.log.started());
            accounted.addAll(notRun);
            assertThat(accounted).as("no job lost: every queued job either started or was handed back by"
                    + " shutdownNow (started %s, handed back %s)", f.log.started(), notRun)
                    .containsExactlyInAnyOrder("a", "b", "c", "d");
        }
    }

    @Test
    @Order(3)
    @DisplayName("a submit waiting for room ends with the caller's context, and its job is not queued")
    void submitEndsWithTheCallersContext() throws Exception {
        try (Fixture f = new Fixture(1, 1); CancellableContext ctx = Context.withCancel(f.root)) {
            f.log.hold("a");
            assertThat(f.pool.trySubmit("a")).isEqualTo(Offer.ACCEPTED);
            f.log.awaitRunning(1, "the one worker takes job 'a'");
            assertThat(f.pool.trySubmit("b")).isEqualTo(Offer.ACCEPTED);
            try (Background<Void> submit = Background.start("calls submit", () -> {
                f.pool.submit(ctx, "c");
                return null;
            })) {
                Eventually.until(() -> submit.isDone() || isWaiting(submit.thread()), () -> "submit of job 'c' to"
                        + " block on the full queue");

                ctx.cancel();

                try {
                    submit.await(ONE_SECOND, () -> "submit was still blocked 1 s after its context was cancelled:"
                            + " submit must end with the caller's context (send with ctx.send(queue, job))");
                    fail("submit returned normally, with the queue full and its context cancelled: it must throw"
                            + " the context's error, and not queue the job");
                } catch (ContextCanceledException expected) {
                    // the rule holds
                }
            }
            List<String> notRun = f.shutdown();
            assertThat(notRun).as("the job of a submit that gave up must not be queued").doesNotContain("c");
            assertThat(f.log.started()).doesNotContain("c");
        }
    }

    @Test
    @Order(4)
    @DisplayName("stats tell the queue length and the jobs completed in the last second of the clock")
    void monitor() throws Exception {
        try (Fixture f = new Fixture(1, 10)) {
            for (String job : List.of("a", "b", "c", "d", "e")) {
                assertThat(f.pool.trySubmit(job)).isEqualTo(Offer.ACCEPTED);
            }
            f.awaitCompleted(2, "the burst of 2 at 0 ms");
            f.awaitWaitingForTokens(1);
            f.checkStats(0, 2, 2, 2, "at 0 ms: 'a' and 'b' done (the burst), 'c' taken and waiting for a token,"
                    + " 'd' and 'e' queued");

            f.clock.advance(HALF_A_SECOND);
            f.awaitCompleted(3, "the token due at 500 ms");
            f.awaitWaitingForTokens(1);
            f.checkStats(500, 1, 3, 3, "at 500 ms: completions at 0, 0 and 500 ms");

            f.clock.advance(HALF_A_SECOND);
            f.awaitCompleted(4, "the token due at 1000 ms");
            f.awaitWaitingForTokens(1);
            f.checkStats(1000, 0, 4, 2, "at 1000 ms: completions at 500 and 1000 ms are within the last second;"
                    + " those at 0 ms are a second old");

            f.clock.advance(HALF_A_SECOND);
            f.awaitCompleted(5, "the token due at 1500 ms");
            f.clock.advance(ONE_SECOND);
            f.checkStats(2500, 0, 5, 0, "at 2500 ms: the last completion, at 1500 ms, is a second old");
        }
    }

    @Test
    @Order(5)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() {
        try {
            new RateLimitedPool<String>(0, 1, PER_SECOND, BURST, new FakeClock(), (ctx, job) -> { });
            fail("new RateLimitedPool(0, ...) returned: with no worker no job would ever run; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean isWaiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** A fake clock at 0, a pool of 2 a second in bursts of 2 on it, and jobs that write down their start time. */
    static final class Fixture implements AutoCloseable {
        final FakeClock clock = new FakeClock();
        final Context root = Context.background(clock);
        final JobLog log = new JobLog();
        /** Guarded by itself: the fake time, in ms, at which each job started. */
        private final List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        final RateLimitedPool<String> pool;
        private boolean shutDown;

        Fixture(int workers, int capacity) {
            pool = new RateLimitedPool<>(workers, capacity, PER_SECOND, BURST, clock, (ctx, job) -> {
                starts.add(Duration.ofNanos(clock.nanoTime()).toMillis());
                log.run(ctx, job);
            });
        }

        List<Long> starts() {
            synchronized (starts) {
                return List.copyOf(starts);
            }
        }

        /**
         * Fails if, in some window of the clock, more jobs started than a token bucket of 2 a second with a burst
         * of 2 allows: at most 2 at the same instant, at most 2 + 2 within any second.
         */
        void checkRate() {
            List<Long> s = new ArrayList<>(starts());
            Collections.sort(s);
            for (long window : List.of(0L, 1000L)) {
                long allowed = BURST + (long) Math.floor(PER_SECOND * window / 1000.0);
                for (int i = 0; i < s.size(); i++) {
                    long from = s.get(i);
                    List<Long> in = s.stream().filter(t -> t >= from && t <= from + window).toList();
                    if (in.size() > allowed) {
                        fail("the rate was exceeded: " + in.size() + " jobs started "
                                + (window == 0 ? "at the same instant" : "within " + window + " ms") + " (at " + in
                                + " ms), but " + PER_SECOND + " a second with a burst of " + BURST + " allows at"
                                + " most " + allowed + ". Take a token from the pool's one Limiter(perSecond, burst,"
                                + " clock), limiter.await(ctx), before each job starts, not after it, and not from a"
                                + " limiter of each worker's own");
                    }
                }
            }
        }

        /**
         * Waits until {@code count} workers wait for a token: each has a timer on the clock. Checks the rate while
         * it waits, so that jobs which start when they should have waited are reported as what they are.
         */
        void awaitWaitingForTokens(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (;;) {
                checkRate();
                try {
                    clock.awaitPendingTasks(count, Duration.ofMillis(50));
                    checkRate(); // every start that came before these timers is written down by now
                    return;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        checkRate();
                        fail("waited 5 s for " + count + " worker(s) to wait for a token on the pool's clock ("
                                + e.getMessage() + "; jobs started at " + starts() + " ms). A worker takes a job,"
                                + " then waits with limiter.await(ctx) on a Limiter made with the pool's clock");
                    }
                }
            }
        }

        void awaitCompleted(int count, String why) {
            Eventually.until(() -> pool.stats().completed() >= count, () -> count + " jobs to have completed ("
                    + pool.stats() + "): " + why);
        }

        void checkStats(long atMillis, int queued, long completed, long inLastSecond, String why) {
            Stats s = pool.stats();
            assertThat(s.queued()).as("stats().queued() at %d ms: %s", atMillis, why).isEqualTo(queued);
            assertThat(s.completed()).as("stats().completed() at %d ms: %s", atMillis, why).isEqualTo(completed);
            assertThat(s.completedInLastSecond()).as("stats().completedInLastSecond() at %d ms must count the jobs"
                    + " completed in the last second of the pool's clock (after now - 1 s), not since the start: %s",
                    atMillis, why).isEqualTo(inLastSecond);
            assertThat(s.queued()).as("the queue must be bounded").isLessThanOrEqualTo(s.capacity());
        }

        /** Shuts the pool down, within a second; returns the jobs handed back. */
        List<String> shutdown() throws Exception {
            shutDown = true;
            return Background.within(ONE_SECOND, "calls shutdownNow", pool::shutdownNow, () -> "shutdownNow did"
                    + " not return within 1 s: cancel the pool's context (workers waiting for a token or a job stop"
                    + " waiting), close the queue, then wait for the workers");
        }

        @Override
        public void close() throws Exception {
            log.close();
            if (!shutDown) {
                shutdown();
            }
        }
    }
}
