package dev.gopatterns.pool;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.Objects;
import java.util.Optional;

/** A {@link ScheduledJob}: submitted once, when due. */
final class OneShotEntry<T> extends SchedulerEntry implements ScheduledJob<T> {
    /*
     * SCHEDULED (in the heap) -> TAKEN (the scheduling thread took it, due) -> SUBMITTED (the pool accepted it),
     * or -> ENDED from SCHEDULED (cancel, context, close, the pool's end) or from TAKEN (the wait for room gave up,
     * or the pool refused it). All under the scheduler's lock, so cancel() and the loop's take cannot both win.
     * The handle's result is the pool job's (its one completion callback) or, if never submitted, set here.
     */
    private static final int SCHEDULED = 0;
    private static final int TAKEN = 1;
    private static final int SUBMITTED = 2;
    private static final int ENDED = 3;

    /** The pool's submit case for this job, built at once (which checks the options against the pool). */
    private final SelectCase<Job<T>> submitCase;
    private final Outcome<T> outcome = new Outcome<>();
    /** Guarded by s.lock. */
    private int state = SCHEDULED;
    /** Guarded by s.lock: cancel() came while TAKEN; whoever finishes the submission acts on it. */
    private boolean cancelRequested;
    /** Guarded by s.lock: the context of a helper's wait for room (a child of ctx), while it waits. */
    private CancellableContext submitCtx;
    /** Written under s.lock when submitted; read without it by job(). */
    private volatile Job<T> job;

    OneShotEntry(Scheduler s, Context ctx, JobOptions options, Task<T> task) {
        super(s, ctx, Objects.requireNonNull(options, "options").priority());
        this.submitCase = s.pool.onSubmit(options, task, j -> j);
    }

    @Override
    public long due() {
        return due; // written before the entry was published by the lock
    }

    @Override
    void takenLocked() {
        state = TAKEN;
    }

    @Override
    void fire() {
        Job<T> accepted;
        try {
            accepted = Select.selectNow(() -> null, submitCase);
        } catch (RejectedException shutDown) {
            endTaken(new Result.Failed<>(shutDown));
            return;
        } catch (RuntimeException | Error poolFailed) { // a pool that could not start a worker for it
            endTaken(new Result.Failed<>(poolFailed));
            return;
        }
        if (accepted != null) {
            submitted(accepted);
            return;
        }
        // The pool is full: wait for room in a helper thread, so this thread goes on with the other jobs.
        CancellableContext c = Context.withCancel(ctx);
        boolean cancelled;
        s.lock.lock();
        try {
            cancelled = cancelRequested;
            if (!cancelled) {
                submitCtx = c;
            }
        } finally {
            s.lock.unlock();
        }
        if (cancelled) {
            c.cancel();
            endTaken(new Result.Cancelled<>(CANCELLED_BY_HANDLE, false));
            return;
        }
        try {
            s.startHelper(() -> waitForRoom(c));
        } catch (RuntimeException | Error noThread) {
            c.cancel();
            endTaken(new Result.Failed<>(noThread));
        }
    }

    /** A helper thread: waits for room until the job's context ends, it is cancelled, or the scheduler closes. */
    private void waitForRoom(CancellableContext c) {
        try {
            Job<T> accepted = Select.select(submitCase, c.onDone(() -> null), s.ctx.onDone(() -> null));
            if (accepted != null) {
                submitted(accepted);
            } else {
                endTaken(gaveUp());
            }
        } catch (RejectedException shutDown) {
            endTaken(new Result.Failed<>(shutDown));
        } catch (RuntimeException | Error poolFailed) {
            endTaken(new Result.Failed<>(poolFailed));
        } catch (InterruptedException e) {
            endTaken(new Result.Cancelled<>(e, false)); // only the JVM's end interrupts a helper
            Thread.currentThread().interrupt();
        } finally {
            c.cancel();
        }
    }

    /** Why a wait for room ended without room: the scheduler's end, the job's context, or the handle's cancel. */
    private Result<T> gaveUp() {
        Scheduler.Ending ending;
        s.lock.lock();
        try {
            ending = s.endingLocked();
        } finally {
            s.lock.unlock();
        }
        if (ending != null) {
            return ending.result();
        }
        return new Result.Cancelled<>(ctx.err().map(Throwable.class::cast).orElse(CANCELLED_BY_HANDLE), false);
    }

