package dev.gopatterns.pool;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.Objects;
import java.util.Optional;

/** A {@link PeriodicJob}: one heap entry that goes back in the heap for its next tick. */
final class PeriodicEntry extends SchedulerEntry implements PeriodicJob {
    /*
     * FIXED_RATE: the entry is in the heap at its next tick whenever it is not stopped (between the loop's take and
     * its re-push in fire(), under one lock section, it is not). At a tick the loop computes the grid point it
     * serves (due + k * period, the latest one not after now: ticks missed while late are skipped in one step, as
     * Go's runtime does), counts a skip if a run is in flight, else submits one, and re-pushes the entry at the
     * next grid point after now.
     *
     * FIXED_DELAY: the entry leaves the heap at its tick and goes back when the run ends (the pool job's
     * completion callback, in the completing thread), due one period after that end.
     *
     * "In flight" is set when a tick decides to submit a run and cleared when the run's pool job ends, or when the
     * run was never submitted; so a run waiting in the pool, or in a helper waiting for room, is in flight too.
     * Done = stopped and nothing in flight: whichever of stop() and the end of the run comes second completes it.
     */

    final long period;
    private final Scheduler.Pacing pacing;
    private final JobOptions options;
    private final Task<?> task;
    private final Outcome<Void> outcome = new Outcome<>();
    /** Guarded by s.lock. */
    private boolean stopped;
    /** Guarded by s.lock: stop() asked to cancel the run in flight; whoever submits it acts on it. */
    private boolean cancelRun;
    /** Guarded by s.lock. */
    private boolean inFlight;
    /** Guarded by s.lock: the run in the pool, or null. */
    private Job<?> current;
    /** Guarded by s.lock: the context of a helper's wait for room, while it waits. */
    private CancellableContext submitCtx;
    /** Guarded by s.lock. */
    private long runs;
    /** Guarded by s.lock. */
    private long skipped;
    /** Guarded by s.lock. */
    private long failures;
    /** Guarded by s.lock. */
    private Throwable lastFailure;
    /** Guarded by s.lock. */
    private Throwable stopCause;

    PeriodicEntry(Scheduler s, Context ctx, long period, Scheduler.Pacing pacing, JobOptions options, Task<?> task) {
        super(s, ctx, Objects.requireNonNull(options, "options").priority());
        this.period = period;
        this.pacing = pacing;
        this.options = options;
        this.task = Objects.requireNonNull(task, "task");
        submitCase(task); // checks the options against the pool now, so misuse fails at every(), not at a tick
    }

    private <T> SelectCase<Job<T>> submitCase(Task<T> t) {
        return s.pool.onSubmit(options, t, j -> j);
    }

    @Override
    void takenLocked() {
        // out of the heap until fire() re-pushes it (fixed rate) or its run ends (fixed delay)
    }

    @Override
    void fire() {
        long now = s.clock.nanoTime();
        long tick;
        s.lock.lock();
        try {
            if (stopped || s.endingLocked() != null) {
                return;
            }
            if (pacing == Scheduler.Pacing.FIXED_RATE) {
                long missed = Math.max(0, now - due) / period;
                tick = due + missed * period;
                long skip = missed + (inFlight ? 1 : 0);
                skipped += skip;
                s.skipped += skip;
                due = Clock.deadlineAfter(tick, period);
                s.pushLocked(this); // the loop arms the alarm for the new head itself: no wake needed
                if (inFlight) {
                    return;
                }
            } else {
                tick = due;
            }
            inFlight = true;
        } finally {
            s.lock.unlock();
        }
        submitRun(tick);
    }

    private void submitRun(long tick) {
        SelectCase<? extends Job<?>> c = submitCase(task);
        Job<?> accepted;
        try {
            accepted = Select.selectNow(() -> null, c);
        } catch (RejectedException shutDown) {
            notSubmitted(shutDown);
            return;
        } catch (RuntimeException | Error poolFailed) { // a pool that could not start a worker for it
            notSubmitted(poolFailed);
            return;
        }
        if (accepted != null) {
            submitted(accepted, tick);
            return;
        }
        CancellableContext wait = Context.withCancel(ctx);
        boolean stop;
        s.lock.lock();
        try {
            stop = stopped;
            if (!stop) {
                submitCtx = wait;
            }
        } finally {
            s.lock.unlock();
        }
        if (stop) {
            wait.cancel();
            notSubmitted(null);
            return;
        }
        try {
            s.startHelper(() -> waitForRoom(c, wait, tick));
        } catch (RuntimeException | Error noThread) {
            wait.cancel();
            notSubmitted(noThread);
        }
    }

