package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.metrics.Latency;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.metrics.ValueRecorder;
import dev.gopatterns.sync.WaitGroup;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Submits jobs to a {@link WorkerPool} at a time, after a delay, or every period: one scheduling thread over a heap
 * of due times, in front of the pool's queue. The pool still decides when a submitted job runs (its priorities,
 * aging, capabilities, rate limit); the scheduler decides when it is submitted.
 *
 * <pre>{@code
 * // Go:                                              // Java:
 * time.AfterFunc(d, func() { jobs <- job })           ScheduledJob<Report> r = scheduler.after(ctx, d, opts, task);
 * go func() {                                         PeriodicJob p = scheduler.every(ctx, period, opts, task);
 *     t := time.NewTicker(period); defer t.Stop()
 *     for { select {
 *     case <-t.C:        jobs <- job
 *     case <-ctx.Done(): return
 *     } }
 * }()
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Never early.</b> A job is submitted when the scheduler's clock reaches its due time, not before. A due
 *       time in the past means now, as Go's {@code time.AfterFunc} runs {@code f} at once for a negative duration.
 *   <li><b>Order.</b> Jobs are submitted in order of due time; jobs due at the same time, highest
 *       {@linkplain JobOptions#priority priority} first, then in the order they were scheduled. (While the pool has
 *       room: jobs that find it full wait for room each on its own, and enter it in no particular order.)
 *   <li><b>A full pool stalls nobody else.</b> The scheduling thread never waits for room: a job that finds the
 *       pool full is handed to a short-lived virtual thread that waits for room (and gives up when the job's
 *       context ends, the job is cancelled, or the scheduler is closed), while the other jobs go on being
 *       submitted on time. {@link Metrics#lateness()} shows how late jobs entered the pool.
 *   <li><b>Nothing is lost.</b> Every scheduled job ends with exactly one {@link Result} on its handle: the pool
 *       job's, once submitted; else {@code Cancelled} (never started) if it was cancelled, its context ended or
 *       the scheduler was closed first, or {@code Failed} with a {@link RejectedException} if its pool was shut
 *       down first. A periodic job stops for the same reasons, and says why in {@link PeriodicJob#stopCause()}.
 *   <li><b>Periodic jobs never overlap and never burst.</b> {@link Pacing#FIXED_RATE} (the default, Go's
 *       {@code Ticker}): runs are due at {@code start + k * period}; a tick that finds the previous run still
 *       running or waiting in the pool is skipped and counted, never queued up. {@link Pacing#FIXED_DELAY}: the
 *       next run is due {@code period} after the previous one ended.
 *   <li><b>Nothing outlives it.</b> {@link #close()} cancels what has not been submitted and joins the scheduling
 *       thread and every thread waiting for room. The pool's end (its context ending, after {@code shutdownNow}
 *       or termination) stops the scheduler too.
 *   <li>Memory consistency effects: actions in a thread prior to scheduling a job happen-before the job's actions
 *       in the pool.
 * </ul>
 *
 * <p>A job's context governs its submission, as {@code ctx} does for {@link WorkerPool#submit}: if it ends before
 * the job is submitted, the job is never submitted; once submitted, the job is the pool's (it runs with the pool's
 * context; cancel it through its handle). For a periodic job, the end of its context stops further runs.
 *
 * <p>Where it differs from Go: {@code time.AfterFunc} starts a goroutine per timer; here one thread serves every
 * job, and the work runs in the pool. The clock is injected (a {@code FakeClock} in tests). Go's ticker loop runs
 * the work inline, so it cannot overlap with itself either; here the run is a pool job, and the skip is explicit.
 */
public final class Scheduler implements AutoCloseable, Metered {
    /*
     * One scheduling thread owns the wake-up side; the heap (DueHeap: due time, priority descending, sequence) and
     * every entry's state are guarded by `lock`, which callers (at, after, every, cancel), the scheduling thread,
     * the helper threads and the pool's completing threads all take for short sections. Nothing calls the pool,
     * a channel, a context or a job's handle while holding it (a job's cancel may complete it, and its completion
     * callback takes this lock); only the clock's nanoTime is read under it, a leaf call by Clock's contract.
     *
     * The loop: take every entry due now (in heap order) under the lock, then submit them outside it; arm the
     * alarm for the new head; park in a select on three cases: (a) the wake channel, a buffered channel of one
     * token (coalescing, as Go's timer channel), signalled by a schedule that becomes the heap's head, by the
     * cancel of the head, and by the alarm; (b) the scheduler's context; (c) the pool's context. It never polls.
     *
     * The alarm is a task on the clock at the head's due time, absolute (Clock.scheduleAt), that sends the token.
     * Not a select timeout (Select.after): that measures from when select is called, so a due time turned into a
     * delay just before parking is late by however far the clock moved in between, and on a FakeClock advanced by
     * the test in that window the job would wait for another advance. With the absolute alarm, the window is
     * closed by reading the clock again after arming: if the head is due by then, loop instead of parking; if
     * not, the clock has not reached the alarm's time yet, so the alarm will fire (on a FakeClock, the advance
     * that reaches it runs it: the task was scheduled before that advance read its tasks, under the clock's lock).
     *
     * Submitting: the scheduling thread offers each due job with a non-blocking select on the pool's onSubmit
     * case (not trySubmit: that counts a full queue as a rejection in the pool's metrics, and this job is not
     * rejected, it goes on to wait). If the pool is full, a helper virtual thread selects on the same case, the
     * job's own submission context (a child of its context, which the handle's cancel() cancels) and the
     * scheduler's context. A shut-down pool makes the case throw RejectedException: the job fails with it.
     *
     * Cancel vs. fire is decided under the lock: an entry in the heap can be removed by cancel() (true: never
     * submitted) or taken by the loop (then cancel() returns false and cancels what is left: the submission, or
     * the pool job). jcstress: Scheduler_01_CancelRacingFire.
     */

    /** How a periodic job's runs are spaced. */
    public enum Pacing {
        /**
         * Go's {@code Ticker}: runs are due at {@code start + k * period}, {@code k >= 1}; a tick that finds the
         * previous run unfinished (running, or waiting in the pool) is skipped, as are ticks missed while the
         * scheduler was late: counted in {@link PeriodicJob#skipped()}, never made up later. The phase is kept.
         */
        FIXED_RATE,
        /** The next run is due {@code period} after the previous run ended (however it ended); nothing is skipped. */
        FIXED_DELAY
    }

    /**
     * What the scheduler has done so far: {@code pending} entries in its heap now (one-shot jobs not yet due, and
     * the next tick of each periodic job), jobs and runs {@code waiting} for room in a full pool now (due, not yet
     * accepted; one that just got room may be counted here and in {@code submitted} for an instant), jobs and
     * runs {@code submitted} to the pool, one-shot jobs
     * {@code cancelled} before they were submitted (by their handle, their context, or the scheduler's close) and
     * periodic jobs stopped so, periodic ticks {@code skipped}, jobs and runs {@code rejected} because the pool
     * was shut down, and the {@code lateness} of every submission: how long after its due time the pool accepted
     * it (the time spent waiting for room included).
     */
    public record Metrics(int pending, int waiting, long submitted, long cancelled, long skipped, long rejected,
                          Latency lateness) {}

    private static final Boolean TOKEN = Boolean.TRUE;

    final String name;
    final WorkerPool pool;
    final Clock clock;
    private final InstantSource wallClock;
    /** Ends at close or when the parent ends; every waiting helper selects on it. */
    final CancellableContext ctx;
    private final Context poolCtx;
    private final Channel<Boolean> wake = Channel.buffered(1);
    private final ThreadFactory helperThreads;
    private final WaitGroup helpers = new WaitGroup();
    private final Thread thread;
    private final ValueRecorder lateness = new ValueRecorder();

    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final DueHeap heap = new DueHeap();
    /** Guarded by lock: periodic jobs not yet stopped, wherever they are (in the heap, or a run in flight). */
    private final List<PeriodicEntry> periodics = new ArrayList<>();
    /** Guarded by lock: how the scheduler ended, or null while it runs. */
    private Ending ending;
    /** Guarded by lock: helpers waiting for room. */
    private int waiting;
    /** Guarded by lock. */
    long submitted;
    /** Guarded by lock. */
    long cancelled;
    /** Guarded by lock. */
    long skipped;
    /** Guarded by lock. */
    long rejected;

    /** Set by shutdownNow before it cancels {@link #ctx}: the loop then leaves the ending to it. */
    private volatile boolean shutDownByCaller;

    /** Owned by the scheduling thread: the clock task that sends the token at {@code alarmAt}, or null. */
    private Clock.Scheduled alarm;
    private long alarmAt;

    /** Why the scheduler ended: each unsubmitted job ends Failed (rejected) or Cancelled with {@code cause}. */
    record Ending(Throwable cause, boolean rejected) {
        <T> Result<T> result() {
            return rejected ? new Result.Failed<>(new RejectedException(Submission.Reason.SHUT_DOWN))
                    : new Result.Cancelled<>(cause, false);
        }
    }

    private Scheduler(Builder b) {
        this.name = b.name;
        this.pool = b.pool;
        this.clock = b.clock != null ? b.clock : b.pool.context().clock();
        this.wallClock = b.wallClock;
        Context parent = b.parent != null ? b.parent : Context.background(clock);
        if (parent.clock() != clock) {
            throw new IllegalArgumentException("scheduler: the parent context's clock must be the scheduler's clock"
                    + " (use parent(Context.background(clock)))");
        }
        this.ctx = Context.withCancel(parent);
        this.poolCtx = b.pool.context();
        this.helperThreads = Thread.ofVirtual().name(name + "-submit-", 1).factory();
        this.thread = Thread.ofVirtual().name(name + "-scheduler").unstarted(this::loop);
        thread.start();
    }

    /** A builder for a scheduler that submits to {@code pool}. */
    public static Builder builder(WorkerPool pool) {
        Objects.requireNonNull(pool, "pool");
        if (!(pool instanceof Pool)) {
            throw new IllegalArgumentException("scheduler: the pool must be one built by WorkerPool.builder(), was "
                    + pool.getClass().getName());
        }
        return new Builder(pool);
    }

    // ------------------------------------------------------------------------------------------ scheduling

    /**
     * Submits {@code task} to the pool with {@code options} when the scheduler's clock reaches {@code when}, read
     * on the builder's {@linkplain Builder#wallClock wall clock}. The instant is turned into a delay once, now: if
     * the wall clock is later set forward or back, the job stays due after the same delay (monotonic time, as a Go
     * timer). An instant in the past means now. Go: {@code time.AfterFunc(time.Until(when), f)}.
     *
     * @throws IllegalArgumentException if the options ask for a priority or capabilities the pool does not have
     * @throws IllegalStateException    "scheduler: schedule after close"
     * @throws RejectedException        "pool: submit after shutdown" if the pool is shut down
     * @throws ContextException         if {@code ctx} has ended
     */
    public <T> ScheduledJob<T> at(Context ctx, Instant when, JobOptions options, Task<T> task) {
        Objects.requireNonNull(when, "when");
        Duration until = Duration.between(wallClock.instant(), when);
        return after(ctx, until, options, task);
    }

    /**
     * Submits {@code task} to the pool with {@code options} once {@code delay} has passed on the scheduler's
     * clock; a delay {@code <= 0} means now. Go: {@code time.AfterFunc(delay, func() { jobs <- job })}.
     *
     * @throws IllegalArgumentException if the options ask for a priority or capabilities the pool does not have
     * @throws IllegalStateException    "scheduler: schedule after close"
     * @throws RejectedException        "pool: submit after shutdown" if the pool is shut down
     * @throws ContextException         if {@code ctx} has ended
     */
    public <T> ScheduledJob<T> after(Context ctx, Duration delay, JobOptions options, Task<T> task) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(delay, "delay");
        // Builds the pool's job now, which checks the options against the pool, so misuse fails here, not later.
        OneShotEntry<T> e = new OneShotEntry<>(this, ctx, options, task);
        admit(ctx, e, Clock.toNanosSaturated(delay));
        e.watch();
        return e;
    }

    /**
     * Submits {@code task} every {@code period}, {@link Pacing#FIXED_RATE} (Go's {@code Ticker}): the first run is
     * due one period from now. See {@link #every(Context, Duration, Pacing, JobOptions, Task)}.
     */
    public PeriodicJob every(Context ctx, Duration period, JobOptions options, Task<?> task) {
        return every(ctx, period, Pacing.FIXED_RATE, options, task);
    }

    /**
     * Submits {@code task} to the pool with {@code options} every {@code period}, spaced by {@code pacing}; the
     * first run is due one period from now. A run that fails does not stop later runs (Go's ticker loop goes on):
     * see {@link PeriodicJob#failures()}, {@link PeriodicJob#lastFailure()}, and the pool's dead letters. It stops
     * when cancelled, when {@code ctx} ends, when the scheduler is closed, or when the pool is shut down.
     *
     * @throws IllegalArgumentException if {@code period <= 0} ("scheduler: period must be > 0, was PT0S"), or if the
     *                                  options ask for a priority or capabilities the pool does not have
     * @throws IllegalStateException    "scheduler: schedule after close"
     * @throws RejectedException        "pool: submit after shutdown" if the pool is shut down
     * @throws ContextException         if {@code ctx} has ended
     */
    public PeriodicJob every(Context ctx, Duration period, Pacing pacing, JobOptions options, Task<?> task) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(pacing, "pacing");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("scheduler: period must be > 0, was " + period);
        }
        PeriodicEntry e = new PeriodicEntry(this, ctx, Clock.toNanosSaturated(period), pacing, options, task);
        admit(ctx, e, e.period);
        e.watch();
        return e;
    }

    /** Puts a new entry in the heap, due {@code delay} from now; wakes the loop if it is the new head. */
    private void admit(Context ctx, SchedulerEntry e, long delay) {
        ctx.throwIfDone();
        if (pool.isShutdown()) {
            throw new RejectedException(Submission.Reason.SHUT_DOWN);
        }
        boolean head;
        lock.lock();
        try {
            if (ending != null) {
                throw new IllegalStateException("scheduler: schedule after close (scheduler '" + name + "')");
            }
            e.due = Clock.deadlineAfter(clock.nanoTime(), delay);
            head = pushLocked(e);
            if (e instanceof PeriodicEntry p) {
                periodics.add(p);
            }
        } finally {
            lock.unlock();
        }
        if (head) {
            wake();
        }
    }

    /**
     * Adds {@code e} to the heap; returns whether it became the head (then wake the loop after unlocking), false
     * also if the scheduler has ended (then the entry is not added: see {@link #endingLocked()}). Call only when
     * holding lock.
     */
    boolean pushLocked(SchedulerEntry e) {
        if (ending != null) {
            return false;
        }
        heap.add(e);
        return heap.peek() == e;
    }

    /** Removes {@code e} from the heap if it is there; returns whether it was the head. Call only when holding lock. */
    boolean removeLocked(SchedulerEntry e) {
        boolean head = heap.peek() == e;
        return heap.remove(e) && head;
    }

    /** How the scheduler ended, or null while it runs. Call only when holding lock. */
    Ending endingLocked() {
        return ending;
    }

    void unregisterLocked(PeriodicEntry p) {
        periodics.remove(p);
    }

    /** Wakes the scheduling thread (the token coalesces: one pending wake-up is enough). */
    void wake() {
        wake.trySend(TOKEN);
    }

    /** Records how late a submission was: accepted now, due at {@code due}. */
    void recordLateness(long due) {
        lateness.recordNanos(clock.nanoTime() - due);
    }

    /**
     * Starts a helper thread that waits for room in the pool; throws if no thread could be started (then the
     * caller ends the entry with the failure).
     */
    void startHelper(Runnable waitForRoom) {
        helpers.add(1);
        waitingFor(1);
        try {
            helperThreads.newThread(() -> {
                try {
                    waitForRoom.run();
                } finally {
                    waitingFor(-1);
                    helpers.done();
                }
            }).start();
        } catch (RuntimeException | Error e) {
            waitingFor(-1);
            helpers.done();
            throw e;
        }
    }

    private void waitingFor(int delta) {
        lock.lock();
        try {
            waiting += delta;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------ scheduling thread

    private void loop() {
        try {
            for (;;) {
                List<SchedulerEntry> due = takeDue(clock.nanoTime());
                if (due == null) {
                    return; // ended by shutdownNow
                }
                for (SchedulerEntry e : due) {
                    e.fire();
                }
                if (!due.isEmpty() || headDueAfterArming()) {
                    continue;
                }
                Object why = Select.select(wake.onReceive(t -> t), ctx.onDone(() -> ctx),
                        poolCtx.onDone(() -> poolCtx));
                if (why == ctx) {
                    if (!shutDownByCaller) { // else shutdownNow ends the jobs, and hands them back
                        end(new Ending(ctx.err().orElseThrow(), false));
                    }
                    return;
                }
                if (why == poolCtx) {
                    end(new Ending(new RejectedException(Submission.Reason.SHUT_DOWN), true));
                    ctx.cancel(); // helpers waiting for room give up (the pool would refuse them anyway)
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread but the JVM's end: end every job rather than lose it.
            ctx.cancel(e);
            end(new Ending(ctx.err().orElseThrow(), false));
        } catch (RuntimeException | Error e) {
            ctx.cancel(e);
            end(new Ending(ctx.err().orElseThrow(), false));
            throw e;
        } finally {
            if (alarm != null) {
                alarm.cancel();
            }
        }
    }

    /** Takes every entry due at {@code now}, in heap order; null if the scheduler has ended. */
    private List<SchedulerEntry> takeDue(long now) {
        lock.lock();
        try {
            if (ending != null) {
                return null;
            }
            List<SchedulerEntry> due = List.of();
            for (DueHeap.Node head; (head = heap.peek()) != null && head.due - now <= 0; ) {
                if (due.isEmpty()) {
                    due = new ArrayList<>();
                }
                SchedulerEntry e = (SchedulerEntry) heap.poll();
                e.takenLocked();
                due.add(e);
            }
            return due;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Arms the alarm for the head's due time (if it is not armed for it already), then reads the clock again:
     * returns true if the head is due by then, so the loop takes it instead of parking (see the essay).
     */
    private boolean headDueAfterArming() {
        DueHeap.Node head;
        long headDue;
        lock.lock();
        try {
            head = heap.peek();
            headDue = head == null ? 0 : head.due;
        } finally {
            lock.unlock();
        }
        if (head == null) {
            if (alarm != null) {
                alarm.cancel();
                alarm = null;
            }
            return false;
        }
        if (alarm == null || alarmAt != headDue) {
            if (alarm != null) {
                alarm.cancel();
            }
            alarmAt = headDue;
            alarm = clock.scheduleAt(headDue, this::wake);
        }
        return headDue - clock.nanoTime() <= 0;
    }

    /** Ends every entry not yet submitted, once; later calls do nothing. Returns the one-shot jobs it ended. */
    private List<ScheduledJob<?>> end(Ending how) {
        List<DueHeap.Node> left;
        List<PeriodicEntry> live;
        lock.lock();
        try {
            if (ending != null) {
                return List.of();
            }
            ending = how;
            left = heap.drain();
            live = List.copyOf(periodics);
            periodics.clear();
        } finally {
            lock.unlock();
        }
        List<ScheduledJob<?>> ended = new ArrayList<>();
        for (DueHeap.Node n : left) {
            if (n instanceof OneShotEntry<?> one && one.endUnsubmitted(how.result())) {
                ended.add(one);
            }
        }
        for (PeriodicEntry p : live) {
            p.stop(how.cause(), false, how.rejected());
        }
        wake();
        return List.copyOf(ended);
    }

    // ----------------------------------------------------------------------------------------- observing

    /**
     * The scheduler in the project's one metrics vocabulary, the component {@code "scheduler"}: the gauges
     * {@code jobs.pending} and {@code jobs.waiting}, the counters {@code jobs.submitted}, {@code jobs.cancelled},
     * {@code ticks.skipped} and {@code jobs.rejected}, and the timer {@code lateness}, as {@link #metrics()}.
     */
    @Override
    public Snapshot snapshot() {
        Metrics m = metrics();
        return Snapshot.of("scheduler").gauge("jobs.pending", m.pending()).gauge("jobs.waiting", m.waiting())
                .counter("jobs.submitted", m.submitted()).counter("jobs.cancelled", m.cancelled())
                .counter("ticks.skipped", m.skipped()).counter("jobs.rejected", m.rejected())
                .timer("lateness", m.lateness()).build();
    }

    /** The counts so far, and the lateness of every submission. */
    public Metrics metrics() {
        Latency late = lateness.latency();
        lock.lock();
        try {
            return new Metrics(heap.size(), waiting, submitted, cancelled, skipped, rejected, late);
        } finally {
            lock.unlock();
        }
    }


    // ------------------------------------------------------------------------------------------- closing

    /**
     * Stops scheduling: every one-shot job not yet submitted (not yet due, or waiting for room in a full pool) ends
     * {@link Result.Cancelled} without running, and every periodic job stops (a run already in the pool is left
     * to finish). A job the scheduling thread is handing to the pool at that instant may still reach it. Does not wait; idempotent; safe from any thread. Later schedules throw
     * {@link IllegalStateException}.
     *
     * @return the one-shot jobs that were not yet due, in due order, that this call ended (none if the scheduler
     *         had ended already): they never ran and may be scheduled again
     */
    public List<ScheduledJob<?>> shutdownNow() {
        shutDownByCaller = true;
        ctx.cancel(new CancellationException("scheduler '" + name + "' closed"));
        return end(new Ending(ctx.err().orElseThrow(), false));
    }

    /**
     * {@link #shutdownNow()}, then waits for the scheduling thread and every thread waiting for room in the pool to
     * end. If interrupted while waiting, it keeps waiting (they end promptly), then sets the interrupt flag again.
     */
    @Override
    public void close() {
        shutdownNow();
        boolean interrupted = false;
        for (;;) {
            try {
                thread.join();
                helpers.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Scheduler[" + name + ", " + metrics() + "]";
    }

    // --------------------------------------------------------------------------------------------- builder

    /** Configures a {@link Scheduler}. */
    public static final class Builder {
        private final WorkerPool pool;
        private Clock clock;
        private Context parent;
        private InstantSource wallClock = InstantSource.system();
        private String name = "scheduler";

        private Builder(WorkerPool pool) {
            this.pool = pool;
        }

        /**
         * The clock due times are measured on; default the pool's (its context's clock). It must be the pool's:
         * a job's lateness and the pool's timeouts then share one time.
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            if (clock != pool.context().clock()) {
                throw new IllegalArgumentException("scheduler: the clock must be the pool's clock"
                        + " (build the pool with WorkerPool.builder().clock(clock))");
            }
            this.clock = clock;
            return this;
        }

        /**
         * The wall clock {@link Scheduler#at} reads to turn an instant into a delay; default
         * {@link InstantSource#system()}. In tests, one that follows the fake clock:
         * {@code () -> Instant.EPOCH.plusNanos(fakeClock.nanoTime())}.
         */
        public Builder wallClock(InstantSource wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /** The parent of the scheduler's context: when it ends, the scheduler stops as by {@link #shutdownNow()}. */
        public Builder parent(Context parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /** A name for the threads and messages; default "scheduler". */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Starts the scheduling thread. */
        public Scheduler build() {
            return new Scheduler(this);
        }
    }
}
