package dev.gopatterns.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a {@link WorkerPool.Builder} decided, checked and frozen: the workers, the backlog, the timings. */
record PoolShape(List<Worker.Template> groups, Worker.Template elastic, int minWorkers, int maxWorkers,
                 long idleTimeoutNanos, int capacity, int levels, long agingNanos, Duration window,
                 Distribution distribution) {

    Backlog newBacklog(ArrayDeque<Worker> idle) {
        if (!distribution.isShared()) {
            return new PartitionedBacklog(idle, capacity, maxWorkers, distribution);
        }
        return new Backlog.Levels(idle, capacity, levels, agingNanos);
    }

    /** Refuses a resize of a pool whose workers have their own queues. */
    void checkResizable() {
        if (!distribution.isShared()) {
            throw new IllegalStateException("pool: a pool with per-worker queues (" + distribution
                    + ") cannot be resized: each worker's queue lives as long as the pool");
        }
    }

    /** Whether some worker of this pool (now or after growing) may run a job that requires {@code requires}. */
    boolean canRun(Set<String> requires) {
        return (maxWorkers > 0 && Worker.provides(elastic.capabilities(), requires))
                || groups.stream().anyMatch(g -> Worker.provides(g.capabilities(), requires));
    }

    /** The capabilities on offer, for a message. */
    String offered() {
        String fixed = groups.stream().map(g -> g.count() + " with " + g.capabilities())
                .collect(Collectors.joining(", "));
        String rest = maxWorkers > 0 ? "up to " + maxWorkers + " with " + elastic.capabilities() : "";
        return fixed.isEmpty() ? rest : rest.isEmpty() ? fixed : fixed + ", " + rest;
    }
}