    /** A helper thread: waits for room until the context ends, the job is stopped, or the scheduler closes. */
    private void waitForRoom(SelectCase<? extends Job<?>> c, CancellableContext wait, long tick) {
        try {
            Job<?> accepted = Select.select(c, wait.onDone(() -> null), s.ctx.onDone(() -> null));
            if (accepted != null) {
                submitted(accepted, tick);
            } else {
                notSubmitted(null); // the stop that made it give up is on its way, or done
            }
        } catch (RejectedException shutDown) {
            notSubmitted(shutDown);
        } catch (RuntimeException | Error poolFailed) {
            notSubmitted(poolFailed);
        } catch (InterruptedException e) {
            notSubmitted(e); // only the JVM's end interrupts a helper
            Thread.currentThread().interrupt();
        } finally {
            wait.cancel();
        }
    }

    private void submitted(Job<?> j, long tick) {
        boolean cancel;
        s.lock.lock();
        try {
            current = j;
            submitCtx = null;
            s.submitted++;
            cancel = cancelRun;
        } finally {
            s.lock.unlock();
        }
        s.recordLateness(tick);
        ((PoolJob<?>) j).whenComplete(this::runEnded);
        if (cancel) {
            j.cancel();
        }
    }

    /** The run's pool job has ended (in the thread that completed it). */
    private void runEnded(Result<?> r) {
        boolean head = false;
        boolean finished;
        s.lock.lock();
        try {
            inFlight = false;
            current = null;
            runs++;
            if (r instanceof Result.Failed<?>(Throwable error)) {
                failures++;
                lastFailure = error;
            }
            if (!stopped && pacing == Scheduler.Pacing.FIXED_DELAY) {
                due = Clock.deadlineAfter(s.clock.nanoTime(), period);
                head = s.pushLocked(this); // refused if the scheduler has ended: its end stops this job
            }
            finished = stopped;
        } finally {
            s.lock.unlock();
        }
        if (head) {
            s.wake();
        }
        if (finished) {
            outcome.complete(new Result.Ok<>(null));
        }
    }

    /**
     * A run that was never submitted: the pool refused it ({@code why} a {@link RejectedException}: the job
     * stops), the pool or a helper thread failed or an interrupt came ({@code why} that: the job stops with it),
     * or its wait for room gave up because the job is stopping ({@code why} null).
     */
    private void notSubmitted(Throwable why) {
        boolean finished;
        s.lock.lock();
        try {
            inFlight = false;
            submitCtx = null;
            if (why instanceof RejectedException) {
                s.rejected++;
            }
            finished = stopped;
        } finally {
            s.lock.unlock();
        }
        if (why != null) {
            stop(why, false, true);
        } else if (finished) {
            outcome.complete(new Result.Ok<>(null));
        }
    }

    /**
     * Stops the job with {@code cause}; with {@code cancelRunToo}, also cancels the run in flight. A stop
     * {@code byPool} (or by a failure to submit) is not counted as cancelled. Returns whether this call stopped it.
     */
    boolean stop(Throwable cause, boolean cancelRunToo, boolean byPool) {
        Job<?> j;
        CancellableContext wait;
        boolean idle;
        boolean head;
        s.lock.lock();
        try {
            if (stopped) {
                return false;
            }
            stopped = true;
            stopCause = cause;
            cancelRun = cancelRunToo;
            head = s.removeLocked(this);
            s.unregisterLocked(this);
            if (!byPool) {
                s.cancelled++;
            }
            idle = !inFlight;
            j = current;
            wait = submitCtx;
        } finally {
            s.lock.unlock();
        }
        unwatch();
        if (head) {
            s.wake();
        }
        if (cancelRunToo) {
            if (wait != null) {
                wait.cancel();
            }
            if (j != null) {
                j.cancel();
            }
        }
        if (idle) {
            outcome.complete(new Result.Ok<>(null));
        }
        return true;
    }

    @Override
    public boolean cancel() {
        return stop(CANCELLED_BY_HANDLE, true, false);
    }

    @Override
    void ctxEnded() {
        stop(ctx.err().orElseThrow(), false, false);
    }

    @Override
    public boolean isDone() {
        return outcome.tryResult().isPresent();
    }

    @Override
    public ReceiveChannel<Void> done() {
        return outcome.done();
    }

    @Override
    public long runs() {
        s.lock.lock();
        try {
            return runs;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public long skipped() {
        s.lock.lock();
        try {
            return skipped;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public long failures() {
        s.lock.lock();
        try {
            return failures;
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Optional<Throwable> lastFailure() {
        s.lock.lock();
        try {
            return Optional.ofNullable(lastFailure);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public Optional<Throwable> stopCause() {
        s.lock.lock();
        try {
            return Optional.ofNullable(stopCause);
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public String toString() {
        s.lock.lock();
        try {
            return "PeriodicJob[every " + java.time.Duration.ofNanos(period) + " " + pacing + ", runs " + runs
                    + ", skipped " + skipped + ", failures " + failures + (stopped ? ", stopped" : "") + "]";
        } finally {
            s.lock.unlock();
        }
    }
}