    private void submitted(Job<T> j) {
        boolean cancel;
        s.lock.lock();
        try {
            state = SUBMITTED;
            job = j;
            s.submitted++;
            cancel = cancelRequested;
            submitCtx = null;
        } finally {
            s.lock.unlock();
        }
        s.recordLateness(due);
        unwatch();
        ((PoolJob<T>) j).whenComplete(outcome::complete);
        if (cancel) {
            j.cancel();
        }
    }

    /** Ends a TAKEN job that was never submitted. */
    private void endTaken(Result<T> r) {
        s.lock.lock();
        try {
            state = ENDED;
            submitCtx = null;
            countLocked(r);
        } finally {
            s.lock.unlock();
        }
        unwatch();
        outcome.complete(r);
    }

    /**
     * Ends a SCHEDULED job (taken out of the heap by the scheduler's end) with {@code r}; false if it had left that
     * state meanwhile (a cancel won).
     */
    boolean endUnsubmitted(Result<T> r) {
        s.lock.lock();
        try {
            if (state != SCHEDULED) {
                return false;
            }
            state = ENDED;
            s.removeLocked(this);
            countLocked(r);
        } finally {
            s.lock.unlock();
        }
        unwatch();
        outcome.complete(r);
        return true;
    }

    /** Call only when holding the lock. */
    private void countLocked(Result<T> r) {
        if (r instanceof Result.Cancelled<T>) {
            s.cancelled++;
        } else if (r instanceof Result.Failed<T>(Throwable e) && e instanceof RejectedException) {
            s.rejected++;
        }
    }

    @Override
    public boolean cancel() {
        int was;
        CancellableContext c = null;
        Job<T> j = null;
        boolean head = false;
        s.lock.lock();
        try {
            was = state;
            switch (was) {
                case SCHEDULED -> {
                    state = ENDED;
                    head = s.removeLocked(this);
                    s.cancelled++;
                }
                case TAKEN -> {
                    cancelRequested = true; // acted on by whoever finishes the submission
                    c = submitCtx;
                }
                case SUBMITTED -> j = job;
                default -> {
                    return false;
                }
            }
        } finally {
            s.lock.unlock();
        }
        switch (was) {
            case SCHEDULED -> {
                if (head) {
                    s.wake(); // the alarm was set for this job: let the loop set it for the next one
                }
                unwatch();
                outcome.complete(new Result.Cancelled<>(CANCELLED_BY_HANDLE, false));
                return true;
            }
            case TAKEN -> {
                if (c != null) {
                    c.cancel(); // a helper waiting for room gives up
                }
                return false;
            }
            default -> {
                j.cancel();
                return false;
            }
        }
    }

    @Override
    void ctxEnded() {
        boolean head;
        s.lock.lock();
        try {
            if (state != SCHEDULED) {
                return; // taken: a helper waiting for room sees the context itself; submitted: the pool's now
            }
            state = ENDED;
            head = s.removeLocked(this);
            s.cancelled++;
        } finally {
            s.lock.unlock();
        }
        if (head) {
            s.wake();
        }
        unwatch();
        outcome.complete(new Result.Cancelled<>(ctx.err().orElseThrow(), false));
    }

    @Override
    public Optional<Job<T>> job() {
        return Optional.ofNullable(job);
    }

    @Override
    public Result<T> result() throws InterruptedException {
        return outcome.await();
    }

    @Override
    public Optional<Result<T>> tryResult() {
        return outcome.tryResult();
    }

    @Override
    public ReceiveChannel<Void> done() {
        return outcome.done();
    }

    @Override
    public String toString() {
        return "ScheduledJob[due " + due + ", " + tryResult().map(Object::toString).orElse(switch (stateNow()) {
            case SCHEDULED -> "scheduled";
            case TAKEN -> "submitting";
            default -> "submitted";
        }) + "]";
    }

    private int stateNow() {
        s.lock.lock();
        try {
            return state;
        } finally {
            s.lock.unlock();
        }
    }
}
