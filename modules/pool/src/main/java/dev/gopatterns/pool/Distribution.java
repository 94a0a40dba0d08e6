package dev.gopatterns.pool;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link WorkerPool} spreads accepted jobs over its workers: one queue that every worker takes from
 * ({@link #shared()}, the default), or a FIFO queue per worker, each job put on the queue of a worker chosen when
 * the job is accepted ({@link #roundRobin()}, {@link #leastLoaded()}, {@link #random()}, {@link #weighted}).
 * Set with {@link WorkerPool.Builder#distribution}.
 *
 * <pre>{@code
 * // Go: per-worker channels, the caller picks one     // Java:
 * chans := make([]chan Job, n)                         WorkerPool.builder().workers(n)
 * for i := range chans {                                       .distribution(Distribution.roundRobin())
 *     chans[i] = make(chan Job, c)                             .queueCapacity(n * c).build()
 *     go func(in chan Job) { for j := range in { j() } }(chans[i])
 * }
 * chans[next%n] <- job; next++
 * }</pre>
 *
 * <p>Go equivalent: a channel per worker, and code that picks which one to send on. Jeffail/tunny and
 * panjf2000/ants give each worker its own channel too (ants' {@code goWorker.task}), but send only to a worker that is
 * idle, which is what the shared queue's hand-off does here; a per-worker strategy also queues on a busy worker's
 * channel, as {@code chans[i%n] <- job} does. Go programs shard work this way to keep a key's jobs in order on one
 * goroutine, to give each worker its own resource, or to avoid one contended channel.
 *
 * <h2>The contract, for every per-worker strategy</h2>
 * <ul>
 *   <li>The worker is chosen once per job, when the job is first offered to the pool, and never changes
 *       (except {@link #leastLoaded()}, which chooses again each time a waiting submitter retries, since loads
 *       change). A worker runs the jobs of its queue in the order they were accepted.
 *   <li>If the chosen worker is idle, the job is handed to it at once and never queues. Otherwise it waits on that
 *       worker's queue, even if another worker is idle, unless the strategy is {@link #withStealing() stealing}.
 *   <li>{@link WorkerPool.Builder#queueCapacity} bounds the jobs waiting in all the queues together, as it does for
 *       the shared queue: a job is accepted while the total is below it, whichever worker it is for. (Per-worker
 *       bounds would refuse a job while other queues have room, and make "queue full" depend on the strategy.)
 *       With capacity 0 a job is accepted only when its worker is idle: Go's unbuffered per-worker channel.
 *   <li>The pool must have a fixed number of general workers ({@code workers(n)}), no capability groups and one
 *       priority level; {@link WorkerPool.Builder#build()} refuses anything else naming the rule, and
 *       {@link WorkerPool#resize} throws {@link IllegalStateException}: a worker's queue lives as long as the pool.
 *   <li>Everything else is the pool's usual contract: backpressure, cancellation, both shutdowns (a graceful one
 *       drains every queue), metrics ({@code queued} counts all the queues), memory consistency.
 * </ul>
 *
 * <h2>When each wins</h2>
 * <ul>
 *   <li>{@link #shared()}: almost always. A free worker takes the oldest job, so one long job delays nobody else
 *       and every worker is busy while any job waits. It is the baseline the others must beat.
 *   <li>{@link #roundRobin()}: jobs of similar size, when the even spread and a fixed order matter more than
 *       balance; the cheapest choice. A long job delays every job queued behind it on its worker (head-of-line
 *       blocking) while other workers may sit idle.
 *   <li>{@link #leastLoaded()}: jobs of uneven size: a job goes to the worker with the fewest jobs queued and
 *       running, so a worker stuck on a long job gets few new ones. It counts jobs, not their cost.
 *   <li>{@link #random()}: like round-robin without its shared counter; mostly a baseline. Queues are uneven by
 *       chance, so it blocks heads of lines more often than round-robin.
 *   <li>{@link #weighted}: workers of unequal capacity (each a connection to a bigger or smaller backend, say): each
 *       worker gets jobs in proportion to its weight.
 * </ul>
 *
 * <p>Instances are immutable and may be shared between builders.
 */
public final class Distribution {

    /** The strategies; package-private, read by the pool's backlog. */
    enum Kind { SHARED, ROUND_ROBIN, LEAST_LOADED, RANDOM, WEIGHTED }

    private static final Distribution SHARED = new Distribution(Kind.SHARED, null, false);

    final Kind kind;
    /** One weight per worker for {@link Kind#WEIGHTED}, else null; never exposed, so never changed. */
    private final int[] weights;
    final boolean stealing;

    private Distribution(Kind kind, int[] weights, boolean stealing) {
        this.kind = kind;
        this.weights = weights;
        this.stealing = stealing;
    }

    /** One queue for every worker, which a free worker takes the oldest job from: the default. */
    public static Distribution shared() {
        return SHARED;
    }

    /** A queue per worker; job k (in the order jobs are offered) goes to worker {@code k mod n}. */
    public static Distribution roundRobin() {
        return new Distribution(Kind.ROUND_ROBIN, null, false);
    }

    /**
     * A queue per worker; a job goes to the worker with the fewest jobs queued on it plus the one it is running
     * (if any), the lowest-numbered among equals. An idle worker has load 0, so it is always preferred.
     */
    public static Distribution leastLoaded() {
        return new Distribution(Kind.LEAST_LOADED, null, false);
    }

    /** A queue per worker; a job goes to a worker picked uniformly at random. */
    public static Distribution random() {
        return new Distribution(Kind.RANDOM, null, false);
    }

    /**
     * A queue per worker; worker i gets {@code weights[i]} of every {@code sum(weights)} jobs, spread as evenly
     * as the weights allow: smooth weighted round-robin, as nginx's upstream module does it. Each worker keeps a
     * current weight; for each job every current weight grows by its worker's weight, the worker with the largest
     * (the lowest-numbered among equals) gets the job, and its current weight drops by the sum. Weights 5, 1, 1
     * give the order a a b a c a a, not a a a a a b c.
     *
     * @param weights one per worker, each {@code >= 1}; the pool must have exactly {@code weights.length} workers
     * @throws IllegalArgumentException "pool: weighted needs at least one weight" or "pool: weights must be >= 1,
     *                                  was W (weight I)"
     */
    public static Distribution weighted(int... weights) {
        Objects.requireNonNull(weights, "weights");
        if (weights.length == 0) {
            throw new IllegalArgumentException("pool: weighted needs at least one weight");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 1) {
                throw new IllegalArgumentException("pool: weights must be >= 1, was " + weights[i] + " (weight " + i
                        + ")");
            }
        }
        long sum = Arrays.stream(weights).asLongStream().sum();
        if (sum > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("pool: the weights must sum to at most " + Integer.MAX_VALUE / 2
                    + ", was " + sum);
        }
        return new Distribution(Kind.WEIGHTED, weights.clone(), false);
    }

    /**
     * This per-worker strategy, with stealing: a job whose worker is busy is handed to an idle worker if there is
     * one, and a worker whose own queue is empty takes the oldest job of the longest other queue before it goes
     * idle. So no worker idles while a job waits, as with {@link #shared()}; what stays of the strategy is where
     * jobs wait while every worker is busy, and the order: a stolen job may run before older jobs of other queues.
     *
     * @throws IllegalStateException "pool: the shared distribution has nothing to steal" on {@link #shared()}
     */
    public Distribution withStealing() {
        if (kind == Kind.SHARED) {
            throw new IllegalStateException("pool: the shared distribution has nothing to steal");
        }
        return new Distribution(kind, weights, true);
    }

    /** Whether this is the one shared queue. */
    boolean isShared() {
        return kind == Kind.SHARED;
    }

    /** The weight of worker {@code i}; only for {@link Kind#WEIGHTED}. */
    int weight(int i) {
        return weights[i];
    }

    /**
     * Checks the builder's settings against the per-worker rules; called by {@code build()}.
     *
     * @throws IllegalArgumentException naming the rule
     */
    void check(int minWorkers, int maxWorkers, List<Worker.Template> groups, int levels) {
        if (isShared()) {
            return;
        }
        String rule = "pool: per-worker queues (" + this + ") need ";
        if (!groups.isEmpty()) {
            throw new IllegalArgumentException(rule + "general workers only, not capability groups (workerGroup)");
        }
        if (minWorkers != maxWorkers) {
            throw new IllegalArgumentException(rule + "a fixed number of workers (workers(n), not workers(min, max)),"
                    + " was workers(" + minWorkers + ", " + maxWorkers + ")");
        }
        if (levels != 1) {
            throw new IllegalArgumentException(rule + "one priority level, was " + levels);
        }
        if (kind == Kind.WEIGHTED && weights.length != maxWorkers) {
            throw new IllegalArgumentException("pool: weighted needs exactly one weight per worker, was "
                    + weights.length + " weights for " + maxWorkers + " workers");
        }
    }

    /** {@code shared}, {@code roundRobin}, {@code leastLoaded}, {@code random} or {@code weighted[w, ...]}, then
     * {@code +stealing} if so. */
    @Override
    public String toString() {
        String name = switch (kind) {
            case SHARED -> "shared";
            case ROUND_ROBIN -> "roundRobin";
            case LEAST_LOADED -> "leastLoaded";
            case RANDOM -> "random";
            case WEIGHTED -> "weighted" + Arrays.toString(weights);
        };
        return stealing ? name + "+stealing" : name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Distribution d && d.kind == kind && d.stealing == stealing
                && Arrays.equals(d.weights, weights);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + Arrays.hashCode(weights)) * 31 + Boolean.hashCode(stealing);
    }
}
