package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.resilience.Retry;
import dev.gopatterns.resilience.RetryEvent;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link JobOptions#retry}: the worker retries the job's task under the policy, waiting on the pool's clock (a
 * {@link FakeClock} here, moved only once the worker waits on it), within the job's one run.
 */
class PoolRetryTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final List<RetryEvent> events = new CopyOnWriteArrayList<>();
    private final Retry retry = Retry.backoff(3, Duration.ofMillis(100), SECOND).onEvent(events::add);

    /** Waits until attempt {@code attempts} has failed and the worker waits on the clock before the next. */
    private void awaitWaiting(AtomicInteger calls, int attempts) {
        Await.until(() -> "attempt " + attempts + " to fail and the worker to wait on the clock (attempts: " + calls
                + ", waiting: " + clock.sleepers() + ")", () -> calls.get() == attempts && clock.sleepers() == 1);
    }

    private static Task<String> failUntil(int succeedAt, AtomicInteger calls) {
        return ctx -> {
            int n = calls.incrementAndGet();
            if (n < succeedAt) {
                throw new IOException("attempt " + n);
            }
            return "ok";
        };
    }

    @Test
    @DisplayName("a job that fails twice and then succeeds ends Ok, after two waits on the pool's clock")
    void retriedToSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            Job<String> job = pool.submit(dev.gopatterns.context.Context.background(),
                    JobOptions.defaults().retry(retry), failUntil(3, calls));
            for (int wait = 1; wait <= 2; wait++) {
                awaitWaiting(calls, wait);
                clock.advance(SECOND); // past any delay the jitter drew (each is <= 200 ms)
            }
            assertThat(job.result()).isEqualTo(new Result.Ok<>("ok"));
            assertThat(pool.metrics().checkInvariants().succeeded()).isOne();
        }
        assertThat(calls).hasValue(3);
        assertThat(events.getLast()).isInstanceOf(RetryEvent.Succeeded.class);
    }

    @Test
    @DisplayName("a job that gives up ends Failed with the last failure, the earlier ones suppressed in it")
    void givesUp() throws Exception {
        Retry noWait = Retry.backoff(3, Duration.ZERO, Duration.ZERO);
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            Job<String> job = pool.submit(dev.gopatterns.context.Context.background(),
                    JobOptions.defaults().retry(noWait), failUntil(10, new AtomicInteger()));
            assertThat(job.result()).isInstanceOfSatisfying(Result.Failed.class, f -> {
                assertThat(f.error()).hasMessage("attempt 3");
                assertThat(f.error().getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("attempt 1", "attempt 2");
            });
            assertThat(pool.metrics().checkInvariants().failed()).isOne();
        }
    }

    @Test
    @DisplayName("a job cancelled while it waits between attempts ends Cancelled, and is not attempted again")
    void cancelledDuringTheWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            Job<String> job = pool.submit(dev.gopatterns.context.Context.background(),
                    JobOptions.defaults().retry(retry), failUntil(10, calls));
            awaitWaiting(calls, 1);
            job.cancel();
            assertThat(job.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                    c -> assertThat(c.started()).isTrue());
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    @DisplayName("a job's timeout bounds all its attempts: a wait that would pass it is not started, and the job fails at once")
    void timeoutBoundsTheAttempts() throws Exception {
        // Jitter pinned to the top: every delay is 400 ms less a nanosecond. Timeout 500 ms: attempt 1 at 0 fails,
        // the wait to 400 ms fits; attempt 2 at 400 ms fails, a wait to 800 ms would pass the timeout: give up.
        Retry slow = Retry.backoff(5, Duration.ofMillis(400), Duration.ofMillis(400)).jitter(new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        });
        AtomicInteger calls = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            Job<String> job = pool.submit(dev.gopatterns.context.Context.background(),
                    JobOptions.defaults().retry(slow).timeout(Duration.ofMillis(500)), ctx -> {
                        calls.incrementAndGet();
                        throw new IOException("down");
                    });
            awaitWaiting(calls, 1);
            clock.advance(Duration.ofMillis(400));
            assertThat(job.result()).isInstanceOfSatisfying(Result.Failed.class,
                    f -> assertThat(f.error()).hasMessage("down"));
        }
        assertThat(calls).hasValue(2);
    }
}
