package dev.gopatterns.pool;

import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.Selectable;
import dev.gopatterns.clock.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * The heart of a pool, under one lock: the bounded {@link Backlog} between submitters and workers, the set of
 * workers and which of them are idle, and every counter. It is a {@link Selectable}, so "room in the pool" is a
 * select case (submit), and its lock makes every count change atomic with the change it describes, which is why a
 * metrics snapshot is always consistent.
 */
final class JobQueue extends Selectable<PoolJob<?>> {
    /*
     * Accepting a job: hand it to an idle worker that may run it (Go's send to a parked receiver: it never sits in
     * the queue), or else, in a dynamic pool below its maximum, start a new worker with the job as its first; or
     * else queue it if the backlog has room; or else there is no room. So a queue capacity of 0 is Go's unbuffered
     * jobs channel: a job is accepted only when a worker is there to take it. Waiting submitters are select
     * tickets, admitted in FIFO order whenever room may have appeared (a worker becomes idle or takes a job, a
     * queued job is cancelled).
     *
     * Workers wait on their own condition, so a hand-off wakes exactly the worker it chose; an idle worker above
     * the pool's minimum also arms an idle timer on the pool's clock, and retires when it fires. A resize marks the
     * surplus idle workers retired at once and busy ones when they come back for a job: a running job is never
     * interrupted by a resize.
     *
     * Shutdown fires every waiting ticket with `rejected` set, so a blocked submit or onSubmit wakes and throws
     * "pool: submit after shutdown" instead of waiting for room that will never come; idle workers wake, drain
     * the backlog, and exit.
     *
     * Nothing here touches a channel or a job's done channel while holding the lock: completing a job happens after
     * unlock (a select may hold a job's done channel and want this lock; the reverse order would deadlock).
     *
     * The lock is the pool's one point of contention: the submitter and every worker take it once per job (a busy
     * worker's finishAndPoll both counts its job and takes the next), so what matters is how long they hold it. On
     * the two hot paths, tryOffer and finishAndPoll (and take), the clock is read just before locking, not inside:
     * a nanoTime is about as long as the rest of the section (20 ns of some 60, measured on the 2-core benchmark
     * machine). A time so read may be a little earlier than the event it stamps, and so out of order with a time
     * another thread read under the lock; nothing depends on that order: waits and run times are clamped at 0, the
     * throughput ring never moves backwards, and busy time pairs each job's own start and end. Elsewhere the clock
     * is read under the lock, which its contract allows (nanoTime, schedule and cancel never block). Spinning for
     * the lock (core's SpinThenParkLock, or the workers alone retrying tryLock) was measured and rejected here:
     * the retries fight the holder for the lock's cache line, so sections took twice as long and four times as
     * many acquisitions were contended, for no gain in time (Pool_01, 2 virtual workers). So was a bounded spin
     * of an idle worker before it parks: a pool with work queued hands its workers the next job in finishAndPoll,
     * and they park about once per 3,500 jobs; the cost is the lock, not the wake-ups. And so were per-worker
     * latency histograms (to keep each worker's records on its own cache lines): no difference measured.
     */

    /** Starts worker threads; called under the lock, so it must not call back into the pool. */
    interface Spawner {
        /** Creates a worker's thread for {@code w}; the queue starts it. */
        Thread newThread(Worker w);
    }

    private final Clock clock;
    /**
     * Whether a taken job still waits (for a rate token) before it starts: then it stays counted as waiting until
     * {@link #started}.
     */
    private final boolean deferStart;
    private final Spawner spawner;
    private final long idleTimeoutNanos;
    private final int queueCapacity;
    private final Worker.Template elasticTemplate;
    /** Everything below is guarded by the lock. */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final Backlog backlog;
    private final List<Worker> workers = new ArrayList<>();
    /** Threads of workers that have exited, which termination joins; pruned of dead ones as it grows. */
    private final List<Thread> exitedThreads = new ArrayList<>();
    private final ArrayDeque<Ticket<PoolJob<?>>> submitters = new ArrayDeque<>();
    private final Condition terminated = newCondition();
    private final Stats stats;
    private int minElastic;
    private int maxElastic;
    /** Elastic workers alive and not retiring. */
    private int elastic;
    private int nextWorkerIndex;
    private int handedOff;
    /** Jobs taken by a worker that waits for a rate token before starting them. */
    private int awaitingStart;
    private boolean shutdown;
    private boolean allExited;
    private long nextId = 1;
    private long submitted;
    private long running;
    private long succeeded;
    private long failed;
    private long cancelled;
    private long rejectedCount;

