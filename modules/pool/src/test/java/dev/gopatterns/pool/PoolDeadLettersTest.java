package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.resilience.CallNotPermittedException;
import dev.gopatterns.resilience.CircuitBreaker;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Retry;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerPool.Builder#deadLetters} and {@link JobOptions#policy}: a failed job is in the dead letters, with
 * every attempt's failure, before its handle says so; a breaker shared by the jobs refuses when open; a replay
 * resubmits.
 */
class PoolDeadLettersTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    @Test
    @DisplayName("a job that fails is a dead letter by the time its handle reports it; one that succeeds is not")
    void failedJobsAreDeadLetters() throws Exception {
        DeadLetters<FailedJob<?>> dlq = DeadLetters.withCapacity(10);
        try (WorkerPool pool = WorkerPool.builder().name("orders").workers(2).clock(clock).deadLetters(dlq)
                .build()) {
            Task<String> failing = c -> {
                throw new IOException("disk full");
            };
            Job<String> bad = pool.submit(ctx, failing);
            Job<String> good = pool.submit(ctx, c -> "fine");
            assertThat(bad.result()).isInstanceOf(Result.Failed.class);
            assertThat(dlq.depth()).as("the letter is added before the handle completes").isOne();
            assertThat(good.result()).isEqualTo(new Result.Ok<>("fine"));
            DeadLetter<FailedJob<?>> letter = dlq.drain().getFirst();
            assertThat(letter.source()).isEqualTo("orders");
            assertThat(letter.item().id()).isEqualTo(bad.id());
            assertThat(letter.item().task()).isSameAs(failing);
            assertThat(letter.attempts()).isOne();
            assertThat(letter.lastError()).hasMessage("disk full");
            assertThat(dlq.depth()).isZero();
        }
    }

    @Test
    @DisplayName("a retried job that gives up is one dead letter with every attempt's failure, oldest first")
    void retriedJobCarriesItsHistory() throws Exception {
        DeadLetters<FailedJob<?>> dlq = DeadLetters.withCapacity(10);
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.backoff(3, Duration.ZERO, Duration.ZERO);
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).deadLetters(dlq).build()) {
            Job<String> job = pool.submit(ctx, JobOptions.defaults().retry(retry), c -> {
                throw new IOException("attempt " + calls.incrementAndGet());
            });
            assertThat(job.result()).isInstanceOf(Result.Failed.class);
            DeadLetter<FailedJob<?>> letter = dlq.drain().getFirst();
            assertThat(letter.attempts()).isEqualTo(3);
            assertThat(letter.errors()).extracting(Throwable::getMessage)
                    .containsExactly("attempt 1", "attempt 2", "attempt 3");
            assertThat(retry.snapshot().counter("gave_up.attempts_exhausted"))
                    .as("the caller's policy object counts the job (the pool keeps the history without a copy)")
                    .isEqualTo(1);
        }
    }

    @Test
    @DisplayName("a full dead-letter queue holds the worker back (never a drop); the letter goes in once there is room")
    void fullQueueIsBackPressure() throws Exception {
        DeadLetters<FailedJob<?>> dlq = DeadLetters.withCapacity(1);
        List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).deadLetters(dlq).threadFactory(r -> {
            Thread t = Thread.ofVirtual().unstarted(r);
            workers.add(t);
            return t;
        }).build()) {
            AtomicInteger calls = new AtomicInteger();
            Task<String> failing = c -> {
                calls.incrementAndGet();
                throw new IOException("down");
            };
            Job<String> first = pool.submit(ctx, failing);
            first.result();
            Job<String> second = pool.submit(ctx, failing);
            Await.until("the second job to run", () -> calls.get() == 2);
            Await.blocked(workers.getFirst()); // in the add: the queue is full
            assertThat(second.isDone()).as("its letter is not in yet, so its handle is not complete").isFalse();
            assertThat(dlq.letters().receive().item().id()).isEqualTo(first.id()); // room for one
            assertThat(second.result()).isInstanceOf(Result.Failed.class);
            assertThat(dlq.drain()).singleElement().satisfies(l -> assertThat(l.item().id()).isEqualTo(second.id()));
        }
    }

    @Test
    @DisplayName("replay resubmits each letter's task with its options; one that fails again is a letter again")
    void replayResubmits() throws Exception {
        DeadLetters<FailedJob<?>> dlq = DeadLetters.withCapacity(10);
        Channel<Boolean> healthy = Channel.make(1);
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).deadLetters(dlq).build()) {
            Task<String> flaky = c -> {
                if (healthy.length() == 0) {
                    throw new IOException("not yet");
                }
                return "done";
            };
            assertThat(pool.submit(ctx, flaky).result()).isInstanceOf(Result.Failed.class);
            assertThat(pool.submit(ctx, flaky).result()).isInstanceOf(Result.Failed.class);
            healthy.send(true);
            List<Job<?>> again = new java.util.ArrayList<>();
            DeadLetters.Replay<FailedJob<?>> r = dlq.replay(ctx, (c, l) -> again.add(l.item().resubmit(c, pool)));
            assertThat(r.replayed()).isEqualTo(2);
            for (Job<?> j : again) {
                assertThat(j.result()).isEqualTo(new Result.Ok<>("done"));
            }
            assertThat(dlq.depth()).isZero();
            assertThat(dlq.replayed()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("a breaker shared by the jobs: failures open it, and the next job is refused without running")
    void sharedBreaker() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock)
                .slidingWindow(CircuitBreaker.Window.count(2)).minimumCalls(2).waitInOpen(Duration.ofSeconds(30))
                .build();
        JobOptions toPayments = JobOptions.defaults().policy(breaker);
        AtomicInteger calls = new AtomicInteger();
        Task<String> charge = c -> {
            calls.incrementAndGet();
            throw new IOException("payments down");
        };
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            for (int i = 0; i < 2; i++) {
                assertThat(pool.submit(ctx, toPayments, charge).result()).isInstanceOf(Result.Failed.class);
            }
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
            Result<String> refused = pool.submit(ctx, toPayments, charge).result();
            assertThat(refused).isInstanceOfSatisfying(Result.Failed.class,
                    f -> assertThat(f.error()).isInstanceOf(CallNotPermittedException.class));
            assertThat(calls).as("the refused job's task never ran").hasValue(2);
            clock.advance(Duration.ofSeconds(30));
            assertThat(pool.submit(ctx, toPayments, c -> "charged").result()).isEqualTo(new Result.Ok<>("charged"));
            assertThat(pool.metrics().checkInvariants().failed()).isEqualTo(3);
        }
    }
}
