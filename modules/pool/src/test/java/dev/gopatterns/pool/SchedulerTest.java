package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link Scheduler}: one-shot and periodic jobs submitted to a pool on a {@link FakeClock}. */
class SchedulerTest {

    private static final Duration NS = Duration.ofNanos(1);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final JobOptions DEFAULTS = JobOptions.defaults();

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    private WorkerPool pool(int workers) {
        return WorkerPool.builder().clock(clock).workers(workers).priorities(3).build();
    }

    private Scheduler scheduler(WorkerPool pool) {
        return Scheduler.builder(pool).wallClock(() -> Instant.EPOCH.plusNanos(clock.nanoTime())).build();
    }

    private static void awaitSubmitted(Scheduler s, long n) {
        Await.until(() -> n + " submitted (" + s.metrics() + ")", () -> s.metrics().submitted() == n);
    }

    private static void awaitRuns(PeriodicJob p, long n) {
        Await.until(() -> n + " runs ended (" + p + ")", () -> p.runs() == n);
    }

    @Nested
    @DisplayName("one-shot jobs")
    class OneShot {

        @Test
        @DisplayName("a job is submitted when the clock reaches its due time: not at due - 1 ns, and at due exactly")
        void submittedAtDueNotBefore() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                List<Long> ranAt = new CopyOnWriteArrayList<>();
                ScheduledJob<String> job = s.after(ctx, Duration.ofSeconds(10), DEFAULTS, c -> {
                    ranAt.add(clock.nanoTime());
                    return "ran";
                });
                assertThat(job.due()).isEqualTo(Duration.ofSeconds(10).toNanos());
                clock.awaitPendingTasks(1, Duration.ofSeconds(5)); // the scheduler armed its alarm
                clock.advance(Duration.ofSeconds(10).minus(NS));
                assertThat(s.metrics().submitted()).as("1 ns before due").isZero();
                assertThat(job.job()).isEmpty();
                assertThat(job.isDone()).isFalse();
                clock.advance(NS);
                assertThat(job.result()).isEqualTo(new Result.Ok<>("ran"));
                assertThat(ranAt).containsExactly(Duration.ofSeconds(10).toNanos());
                assertThat(job.job()).isPresent();
                Scheduler.Metrics m = s.metrics();
                assertThat(m.pending()).isZero();
                assertThat(m.submitted()).isOne();
                assertThat(m.lateness().count()).isOne();
                assertThat(m.lateness().max()).as("the clock stood at the due time").isZero();
                dev.gopatterns.metrics.Snapshot snap = s.snapshot();
                assertThat(snap.counter("jobs.submitted")).isOne();
                assertThat(snap.gauge("jobs.pending")).isZero();
                assertThat(snap.timer("lateness")).isEqualTo(m.lateness());
            }
        }

        @Test
        @DisplayName("jobs are submitted in due order; at equal due times highest priority first, then FIFO")
        void orderByDueThenPriorityThenFifo() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                ScheduledJob<?> a = s.after(ctx, Duration.ofSeconds(2), DEFAULTS, c -> "a");
                ScheduledJob<?> b = s.after(ctx, Duration.ofSeconds(1), DEFAULTS, c -> "b");
                ScheduledJob<?> d = s.after(ctx, Duration.ofSeconds(3), DEFAULTS, c -> "d");
                ScheduledJob<?> c1 = s.after(ctx, Duration.ofSeconds(3), DEFAULTS.priority(2), c -> "c1");
                ScheduledJob<?> e = s.after(ctx, Duration.ofSeconds(3), DEFAULTS.priority(1), c -> "e");
                ScheduledJob<?> c2 = s.after(ctx, Duration.ofSeconds(3), DEFAULTS.priority(2), c -> "c2");
                assertThat(s.metrics().pending()).isEqualTo(6);
                clock.advance(Duration.ofSeconds(3)); // all due in one step: taken at 1 s, 2 s or 3 s, in order
                awaitSubmitted(s, 6);
                List<Long> ids = new ArrayList<>();
                for (ScheduledJob<?> j : List.of(b, a, c1, c2, e, d)) {
                    ids.add(j.job().orElseThrow().id());
                }
                assertThat(ids).as("pool job ids of b, a, c1, c2, e, d: the order they were submitted")
                        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                for (ScheduledJob<?> j : List.of(a, b, c1, c2, d, e)) {
                    assertThat(j.result().isOk()).isTrue();
                }
            }
        }

        @Test
        @DisplayName("a job cancelled before its due time is never submitted: cancel is true, the result Cancelled")
        void cancelBeforeDue() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                AtomicInteger ran = new AtomicInteger();
                ScheduledJob<Integer> job = s.after(ctx, SECOND, DEFAULTS, c -> ran.incrementAndGet());
                ScheduledJob<Integer> other = s.after(ctx, Duration.ofSeconds(2), DEFAULTS, c -> 2);
                assertThat(job.cancel()).isTrue();
                assertThat(job.cancel()).as("idempotent").isFalse();
                assertThat(job.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                        r -> assertThat(r.started()).isFalse());
                assertThat(s.metrics().pending()).isOne();
                clock.advance(Duration.ofSeconds(2));
                assertThat(other.result()).isEqualTo(new Result.Ok<>(2));
                assertThat(ran).hasValue(0);
                assertThat(job.job()).isEmpty();
                assertThat(s.metrics().submitted()).isOne();
                assertThat(s.metrics().cancelled()).isOne();
            }
        }

        @Test
        @DisplayName("cancel after submission returns false and cancels the pool job: a running job sees its context end")
        void cancelAfterSubmission() throws Exception {
            try (WorkerPool pool = pool(1); Scheduler s = scheduler(pool)) {
                Channel<Boolean> started = Channel.buffered(1);
                ScheduledJob<Object> job = s.after(ctx, SECOND, DEFAULTS, c -> {
                    started.send(true);
                    return c.receive(Channel.<Object>unbuffered()); // until the job's context ends
                });
                clock.advance(SECOND);
                started.receive();
                assertThat(job.cancel()).as("it had come due").isFalse();
                assertThat(job.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                        r -> assertThat(r.started()).isTrue());
            }
        }

        @Test
        @DisplayName("cancel racing the due time: either cancelled and never submitted, or submitted and cancel false")
        void cancelRacingDue() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                int cancelledFirst = 0;
                for (int i = 0; i < 200; i++) {
                    ScheduledJob<String> job = s.after(ctx, SECOND, DEFAULTS, c -> "ran");
                    boolean cancelled;
                    try (TestThreads threads = TestThreads.virtual()) {
                        threads.start("advance", () -> clock.advance(SECOND));
                        Future<Boolean> cancel = threads.submit("cancel", job::cancel);
                        cancelled = cancel.get();
                    }
                    Result<String> r = job.result();
                    if (cancelled) {
                        cancelledFirst++;
                        assertThat(r).isInstanceOf(Result.Cancelled.class);
                        assertThat(job.job()).as("never submitted").isEmpty();
                    } else {
                        assertThat(job.job()).as("submitted").isPresent();
                        // the pool job may have run, or been cancelled through its handle before it started
                        assertThat(r).isEqualTo(job.job().orElseThrow().result());
                    }
                }
                Scheduler.Metrics m = s.metrics();
                assertThat(m.cancelled()).isEqualTo(cancelledFirst);
                assertThat(m.submitted()).isEqualTo(200 - cancelledFirst);
            }
        }

        @Test
        @DisplayName("a job whose context ends before it is due is never submitted: Cancelled with that context's error")
        void contextEndsBeforeDue() throws Exception {
            try (WorkerPool pool = pool(1); Scheduler s = scheduler(pool)) {
                CancellableContext c = Context.withCancel(ctx);
                ScheduledJob<String> job = s.after(c, SECOND, DEFAULTS, x -> "ran");
                c.cancel();
                assertThat(job.result()).isEqualTo(new Result.Cancelled<>(c.err().orElseThrow(), false));
                assertThat(s.metrics().pending()).isZero();
                assertThatThrownBy(() -> s.after(c, SECOND, DEFAULTS, x -> "late"))
                        .isInstanceOf(ContextCanceledException.class);
            }
        }

        @Test
        @DisplayName("a due time in the past, by delay or instant, means now, as Go's AfterFunc with a negative duration")
        void pastMeansNow() throws Exception {
            try (WorkerPool pool = pool(1); Scheduler s = scheduler(pool)) {
                clock.advance(Duration.ofSeconds(100));
                ScheduledJob<String> byDelay = s.after(ctx, Duration.ofSeconds(-5), DEFAULTS, c -> "delay");
                ScheduledJob<String> byInstant = s.at(ctx, Instant.EPOCH, DEFAULTS, c -> "instant");
                assertThat(byDelay.result()).isEqualTo(new Result.Ok<>("delay"));
                assertThat(byInstant.result()).isEqualTo(new Result.Ok<>("instant"));
                assertThat(byDelay.due()).isEqualTo(clock.nanoTime());
            }
        }

        @Test
        @DisplayName("at(instant) is due when the wall clock would read that instant")
        void atInstant() throws Exception {
            try (WorkerPool pool = pool(1); Scheduler s = scheduler(pool)) {
                ScheduledJob<String> job = s.at(ctx, Instant.EPOCH.plusSeconds(5), DEFAULTS, c -> "ran");
                clock.advance(Duration.ofSeconds(5).minus(NS));
                assertThat(s.metrics().submitted()).isZero();
                clock.advance(NS);
                assertThat(job.result()).isEqualTo(new Result.Ok<>("ran"));
            }
        }
    }

    @Nested
    @DisplayName("periodic jobs")
    class Periodic {

        @Test
        @DisplayName("a fixed-rate job runs at t0 + p, t0 + 2p, t0 + 3p, not a nanosecond before")
        void fixedRate() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                List<Long> ranAt = new CopyOnWriteArrayList<>();
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> ranAt.add(clock.nanoTime()));
                for (int k = 1; k <= 3; k++) {
                    clock.advance(SECOND.minus(NS));
                    assertThat(s.metrics().submitted()).as("1 ns before tick %d", k).isEqualTo(k - 1);
                    clock.advance(NS);
                    awaitRuns(p, k);
                }
                assertThat(ranAt).containsExactly(SECOND.toNanos(), 2 * SECOND.toNanos(), 3 * SECOND.toNanos());
                assertThat(p.skipped()).isZero();
                assertThat(s.metrics().pending()).as("the next tick").isOne();
                assertThat(p.cancel()).isTrue();
                assertThat(p.isDone()).isTrue();
                assertThat(s.metrics().pending()).isZero();
            }
        }

        @Test
        @DisplayName("ticks that find the previous run unfinished are skipped and counted: no overlap, no catch-up burst")
        void slowRunSkipsTicks() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                Channel<Boolean> release = Channel.buffered(10);
                AtomicInteger started = new AtomicInteger();
                AtomicInteger running = new AtomicInteger();
                AtomicInteger maxRunning = new AtomicInteger();
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> {
                    started.incrementAndGet();
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        return release.receive();
                    } finally {
                        running.decrementAndGet();
                    }
                });
                clock.advance(SECOND);
                Await.until("run 1 started", () -> started.get() == 1);
                clock.advance(SECOND);
                Await.until("tick 2 skipped", () -> p.skipped() == 1);
                clock.advance(SECOND);
                Await.until("tick 3 skipped", () -> p.skipped() == 2);
                release.send(true);
                awaitRuns(p, 1);
                clock.advance(SECOND);
                Await.until("run 2 started at tick 4", () -> started.get() == 2);
                release.send(true);
                awaitRuns(p, 2);
                assertThat(maxRunning).hasValue(1);
                assertThat(p.skipped()).isEqualTo(2);
                assertThat(s.metrics().skipped()).isEqualTo(2);
                assertThat(s.metrics().submitted()).as("one run at tick 1, one at tick 4, none made up").isEqualTo(2);
            }
        }

        @Test
        @DisplayName("a stall of several periods is skipped whole: one run after it, at the next tick, not a burst")
        void longStallSkipsEveryMissedTick() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                Channel<Boolean> release = Channel.buffered(10);
                List<Long> ranAt = new CopyOnWriteArrayList<>();
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> {
                    ranAt.add(clock.nanoTime());
                    return release.receive();
                });
                clock.advance(SECOND);
                Await.until("run 1 started", () -> ranAt.size() == 1);
                clock.advance(Duration.ofSeconds(5)); // ticks 2 to 6, in one step or one by one: all skipped
                Await.until(() -> "5 ticks skipped (" + p + ")", () -> p.skipped() == 5);
                release.send(true);
                awaitRuns(p, 1);
                clock.advance(SECOND);
                Await.until("run 2 started", () -> ranAt.size() == 2);
                release.send(true);
                awaitRuns(p, 2);
                assertThat(ranAt).containsExactly(SECOND.toNanos(), 7 * SECOND.toNanos());
                assertThat(s.metrics().submitted()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("fixed delay: the next run is due one period after the previous run ended")
        void fixedDelay() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                Channel<Boolean> release = Channel.buffered(10);
                List<Long> ranAt = new CopyOnWriteArrayList<>();
                PeriodicJob p = s.every(ctx, SECOND, Scheduler.Pacing.FIXED_DELAY, DEFAULTS, c -> {
                    ranAt.add(clock.nanoTime());
                    return release.receive();
                });
                clock.advance(SECOND);
                Await.until("run 1 started", () -> ranAt.size() == 1);
                clock.advance(Duration.ofSeconds(5)); // run 1 is slow: ends at 6 s
                release.send(true);
                awaitRuns(p, 1);
                clock.advance(SECOND.minus(NS));
                assertThat(s.metrics().submitted()).isOne();
                clock.advance(NS);
                Await.until("run 2 started", () -> ranAt.size() == 2);
                release.send(true);
                awaitRuns(p, 2);
                assertThat(ranAt).containsExactly(SECOND.toNanos(), 7 * SECOND.toNanos());
                assertThat(p.skipped()).isZero();
            }
        }

        @Test
        @DisplayName("a failed run does not stop later runs; failures are counted and the last one kept")
        void failuresDoNotStopIt() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                AtomicInteger n = new AtomicInteger();
                IllegalStateException boom = new IllegalStateException("boom");
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> {
                    if (n.incrementAndGet() == 1) {
                        throw boom;
                    }
                    return n.get();
                });
                clock.advance(SECOND);
                awaitRuns(p, 1);
                clock.advance(SECOND);
                awaitRuns(p, 2);
                assertThat(p.failures()).isOne();
                assertThat(p.lastFailure()).containsSame(boom);
                assertThat(p.stopCause()).isEmpty();
            }
        }

        @Test
        @DisplayName("the end of its context stops a periodic job: no more runs, stopCause is the context's error")
        void contextStopsIt() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                CancellableContext c = Context.withCancel(ctx);
                PeriodicJob p = s.every(c, SECOND, DEFAULTS, x -> null);
                clock.advance(SECOND);
                awaitRuns(p, 1);
                c.cancel();
                Await.until("stopped", p::isDone);
                assertThat(p.stopCause()).contains(c.err().orElseThrow());
                assertThat(s.metrics().pending()).isZero();
                clock.advance(Duration.ofSeconds(3));
                assertThat(p.runs()).isOne();
                assertThat(s.metrics().submitted()).isOne();
            }
        }

        @Test
        @DisplayName("cancel stops a periodic job and cancels its run in flight; done once that run has ended")
        void cancelStopsRunInFlight() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                Channel<Boolean> started = Channel.buffered(1);
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> {
                    started.send(true);
                    return c.receive(Channel.<Object>unbuffered());
                });
                clock.advance(SECOND);
                started.receive();
                assertThat(p.cancel()).isTrue();
                p.done().receiveOrClosed();
                assertThat(p.runs()).isOne();
                assertThat(p.failures()).as("a cancelled run is not a failure").isZero();
                assertThat(p.stopCause()).containsInstanceOf(ContextCanceledException.class);
            }
        }
    }

    @Nested
    @DisplayName("a full pool, the pool's shutdown, and close")
    class Lifecycle {

        @Test
        @DisplayName("a job that finds the pool full waits on its own: later jobs are still taken on time")
        void fullPoolDoesNotStallOthers() throws Exception {
            try (WorkerPool pool = WorkerPool.builder().clock(clock).workers(1).queueCapacity(0).build();
                 Scheduler s = scheduler(pool)) {
                Channel<Boolean> release = Channel.buffered(10);
                Job<Boolean> blocker = pool.submit(ctx, c -> release.receive());
                ScheduledJob<String> x = s.after(ctx, SECOND, DEFAULTS, c -> "x");
                ScheduledJob<String> y = s.after(ctx, Duration.ofSeconds(2), DEFAULTS, c -> "y");
                ScheduledJob<String> z = s.after(ctx, Duration.ofSeconds(2), DEFAULTS, c -> "z");
                clock.advance(SECOND);
                Await.until(() -> "x waits for room (" + s.metrics() + ")", () -> s.metrics().waiting() == 1);
                clock.advance(SECOND);
                Await.until(() -> "y and z wait too (" + s.metrics() + ")", () -> s.metrics().waiting() == 3);
                assertThat(z.cancel()).as("z had come due").isFalse();
                assertThat(z.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                        r -> assertThat(r.started()).isFalse());
                assertThat(z.job()).as("z gave up its wait: never submitted").isEmpty();
                release.send(true);
                release.send(true);
                release.send(true);
                assertThat(blocker.result().isOk()).isTrue();
                assertThat(x.result()).isEqualTo(new Result.Ok<>("x"));
                assertThat(y.result()).isEqualTo(new Result.Ok<>("y"));
                Scheduler.Metrics m = s.metrics();
                assertThat(m.submitted()).isEqualTo(2);
                assertThat(m.cancelled()).isOne();
                assertThat(m.lateness().max()).as("x entered the pool at 2 s, due at 1 s (HdrHistogram: 3 digits)")
                        .isBetween(SECOND, SECOND.plusMillis(1));
                Await.until("helpers gone", () -> s.metrics().waiting() == 0);
            }
        }

        @Test
        @DisplayName("a periodic tick that finds its previous run still waiting for room is skipped")
        void waitingRunIsInFlight() throws Exception {
            try (WorkerPool pool = WorkerPool.builder().clock(clock).workers(1).queueCapacity(0).build();
                 Scheduler s = scheduler(pool)) {
                Channel<Boolean> release = Channel.buffered(10);
                pool.submit(ctx, c -> release.receive());
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> null);
                clock.advance(SECOND);
                Await.until(() -> "run 1 waits for room (" + s.metrics() + ")", () -> s.metrics().waiting() == 1);
                clock.advance(SECOND);
                Await.until("tick 2 skipped", () -> p.skipped() == 1);
                release.send(true);
                awaitRuns(p, 1);
                assertThat(p.cancel()).isTrue();
            }
        }

        @Test
        @DisplayName("close ends every pending handle Cancelled (never run) and stops periodic jobs; later schedules fail")
        void closeCancelsPending() throws Exception {
            try (WorkerPool pool = pool(2)) {
                Scheduler s = scheduler(pool);
                ScheduledJob<String> a = s.after(ctx, SECOND, DEFAULTS, c -> "a");
                ScheduledJob<String> b = s.after(ctx, Duration.ofHours(1), DEFAULTS, c -> "b");
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> null);
                s.close();
                for (ScheduledJob<String> j : List.of(a, b)) {
                    assertThat(j.tryResult()).get().isInstanceOfSatisfying(Result.Cancelled.class,
                            r -> assertThat(r.started()).isFalse());
                }
                assertThat(p.isDone()).isTrue();
                assertThat(p.stopCause()).isPresent();
                assertThat(s.metrics().pending()).isZero();
                assertThat(s.metrics().cancelled()).isEqualTo(3);
                assertThatThrownBy(() -> s.after(ctx, SECOND, DEFAULTS, c -> "late"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("scheduler: schedule after close");
                s.close(); // idempotent
            }
        }

        @Test
        @DisplayName("shutdownNow hands back the one-shot jobs not yet due, in due order")
        void shutdownNowReturnsPending() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                ScheduledJob<String> late = s.after(ctx, Duration.ofSeconds(2), DEFAULTS, c -> "late");
                ScheduledJob<String> early = s.after(ctx, SECOND, DEFAULTS, c -> "early");
                s.every(ctx, SECOND, DEFAULTS, c -> null);
                assertThat(s.shutdownNow()).containsExactly(early, late);
                assertThat(s.shutdownNow()).isEmpty();
            }
        }

        @Test
        @DisplayName("the pool's shutdown fails pending jobs with RejectedException and stops periodic ones")
        void poolShutdownFailsPending() throws Exception {
            try (WorkerPool pool = pool(2); Scheduler s = scheduler(pool)) {
                ScheduledJob<String> job = s.after(ctx, SECOND, DEFAULTS, c -> "never");
                PeriodicJob p = s.every(ctx, SECOND, DEFAULTS, c -> null);
                pool.shutdownNow();
                assertThat(job.result()).isInstanceOfSatisfying(Result.Failed.class,
                        r -> assertThat(r.error()).isInstanceOf(RejectedException.class)
                                .hasMessage("pool: submit after shutdown"));
                p.done().receiveOrClosed();
                assertThat(p.stopCause()).containsInstanceOf(RejectedException.class);
                assertThat(s.metrics().rejected()).isOne();
                assertThatThrownBy(() -> s.after(ctx, SECOND, DEFAULTS, c -> "late"))
                        .isInstanceOf(RejectedException.class);
            }
        }

        @Test
        @DisplayName("the end of the scheduler's parent context stops it as shutdownNow does")
        void parentEnds() throws Exception {
            CancellableContext parent = Context.withCancel(ctx);
            try (WorkerPool pool = pool(2); Scheduler s = Scheduler.builder(pool).parent(parent).build()) {
                ScheduledJob<String> job = s.after(ctx, SECOND, DEFAULTS, c -> "never");
                parent.cancel();
                assertThat(job.result()).isInstanceOf(Result.Cancelled.class);
                Await.until("refuses new jobs", () -> {
                    try {
                        s.after(ctx, SECOND, DEFAULTS, c -> "late").cancel();
                        return false;
                    } catch (IllegalStateException closed) {
                        return true;
                    }
                });
            }
        }
    }

    @Nested
    @DisplayName("misuse")
    class Misuse {

        @Test
        @DisplayName("bad input fails at once with a message naming the rule")
        void badInput() {
            try (WorkerPool pool = pool(1); Scheduler s = scheduler(pool)) {
                assertThatThrownBy(() -> s.every(ctx, Duration.ZERO, DEFAULTS, c -> null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("scheduler: period must be > 0, was PT0S");
                assertThatThrownBy(() -> s.every(ctx, Duration.ofSeconds(-1), DEFAULTS, c -> null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("scheduler: period must be > 0, was PT-1S");
                assertThatThrownBy(() -> s.after(ctx, SECOND, DEFAULTS, null))
                        .isInstanceOf(NullPointerException.class).hasMessage("task");
                assertThatThrownBy(() -> s.every(ctx, SECOND, DEFAULTS, null))
                        .isInstanceOf(NullPointerException.class).hasMessage("task");
                assertThatThrownBy(() -> s.after(ctx, SECOND, DEFAULTS.priority(3), c -> null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("pool: priority must be < 3");
                assertThat(s.metrics().pending()).as("nothing was scheduled").isZero();
                assertThatThrownBy(() -> Scheduler.builder(pool).clock(new FakeClock()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("scheduler: the clock must be the pool's clock");
            }
        }
    }
}