    JobQueue(Clock clock, PoolShape shape, boolean deferStart, Spawner spawner) {
        this.clock = clock;
        this.deferStart = deferStart;
        this.spawner = spawner;
        this.idleTimeoutNanos = shape.idleTimeoutNanos();
        this.queueCapacity = shape.capacity();
        this.elasticTemplate = shape.elastic();
        this.backlog = shape.newBacklog(idle);
        this.minElastic = shape.minWorkers();
        this.maxElastic = shape.maxWorkers();
        this.stats = new Stats(clock.nanoTime(), shape.window());
    }

    /** Starts the pool's first workers: the fixed groups and the elastic minimum. */
    void startWorkers(PoolShape shape) {
        lock();
        try {
            for (Worker.Template group : shape.groups()) {
                for (int i = 0; i < group.count(); i++) {
                    spawn(group, null);
                }
            }
            for (int i = 0; i < minElastic; i++) {
                spawn(elasticTemplate, null);
            }
        } finally {
            unlock();
        }
    }

    /** Starts a worker, optionally handing it its first job. Call only under the lock. */
    private Worker spawn(Worker.Template template, PoolJob<?> first) {
        Worker w = newWorker(template);
        startWorker(w, first);
        return w;
    }

    /** Makes a worker and its thread, not started; changes nothing, so a failing thread factory leaves no trace. */
    private Worker newWorker(Worker.Template template) {
        Worker w = new Worker(nextWorkerIndex, template.capabilities(), template.elastic());
        w.wake = newCondition();
        Thread t = spawner.newThread(w);
        if (t == null) {
            throw new IllegalStateException("pool: the thread factory returned null");
        }
        w.thread = t;
        return w;
    }

