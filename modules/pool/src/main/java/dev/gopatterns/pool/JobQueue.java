package dev.gopatterns.pool;

import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.Selectable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * The bounded FIFO between submitters and workers, and the pool's counters, under one lock. It is a
 * {@link Selectable}, so "room in the queue" is a select case (submit), and its lock makes every count change
 * atomic with the queue change it describes, which is why a metrics snapshot is always consistent.
 */
final class JobQueue extends Selectable<PoolJob<?>> {
    /*
     * Room. A job may be accepted while items.size() < capacity + idle, where idle counts the workers waiting in
     * take(): with capacity 0 a job is accepted only when a worker is there to take it, which is Go's unbuffered
     * jobs channel. Waiting submitters are select tickets, admitted in FIFO order whenever room appears (a worker
     * takes a job or becomes idle, a queued job is cancelled).
     *
     * Shutdown fires every waiting ticket with `rejected` set, so a blocked submit or onSubmit wakes and throws
     * "pool: submit after shutdown" instead of waiting for room that will never come.
     *
     * Nothing here touches a channel or a job's done channel while holding the lock: completing a job happens after
     * unlock (a select may hold a job's done channel and want this lock; the reverse order would deadlock).
     */

    private final int capacity;
    private final int workers;
    /** Everything below is guarded by the lock. */
    private final ArrayDeque<PoolJob<?>> items = new ArrayDeque<>();
    private final ArrayDeque<Ticket<PoolJob<?>>> submitters = new ArrayDeque<>();
    private final Condition notEmpty = newCondition();
    private int idle;
    private boolean shutdown;
    private long nextId = 1;
    private long submitted;
    private long running;
    private long succeeded;
    private long failed;
    private long cancelled;
    private long rejectedCount;

    JobQueue(int capacity, int workers) {
        this.capacity = capacity;
        this.workers = workers;
    }

    // -------------------------------------------------------------------------------------- submitting side

    /** A select case that accepts {@code job} when there is room; {@code then} runs after it was accepted. */
    <R> SelectCase<R> offerCase(PoolJob<?> job, Supplier<? extends R> then) {
        return selectCase(job, () -> {
            if (job.rejected) {
                throw new RejectedException(Submission.Reason.SHUT_DOWN);
            }
            return then.get();
        });
    }

    /**
     * Accepts {@code job} if there is room now and nobody waits before it; returns null if accepted, else why not.
     * A refusal after shutdown is always counted as a rejection; a full queue only if {@code countFull} (a blocking
     * submit that goes on to wait is not rejected).
     */
    Submission.Reason tryOffer(PoolJob<?> job, boolean countFull) {
        lock();
        try {
            if (shutdown) {
                rejectedCount++;
                return Submission.Reason.SHUT_DOWN;
            }
            if (!hasRoom() || !submitters.isEmpty()) {
                if (countFull) {
                    rejectedCount++;
                }
                return Submission.Reason.QUEUE_FULL;
            }
            accept(job);
            return null;
        } finally {
            unlock();
        }
    }

    @Override
    protected boolean tryNow(PoolJob<?> job) {
        if (shutdown) {
            job.rejected = true;
            rejectedCount++;
            return true; // fires, and its handler throws
        }
        if (hasRoom() && submitters.isEmpty()) {
            accept(job);
            return true;
        }
        return false;
    }

    @Override
    protected void enqueue(Ticket<PoolJob<?>> ticket) {
        submitters.addLast(ticket);
    }

    @Override
    protected void dequeue(Ticket<PoolJob<?>> ticket) {
        submitters.remove(ticket);
    }

    private boolean hasRoom() {
        return items.size() < capacity + idle;
    }

    /** Call only under the lock. */
    private void accept(PoolJob<?> job) {
        job.id = nextId++;
        items.addLast(job);
        submitted++;
        notEmpty.signal();
    }

