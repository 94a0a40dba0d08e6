package dev.gopatterns.pool;

import dev.gopatterns.clock.Clock;
import java.util.Set;
import dev.gopatterns.context.InterruptClaim;
import java.util.concurrent.locks.Condition;

/**
 * One worker thread of a {@link Pool}: what the queue knows of it (guarded by the queue's lock), and the claim
 * that lets a job's cancellation interrupt it for exactly that job.
 */
final class Worker {
    /*
     * The interrupt claim (core's InterruptClaim) is kept per worker and reused for every job, so a job costs two
     * CASes and no allocation, and no hook on any context: whoever wants to interrupt the worker for job j
     * (j.cancel(), shutdownNow's sweep, a job timeout) goes through it, so an interrupt meant for j can never strike
     * the next job.
     */
    private final InterruptClaim claim = new InterruptClaim();

    /** The worker's number in its pool, from 0; also its index among the per-worker queues. */
    final int index;
    /** What the worker can do; a job runs only on a worker that has every capability it requires. */
    final Set<String> capabilities;
    /** Whether the worker counts towards the resizable part of the pool (false: a fixed capability group). */
    final boolean elastic;
    Thread thread;

    // Guarded by the queue's lock.
    /** Signalled when the worker is handed a job, told to retire, or the queue shuts down. */
    Condition wake;
    /** A job handed straight to this idle worker. */
    PoolJob<?> handoff;
    /** In a rate-limited pool, the job the worker has taken and holds while it waits for its token. */
    PoolJob<?> holding;
    /** Whether the worker is waiting in take() for a job. */
    boolean idle;
    /** Set when the worker is to exit after its current job (the pool shrank, or it was idle too long). */
    boolean retire;
    /** The idle-timeout timer while the worker waits above the pool's minimum size. */
    Clock.Scheduled idleTimer;

    Worker(int index, Set<String> capabilities, boolean elastic) {
        this.index = index;
        this.capabilities = capabilities;
        this.elastic = elastic;
    }

    /** Whether this worker may run {@code job}. */
    boolean canRun(PoolJob<?> job) {
        return provides(capabilities, job.requires);
    }

    /** The one routing rule: a worker with {@code capabilities} may run a job that {@code requires} these. */
    static boolean provides(Set<String> capabilities, Set<String> requires) {
        return requires.isEmpty() || capabilities.containsAll(requires);
    }

    /** The worker's thread, before it runs {@code job}. */
    void enter(PoolJob<?> job) {
        claim.enter(job);
    }

    /** The job the worker runs now (and has not been interrupted for), or null. */
    PoolJob<?> current() {
        return (PoolJob<?>) claim.current();
    }

    /** Interrupts the worker if, and only if, it is still running {@code job}; at most once per job. */
    boolean interrupt(PoolJob<?> job) {
        return claim.interrupt(job);
    }

    /** The worker's thread, after {@code job}: no interrupt for it can land later, and none is left set. */
    void leave(PoolJob<?> job) {
        claim.leave(job);
    }

    /**
     * A kind of worker the pool starts: a fixed group of {@code count} with some capabilities, or the elastic
     * workers of a dynamic pool ({@code count} unused).
     */
    record Template(int count, Set<String> capabilities, boolean elastic) {
        boolean canRun(PoolJob<?> job) {
            return provides(capabilities, job.requires);
        }
    }

    @Override
    public String toString() {
        return "worker-" + index + (capabilities.isEmpty() ? "" : capabilities);
    }
}
