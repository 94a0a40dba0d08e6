package dev.gopatterns.pool;

import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A FIFO queue per worker, and a {@link Distribution} that chooses each job's worker: the backlog of a pool whose
 * workers have their own queues. Every method is called only while holding the {@link JobQueue}'s lock.
 */
final class PartitionedBacklog extends Backlog {
    /*
     * The choice. JobQueue offers a job by calling idleWorkerFor(job) first and then, if that returned null,
     * hasRoomFor(job) and add(job), all under one hold of its lock; a waiting submitter's job is offered again each
     * time room may have appeared. So idleWorkerFor is where the worker is chosen: round-robin, random and weighted
     * choose once per job (job.queueIndex < 0: not yet chosen) and keep the choice on the job for the later calls and
     * any retries, so a retry neither draws again nor takes another turn; least-loaded chooses again on every
     * offer, because loads change while a submitter waits, and a stale choice would make it wait for a worker
     * that is no longer the least loaded. add() and remove() then use job.queueIndex. (A turn taken by a job that is
     * never accepted, a trySubmit refused for a full queue or a select that went another way, is not given back:
     * round-robin is over the jobs offered, which are the jobs accepted whenever the queue has room.)
     *
     * Workers. The pool has a fixed set of general workers numbered 0..n-1 (Worker.index; the builder refuses
     * resizing, groups and dynamic sizes), so queue i belongs to worker i for the pool's life. A worker's thread
     * calls poll() before it ever waits idle (JobQueue.take polls, then waits), and that is where the backlog
     * learns the Worker object for an index. Before that the worker is starting: it is not idle, so it cannot be
     * handed a job, and whatever is queued for it waits on its queue until its first poll.
     *
     * Load, for least-loaded: the jobs on the worker's queue, plus one unless it is idle (it runs a job, has been
     * handed one, or is between jobs, or waits for a rate-limit token). Both parts are read under the lock, so
     * they need no counters of their own: an idle worker's queue is always empty (it polled it empty before it went
     * idle, and a job chosen for an idle worker is handed to it, not queued).
     *
     * Stealing (an option): a job whose chosen worker is busy is handed to an idle worker instead (the most
     * recently idle, like the shared queue); and a worker whose queue is empty takes the head of the longest other
     * queue. Together they mean no worker waits idle while a job is queued: a job queued while every worker was
     * busy is taken by the first worker to run out of its own.
     */

    private final Distribution distribution;
    private final int capacity;
    private final ArrayDeque<PoolJob<?>>[] queues;
    /** The worker that owns each queue, known from its first poll; null before. */
    private final Worker[] owners;
    /** Weighted only: the current weights of smooth weighted round-robin. */
    private final long[] current;
    private final long totalWeight;
    private int nextTurn;
    private int size;

    @SuppressWarnings("unchecked")
    PartitionedBacklog(ArrayDeque<Worker> idle, int capacity, int workers, Distribution distribution) {
        super(idle);
        this.distribution = distribution;
        this.capacity = capacity;
        this.queues = new ArrayDeque[workers];
        for (int i = 0; i < workers; i++) {
            queues[i] = new ArrayDeque<>();
        }
        this.owners = new Worker[workers];
        this.current = new long[workers];
        long sum = 0;
        if (distribution.kind == Distribution.Kind.WEIGHTED) {
            for (int i = 0; i < workers; i++) {
                sum += distribution.weight(i);
            }
        }
        this.totalWeight = sum;
    }

    @Override
    Worker idleWorkerFor(PoolJob<?> job) {
        if (job.queueIndex < 0 || distribution.kind == Distribution.Kind.LEAST_LOADED) {
            job.queueIndex = choose();
        }
        Worker w = owners[job.queueIndex];
        if (w != null && w.idle) {
            return w;
        }
        return distribution.stealing ? super.idleWorkerFor(job) : null;
    }

    /** The worker the next job goes to, by the strategy. */
    private int choose() {
        int n = queues.length;
        return switch (distribution.kind) {
            case ROUND_ROBIN -> {
                int i = nextTurn;
                nextTurn = i + 1 == n ? 0 : i + 1;
                yield i;
            }
            case RANDOM -> ThreadLocalRandom.current().nextInt(n);
            case LEAST_LOADED -> {
                int best = 0;
                int bestLoad = Integer.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    int load = load(i);
                    if (load < bestLoad) {
                        best = i;
                        bestLoad = load;
                    }
                }
                yield best;
            }
            case WEIGHTED -> {
                int best = 0;
                for (int i = 0; i < n; i++) {
                    current[i] += distribution.weight(i);
                    if (current[i] > current[best]) {
                        best = i;
                    }
                }
                current[best] -= totalWeight;
                yield best;
            }
            case SHARED -> throw new AssertionError("the shared distribution has one queue");
        };
    }

    /** Jobs queued on worker {@code i} plus the one it has, if it is not idle. */
    private int load(int i) {
        Worker w = owners[i];
        return queues[i].size() + (w != null && !w.idle ? 1 : 0);
    }

    @Override
    boolean hasRoomFor(PoolJob<?> job) {
        return size < capacity;
    }

    @Override
    void add(PoolJob<?> job) {
        queues[job.queueIndex].addLast(job);
        size++;
    }

    @Override
    PoolJob<?> poll(Worker w, long now) {
        owners[w.index] = w;
        if (size == 0) {
            return null;
        }
        PoolJob<?> job = queues[w.index].pollFirst();
        if (job == null && distribution.stealing) {
            ArrayDeque<PoolJob<?>> longest = queues[0];
            for (ArrayDeque<PoolJob<?>> q : queues) {
                if (q.size() > longest.size()) {
                    longest = q;
                }
            }
            job = longest.pollFirst();
        }
        if (job != null) {
            size--;
        }
        return job;
    }

    @Override
    boolean remove(PoolJob<?> job) {
        if (job.queueIndex >= 0 && queues[job.queueIndex].remove(job)) {
            size--;
            return true;
        }
        return false;
    }

    /** The oldest job at the head of any queue, so a drain comes out close to acceptance order. */
    @Override
    PoolJob<?> pollAny() {
        ArrayDeque<PoolJob<?>> oldest = null;
        for (ArrayDeque<PoolJob<?>> q : queues) {
            PoolJob<?> head = q.peekFirst();
            if (head != null && (oldest == null || head.id < oldest.peekFirst().id)) {
                oldest = q;
            }
        }
        if (oldest == null) {
            return null;
        }
        size--;
        return oldest.pollFirst();
    }

    @Override
    int size() {
        return size;
    }
}