    /** Counts and starts a worker made by {@link #newWorker}. Call only under the lock. */
    private void startWorker(Worker w, PoolJob<?> first) {
        nextWorkerIndex++;
        if (first != null) {
            w.handoff = first;
            handedOff++;
        }
        workers.add(w);
        if (w.elastic) {
            elastic++;
        }
        stats.liveWorkers(clock.nanoTime(), workers.size());
        w.thread.start();
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
        long now = clock.nanoTime(); // outside the lock: see the essay
        lock();
        try {
            if (shutdown) {
                rejectedCount++;
                return Submission.Reason.SHUT_DOWN;
            }
            if (!submitters.isEmpty() || !tryAccept(job, now)) {
                if (countFull) {
                    rejectedCount++;
                }
                return Submission.Reason.QUEUE_FULL;
            }
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
        return submitters.isEmpty() && tryAccept(job, clock.nanoTime());
    }

    @Override
    protected void enqueue(Ticket<PoolJob<?>> ticket) {
        submitters.addLast(ticket);
    }

    @Override
    protected void dequeue(Ticket<PoolJob<?>> ticket) {
        submitters.remove(ticket);
    }

    /**
     * Hands {@code job} to an idle worker, or to a new one in a dynamic pool below its maximum, or queues it; false if
     * there is no room; {@code now} is the time it is accepted at. Call only under the lock.
     */
    private boolean tryAccept(PoolJob<?> job, long now) {
        Worker w = backlog.idleWorkerFor(job);
        if (w != null) {
            count(job, now);
            handTo(w, job);
            return true;
        }
        if (canGrow(job)) {
            Worker fresh = newWorker(elasticTemplate); // may throw: then the job is not accepted
            count(job, now);
            startWorker(fresh, job);
            return true;
        }
        if (backlog.hasRoomFor(job)) {
            count(job, now);
            backlog.add(job);
            return true;
        }
        return false;
    }

    private boolean canGrow(PoolJob<?> job) {
        return elastic < maxElastic && !shutdown && elasticTemplate.canRun(job);
    }

    private void count(PoolJob<?> job, long now) {
        job.id = nextId++;
        job.acceptedAt = now;
        submitted++;
    }

    private void handTo(Worker w, PoolJob<?> job) {
        idle.removeLastOccurrence(w);
        w.idle = false;
        w.handoff = job;
        handedOff++;
        w.wake.signal();
    }

    /**
     * Admits waiting submitters, in order, while there is room: the same routes as {@link #tryAccept}, decided
     * before the ticket fires, so a fired ticket is always accepted. Call only under the lock.
     */
    private void admitSubmitters() {
        for (Ticket<PoolJob<?>> t; (t = submitters.peekFirst()) != null; ) {
            PoolJob<?> job = t.argument();
            Worker to = backlog.idleWorkerFor(job);
            Worker fresh = null;
            if (to == null && canGrow(job)) {
                try {
                    fresh = newWorker(elasticTemplate);
                } catch (RuntimeException | Error e) {
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            }
            if (to == null && fresh == null && !backlog.hasRoomFor(job)) {
                return;
            }
            submitters.pollFirst();
            if (!t.tryFire()) {
                continue; // that select went another way: drop its ticket
            }
            count(job, clock.nanoTime());
            if (to != null) {
                handTo(to, job);
            } else if (fresh != null) {
                startWorker(fresh, job);
            } else {
                backlog.add(job);
            }
        }
    }

    // ----------------------------------------------------------------------------------------- worker side

    /**
     * Returns the worker's next job, waiting for one, counted as running from the moment it leaves the queue; or
     * null when the worker is to exit (the queue is shut down and has nothing for it, or the worker retires). If
     * the worker then finds the job cancelled, it calls {@link #neverStarted}.
     */
    PoolJob<?> take(Worker w) {
        long now = clock.nanoTime();
        lock();
        try {
            for (;;) {
                if (w.handoff == null && w.retire) {
                    return null;
                }
                PoolJob<?> job = next(w, now);
                if (job != null) {
                    return job;
                }
                if (shutdown || retireIfSurplus(w)) {
                    return null;
                }
                waitIdle(w);
                now = clock.nanoTime();
            }
        } finally {
            unlock();
        }
    }

    /**
     * Counts {@code done} as finished with {@code r}, and returns the worker's next job if one is ready now (else
     * null: then the worker completes its handle and calls {@link #take}). One locked section for both, so a busy
     * worker takes the lock once per job; and the count comes before the handle completes, so whoever sees a
     * job's result sees it counted.
     */
    PoolJob<?> finishAndPoll(Worker w, PoolJob<?> done, Result<?> r) {
        long now = clock.nanoTime();
        lock();
        try {
            countFinished(done, r, now);
            return w.retire ? null : next(w, now);
        } finally {
            unlock();
        }
    }

    /** Counts {@code done} as finished with {@code r}. */
    void finish(PoolJob<?> done, Result<?> r) {
        lock();
        try {
            countFinished(done, r, clock.nanoTime());
        } finally {
            unlock();
        }
    }

    /** The job handed to {@code w} or the backlog's next for it, counted as running; or null. Call under the lock. */
    private PoolJob<?> next(Worker w, long now) {
        PoolJob<?> job = w.handoff;
        if (job != null) {
            w.handoff = null;
            handedOff--;
        } else {
            job = backlog.poll(w, now);
            if (job == null) {
                return null;
            }
        }
        if (deferStart) {
            awaitingStart++;
            w.holding = job;
        } else {
            markStarted(job, now);
        }
        admitSubmitters();
        return job;
    }

    private void markStarted(PoolJob<?> job, long now) {
        running++;
        job.startedAt = now;
        stats.started(now, job.acceptedAt);
    }

    /**
     * In a pool that defers starts: the worker {@code w} has its token for {@code job} (or gave up waiting), and
     * starts it; false if an immediate shutdown took the job back meanwhile (then it is counted, and the worker
     * leaves it alone).
     */
    boolean started(Worker w, PoolJob<?> job) {
        lock();
        try {
            if (w.holding != job) {
                return false;
            }
            w.holding = null;
            awaitingStart--;
            markStarted(job, clock.nanoTime());
            return true;
        } finally {
            unlock();
        }
    }

    /** Waits, as an idle worker, to be handed a job, told to retire, or shut down. Call only under the lock. */
    private void waitIdle(Worker w) {
        w.idle = true;
        idle.addLast(w);
        admitSubmitters();
        if (w.handoff == null && w.elastic && elastic > minElastic && idleTimeoutNanos > 0) {
            w.idleTimer = clock.schedule(idleTimeoutNanos, () -> idleTimedOut(w));
        }
        while (w.handoff == null && !w.retire && !shutdown) {
            // Only the pool interrupts its workers, and only while they run a job (through the job's context): an
            // interrupt here comes from outside and does not stop a worker, as in ThreadPoolExecutor.
            w.wake.awaitUninterruptibly();
        }
        if (w.idleTimer != null) {
            w.idleTimer.cancel();
            w.idleTimer = null;
        }
        if (w.idle) {
            idle.removeLastOccurrence(w);
            w.idle = false;
        }
    }

    /** The clock's thread: an idle worker has waited the idle timeout. */
    private void idleTimedOut(Worker w) {
        lock();
        try {
            if (w.idle && w.handoff == null && !w.retire && elastic > minElastic) {
                retireWorker(w);
                w.wake.signal();
            }
        } finally {
            unlock();
        }
    }

    /** Whether {@code w} is beyond the pool's maximum and so retires; if so, marks it. Call only under the lock. */
    private boolean retireIfSurplus(Worker w) {
        if (w.elastic && elastic > maxElastic) {
            retireWorker(w);
            return true;
        }
        return false;
    }

    private void retireWorker(Worker w) {
        w.retire = true;
        elastic--;
    }

    /** A job taken by a worker turned out to be cancelled already: it never ran. */
    void neverStarted(PoolJob<?> job) {
        lock();
        try {
            running--;
            cancelled++;
            stats.endedUnrun(clock.nanoTime(), job.startedAt, true);
        } finally {
            unlock();
        }
    }

    /** Counts a finished job. Call only under the lock. */
    private void countFinished(PoolJob<?> job, Result<?> r, long now) {
        running--;
        switch (r) {
            case Result.Ok<?> ok -> succeeded++;
            case Result.Failed<?> f -> failed++;
            case Result.Cancelled<?> c -> cancelled++;
        }
        if (r instanceof Result.Cancelled<?> c && !c.started()) {
            stats.endedUnrun(now, job.startedAt, true); // taken, but the pool had been stopped: it never ran
        } else {
            stats.finished(now, job.startedAt);
        }
    }

    /** A queued job was cancelled by its handle: drop it from the queue if a worker has not taken it. */
    void cancelledWhileQueued(PoolJob<?> job) {
        lock();
        try {
            if (backlog.remove(job)) {
                cancelled++;
                stats.endedUnrun(clock.nanoTime(), 0, false);
                admitSubmitters();
            } // else a worker took it (or was handed it) and counts it when it finds it cancelled
        } finally {
            unlock();
        }
    }

    /** Called by a worker's thread as it exits; returns whether it was the last after shutdown. */
    boolean exited(Worker w) {
        lock();
        try {
            workers.remove(w);
            if (w.elastic && !w.retire) {
                elastic--;
            }
            stats.liveWorkers(clock.nanoTime(), workers.size());
            if (exitedThreads.size() >= 64) {
                exitedThreads.removeIf(t -> !t.isAlive());
            }
            exitedThreads.add(w.thread);
            return terminateIfNoWorkers();
        } finally {
            unlock();
        }
    }

    /** After shutdown with no worker left: the pool has terminated. Call only under the lock. */
    private boolean terminateIfNoWorkers() {
        if (shutdown && workers.isEmpty()) {
            allExited = true;
            terminated.signalAll();
            return true;
        }
        return false;
    }

    // -------------------------------------------------------------------------------------------- resizing

    /** Sets the elastic workers' bounds; starts workers up to the new minimum, retires idle ones above the maximum. */
    void resize(int min, int max) {
        lock();
        try {
            if (shutdown) {
                throw new IllegalStateException("pool: resize after shutdown");
            }
            minElastic = min;
            maxElastic = max;
            for (Worker w : List.copyOf(idle)) {
                if (elastic <= max) {
                    break;
                }
                if (w.elastic && w.handoff == null) {
                    retireWorker(w);
                    w.wake.signal();
                }
            }
            while (elastic < min) {
                spawn(elasticTemplate, null);
            }
            admitSubmitters(); // a bigger pool may have room for waiting submitters now
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------- shutdown

    /**
     * Stops accepting: waiting submitters are rejected; idle workers wake to drain and exit. Returns whether this
     * call found no worker left, so that the pool has terminated.
     */
    boolean shutdown() {
        lock();
        try {
            if (shutdown) {
                return false;
            }
            shutdown = true;
            for (Ticket<PoolJob<?>> t; (t = submitters.pollFirst()) != null; ) {
                t.argument().rejected = true;
                if (t.tryFire()) {
                    rejectedCount++;
                }
            }
            for (Worker w : workers) {
                w.wake.signal();
            }
            return terminateIfNoWorkers();
        } finally {
            unlock();
        }
    }

    /**
     * Shuts down and removes every job that waits (queued, handed to a worker that has not taken it yet, or held
     * by a worker waiting for its rate token) and can still be cancelled; the caller completes them.
     */
    List<PoolJob<?>> shutdownAndDrain() {
        shutdown();
        List<PoolJob<?>> drained = new ArrayList<>();
        lock();
        try {
            long now = clock.nanoTime();
            for (Worker w : workers) {
                PoolJob<?> job = w.handoff;
                if (job != null) {
                    w.handoff = null;
                    handedOff--;
                    drain(job, drained, now);
                }
                job = w.holding; // taken, but waiting for its rate token: not started, so handed back too
                if (job != null) {
                    w.holding = null;
                    awaitingStart--;
                    drain(job, drained, now);
                }
            }
            for (PoolJob<?> job; (job = backlog.pollAny()) != null; ) {
                drain(job, drained, now);
            }
        } finally {
            unlock();
        }
        drained.sort((a, b) -> Long.compare(a.id, b.id));
        return drained;
    }

    private void drain(PoolJob<?> job, List<PoolJob<?>> drained, long now) {
        if (job.tryCancelUnstarted()) {
            drained.add(job);
        }
        cancelled++; // cancelled now, or by its handle just before (whose remove found nothing)
        stats.endedUnrun(now, 0, false);
    }

    /** Waits until every worker has exited after shutdown, then joins their threads. */
    boolean awaitTermination(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        List<Thread> toJoin;
        lock();
        try {
            while (!allExited) {
                if (timeoutNanos == Long.MAX_VALUE) {
                    terminated.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    terminated.awaitNanos(left);
                }
            }
            toJoin = List.copyOf(exitedThreads);
        } finally {
            unlock();
        }
        return Pool.joinAll(toJoin, timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline);
    }

    boolean allExited() {
        lock();
        try {
            return allExited;
        } finally {
            unlock();
        }
    }

    /** The workers alive now, for a sweep; a copy. */
    List<Worker> workers() {
        lock();
        try {
            return List.copyOf(workers);
        } finally {
            unlock();
        }
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
        Stats.Latencies latencies = stats.latencies(); // first, and outside the lock: see Stats.latencies
        lock();
        try {
            long now = clock.nanoTime();
            return new PoolMetrics(workers.size(), idle.size(), queueCapacity, submitted,
                    backlog.size() + handedOff + awaitingStart, backlog.size(), running,
                    succeeded, failed, cancelled, rejectedCount, stats.throughput(now),
                    stats.utilization(now, running), latencies.queueWait(), latencies.runTime());
        } finally {
            unlock();
        }
    }
}
