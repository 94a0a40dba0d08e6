package dev.gopatterns.pool;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.Objects;

/**
 * What a {@link Scheduler}'s heap holds: a one-shot job ({@link OneShotEntry}) or a periodic one
 * ({@link PeriodicEntry}), with the context that governs its submission. State is guarded by the scheduler's lock.
 */
abstract sealed class SchedulerEntry extends DueHeap.Node permits OneShotEntry, PeriodicEntry {
    /** The cause a job cancelled through its handle reports: shared, like a context's error (never add to it). */
    static final Throwable CANCELLED_BY_HANDLE = cancelledError();

    final Scheduler s;
    final Context ctx;
    /** The hook that ends the entry when {@link #ctx} ends; set once by {@link #watch()}. */
    private volatile Context.Stop watch;
    /** Set once the entry no longer needs its context (submitted, or ended). */
    private volatile boolean settled;

    SchedulerEntry(Scheduler s, Context ctx, int priority) {
        super(0, priority);
        this.s = s;
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /** The scheduling thread took the entry out of the heap because it is due. Call only when holding the lock. */
    abstract void takenLocked();

    /** Submits the entry's job (scheduling thread, no lock held, after {@link #takenLocked()}). */
    abstract void fire();

    /** The entry's context has ended (a {@link Context#afterFunc} thread). */
    abstract void ctxEnded();

    /**
     * Registers {@link #ctxEnded()} to run when the context ends; called once, after the entry is in the heap. A
     * registration racing {@link #unwatch()} is stopped by one side or the other: each writes its variable, then
     * reads the other's (both volatile).
     */
    final void watch() {
        Context.Stop w = Context.afterFunc(ctx, this::ctxEnded);
        watch = w;
        if (settled) {
            w.stop();
        }
    }

    /** Releases the context hook: the entry has been submitted or has ended. Idempotent. */
    final void unwatch() {
        settled = true;
        Context.Stop w = watch;
        if (w != null) {
            w.stop();
        }
    }

    private static Throwable cancelledError() {
        CancellableContext c = Context.withCancel(Context.background());
        c.cancel();
        return c.err().orElseThrow();
    }
}
