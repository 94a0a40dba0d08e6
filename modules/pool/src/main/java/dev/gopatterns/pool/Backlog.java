package dev.gopatterns.pool;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Where accepted jobs wait for a worker, and which job a worker takes next: the part of a pool's queue that
 * differs between pool kinds. Every method is called only while holding the {@link JobQueue}'s lock.
 */
abstract class Backlog {

    /** The workers waiting for a job, most recently idle last; owned by the queue. */
    final ArrayDeque<Worker> idle;

    Backlog(ArrayDeque<Worker> idle) {
        this.idle = idle;
    }

    /**
     * The idle worker that should take {@code job} now, or null if it must wait. The default: the most recently idle
     * worker that may run it (its caches are warmest; ants does the same).
     */
    Worker idleWorkerFor(PoolJob<?> job) {
        Worker last = idle.peekLast(); // the common cases, without an iterator: none idle, or the last one will do
        if (last == null) {
            return null;
        }
        if (last.canRun(job)) {
            return last;
        }
        for (Iterator<Worker> it = idle.descendingIterator(); it.hasNext(); ) {
            Worker w = it.next();
            if (w.canRun(job)) {
                return w;
            }
        }
        return null;
    }

    /** Whether {@link #add} may queue {@code job} now. */
    abstract boolean hasRoomFor(PoolJob<?> job);

    /** Queues a job no idle worker took, after {@link #hasRoomFor} said there is room. */
    abstract void add(PoolJob<?> job);

    /** Removes and returns the job {@code w} should run next, or null if there is none it may run. */
    abstract PoolJob<?> poll(Worker w, long now);

    /** Removes a queued job; false if it is not queued (a worker took it). */
    abstract boolean remove(PoolJob<?> job);

    /** Removes and returns any queued job, in queue order within a level; null when empty. */
    abstract PoolJob<?> pollAny();

    abstract int size();

    /**
     * One queue shared by every worker, in priority levels, FIFO within a level, with aging.
     *
     * <p>Aging: a job's effective level is its level plus one for every {@code agingNanos} it has waited, up to the
     * top level; a worker takes the waiting job with the highest effective level, the oldest first among equals. So
     * a job of level 0 in a pool of L levels is, after waiting {@code (L - 1) * aging}, at the top, and from then on
     * only jobs accepted before it can go ahead of it: there are at most {@code capacity} of those, so it is never
     * starved. With one level (the default) this is a plain FIFO, and a take costs one deque poll.
     *
     * <p>Capabilities: a worker takes the first job of a level it may run, so a job that needs what no free worker
     * has does not block the jobs behind it.
     */
    static final class Levels extends Backlog {
        private final int capacity;
        private final long agingNanos;
        private final ArrayDeque<PoolJob<?>>[] levels;
        private int size;

        @SuppressWarnings("unchecked")
        Levels(ArrayDeque<Worker> idle, int capacity, int levelCount, long agingNanos) {
            super(idle);
            this.capacity = capacity;
            this.agingNanos = agingNanos;
            this.levels = new ArrayDeque[levelCount];
            for (int i = 0; i < levelCount; i++) {
                levels[i] = new ArrayDeque<>();
            }
        }

        @Override
        boolean hasRoomFor(PoolJob<?> job) {
            return size < capacity;
        }

        @Override
        void add(PoolJob<?> job) {
            levels[job.priority].addLast(job);
            size++;
        }

        @Override
        PoolJob<?> poll(Worker w, long now) {
            if (size == 0) {
                return null;
            }
            if (levels.length == 1) {
                return take(levels[0], w);
            }
            int top = levels.length - 1;
            PoolJob<?> best = null;
            int bestLevel = -1;
            long bestEffective = -1;
            for (int level = top; level >= 0; level--) {
                PoolJob<?> j = first(levels[level], w);
                if (j == null) {
                    continue;
                }
                long effective = effectiveLevel(j, now, top);
                if (best == null || effective > bestEffective || (effective == bestEffective && j.id < best.id)) {
                    best = j;
                    bestLevel = level;
                    bestEffective = effective;
                }
            }
            if (best == null) {
                return null;
            }
            return unlink(levels[bestLevel], best);
        }

        /** Removes {@code j}, found in {@code q}, from it: a poll when it is the head, the usual case. */
        private PoolJob<?> unlink(ArrayDeque<PoolJob<?>> q, PoolJob<?> j) {
            if (q.peekFirst() == j) {
                q.pollFirst();
            } else {
                q.remove(j);
            }
            size--;
            return j;
        }

        private long effectiveLevel(PoolJob<?> j, long now, int top) {
            if (agingNanos <= 0) {
                return j.priority;
            }
            long waited = Math.max(0, now - j.acceptedAt);
            return Math.min(top, j.priority + waited / agingNanos);
        }

        private static PoolJob<?> first(ArrayDeque<PoolJob<?>> q, Worker w) {
            for (PoolJob<?> j : q) {
                if (w.canRun(j)) {
                    return j;
                }
            }
            return null;
        }

        private PoolJob<?> take(ArrayDeque<PoolJob<?>> q, Worker w) {
            PoolJob<?> head = q.peekFirst();
            if (head == null) {
                return null;
            }
            PoolJob<?> j = w.canRun(head) ? head : first(q, w);
            return j == null ? null : unlink(q, j);
        }

        @Override
        boolean remove(PoolJob<?> job) {
            if (levels[job.priority].remove(job)) {
                size--;
                return true;
            }
            return false;
        }

        @Override
        PoolJob<?> pollAny() {
            for (int level = levels.length - 1; level >= 0; level--) {
                PoolJob<?> j = levels[level].pollFirst();
                if (j != null) {
                    size--;
                    return j;
                }
            }
            return null;
        }

        @Override
        int size() {
            return size;
        }
    }
}
