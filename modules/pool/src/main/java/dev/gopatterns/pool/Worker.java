package dev.gopatterns.pool;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker thread of a {@link FixedPool}, and the claim that lets a job's cancellation interrupt it for exactly
 * that job.
 */
final class Worker {
    /*
     * `target` is the job the worker runs now, FIRING while an interrupt for it is being delivered, FIRED after, or
     * null between jobs. Whoever wants to interrupt the worker for job j (j.cancel(), shutdownNow's sweep) must win
     * the CAS j -> FIRING, so an interrupt meant for j can never strike the next job: once the worker has left j
     * (CAS j -> null), the CAS fails. Leaving after a claim waits the few instructions until the interrupt has
     * landed (yielding, never spinning, so one carrier can run the interrupter), then clears it. This is
     * InterruptScope's Entry, kept per worker and reused for every job, so a job costs two CASes and no
     * allocation, and no hook on any context.
     */
    private static final Object FIRING = new Object();
    private static final Object FIRED = new Object();

    Thread thread;
    private final AtomicReference<Object> target = new AtomicReference<>();

    /** The worker's thread, before it runs {@code job}. */
    void enter(PoolJob<?> job) {
        target.set(job);
    }

    /** The job the worker runs now, or null. */
    PoolJob<?> current() {
        return target.get() instanceof PoolJob<?> job ? job : null;
    }

    /** Interrupts the worker if, and only if, it is still running {@code job}; at most once per job. */
    boolean interrupt(PoolJob<?> job) {
        if (target.get() == job && target.compareAndSet(job, FIRING)) {
            thread.interrupt();
            target.set(FIRED);
            return true;
        }
        return false;
    }

    /** The worker's thread, after {@code job}: no interrupt for it can land later, and none is left set. */
    void leave(PoolJob<?> job) {
        if (!target.compareAndSet(job, null)) {
            while (target.get() == FIRING) {
                Thread.yield();
            }
            Thread.interrupted(); // the job's interrupt, if the job did not consume it
            target.set(null);
        }
    }
}