    /** Admits waiting submitters, in order, while there is room. Call only under the lock. */
    private void admitSubmitters() {
        while (hasRoom()) {
            Ticket<PoolJob<?>> t = submitters.pollFirst();
            if (t == null) {
                return;
            }
            if (t.tryFire()) {
                accept(t.argument());
            } // else that select went another way: drop its ticket
        }
    }

    // ----------------------------------------------------------------------------------------- worker side

    /**
     * Counts the worker's previous job as finished with {@code previous} (if not null), then returns the next job,
     * counted as running from the moment it leaves the queue; or null once the queue is shut down and empty. One
     * locked section for both, so a busy worker takes the lock once per job. If the worker then finds the job
     * cancelled, it calls {@link #neverStarted}.
     */
    PoolJob<?> take(Result<?> previous) {
        lock();
        try {
            if (previous != null) {
                countFinished(previous);
            }
            for (;;) {
                PoolJob<?> job = items.pollFirst();
                if (job != null) {
                    running++;
                    admitSubmitters();
                    return job;
                }
                if (shutdown) {
                    return null;
                }
                idle++;
                admitSubmitters();
                if (!items.isEmpty()) {
                    idle--;
                    continue;
                }
                // Nothing was admitted in this section, so no fired ticket waits for unlock() to be woken.
                try {
                    notEmpty.await();
                } catch (InterruptedException e) {
                    // Only the pool interrupts its workers, and only while they run a job (through the job's
                    // context): an interrupt here comes from outside and does not stop a worker, as in
                    // ThreadPoolExecutor. Loop and wait again.
                } finally {
                    idle--;
                }
            }
        } finally {
            unlock();
        }
    }

    /** A job taken by a worker turned out to be cancelled already (by its handle): it never ran. */
    void neverStarted() {
        lock();
        try {
            running--;
            cancelled++;
        } finally {
            unlock();
        }
    }

    /** Counts a finished job. Call only under the lock. */
    private void countFinished(Result<?> r) {
        running--;
        switch (r) {
            case Result.Ok<?> ok -> succeeded++;
            case Result.Failed<?> f -> failed++;
            case Result.Cancelled<?> c -> cancelled++;
        }
    }

    /** A queued job was cancelled by its handle: drop it from the queue if a worker has not taken it. */
    void cancelledWhileQueued(PoolJob<?> job) {
        lock();
        try {
            if (items.remove(job)) {
                cancelled++;
                admitSubmitters();
            } // else a worker took it and counts it when it finds it cancelled
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------- shutdown

    /** Stops accepting: waiting submitters are rejected; idle workers wake to drain and exit. */
    void shutdown() {
        lock();
        try {
            if (shutdown) {
                return;
            }
            shutdown = true;
            for (Ticket<PoolJob<?>> t; (t = submitters.pollFirst()) != null; ) {
                t.argument().rejected = true;
                if (t.tryFire()) {
                    rejectedCount++;
                }
            }
            notEmpty.signalAll();
        } finally {
            unlock();
        }
    }

    /** Shuts down and removes every queued job that can still be cancelled; the caller completes them. */
    List<PoolJob<?>> shutdownAndDrain() {
        shutdown();
        List<PoolJob<?>> drained = new ArrayList<>();
        lock();
        try {
            for (PoolJob<?> job; (job = items.pollFirst()) != null; ) {
                if (job.tryCancelUnstarted()) {
                    drained.add(job);
                }
                cancelled++; // cancelled now, or by its handle just before (whose remove found nothing)
            }
        } finally {
            unlock();
        }
        return drained;
    }

    boolean snapshotShutdown() {
        lock();
        try {
            return shutdown;
        } finally {
            unlock();
        }
    }

    PoolMetrics snapshot() {
        lock();
        try {
            return new PoolMetrics(workers, submitted, items.size(), running, succeeded, failed, cancelled,
                    rejectedCount);
        } finally {
            unlock();
        }
    }
}
