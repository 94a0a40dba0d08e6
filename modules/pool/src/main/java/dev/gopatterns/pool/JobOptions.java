package dev.gopatterns.pool;

import dev.gopatterns.resilience.Policy;
import dev.gopatterns.resilience.Retry;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one job is to be run: its priority, its timeout, its retries and policy, and the capabilities a worker needs to run it. Immutable;
 * start from {@link #defaults()} and change what you need.
 *
 * <pre>{@code
 * pool.submit(ctx, JobOptions.defaults().priority(2).timeout(Duration.ofSeconds(5)).requires("gpu"), task);
 * }</pre>
 *
 * <p>Go equivalent: none as a type. A Go job carries its timeout as {@code context.WithTimeout} around its work and
 * its priority as the choice of channel it is sent on; here the pool applies them.
 *
 * <p>Memory consistency effects: none are needed; instances are immutable (final fields, an unmodifiable set) and
 * safe to share between threads without synchronization.
 */
public final class JobOptions {
    private static final JobOptions DEFAULTS = new JobOptions(0, null, Set.of(), Retry.none(), Policy.none());

    private final int priority;
    private final Duration timeout;
    private final Set<String> requires;
    private final Retry retry;
    private final Policy policy;

    private JobOptions(int priority, Duration timeout, Set<String> requires, Retry retry, Policy policy) {
        this.priority = priority;
        this.timeout = timeout;
        this.requires = requires;
        this.retry = retry;
        this.policy = policy;
    }

    /** Priority 0, no timeout, no required capability, no retry, no policy. */
    public static JobOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The job's priority level, from 0 (the lowest, the default) to {@code priorities - 1} of its pool; a pool with
     * one level (the default) accepts only 0. Higher levels are taken first; see {@link WorkerPool.Builder#aging}.
     */
    public JobOptions priority(int level) {
        if (level < 0) {
            throw new IllegalArgumentException("pool: priority must be >= 0, was " + level);
        }
        return new JobOptions(level, timeout, requires, retry, policy);
    }

    /**
     * A time limit on the job's run, measured on the pool's clock from the moment it starts (time in the queue does
     * not count): when it passes, the job's context ends with {@code DeadlineExceededException} and the job's
     * thread is interrupted, and a job that stops because of it ends {@link Result.Cancelled}.
     */
    public JobOptions timeout(Duration limit) {
        Objects.requireNonNull(limit, "timeout");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("pool: timeout must be > 0, was " + limit);
        }
        return new JobOptions(priority, limit, requires, retry, policy);
    }

    /**
     * The capabilities a worker must have to run the job (all of them). A pool whose workers cannot provide them
     * rejects the job at submit with an {@link IllegalArgumentException} naming what is missing.
     */
    public JobOptions requires(String... capabilities) {
        TreeSet<String> set = new TreeSet<>(requires);
        for (String c : capabilities) {
            set.add(Objects.requireNonNull(c, "capability"));
        }
        return new JobOptions(priority, timeout, Collections.unmodifiableSortedSet(set), retry, policy);
    }

    /**
     * How the job's task is retried when it throws: the worker runs the attempts itself, waiting between them on
     * the pool's clock, all within one run of the job (its {@link #timeout} and its cancellation cover them all;
     * the policy gives up early rather than wait past the timeout). A job that gives up ends
     * {@link Result.Failed} with the last failure, the earlier ones suppressed in it; one whose context ends
     * during the attempts ends {@link Result.Cancelled}. The default is {@link Retry#none()}.
     */
    public JobOptions retry(Retry policy) {
        return new JobOptions(priority, timeout, requires, Objects.requireNonNull(policy, "retry"), this.policy);
    }

    /**
     * A policy each attempt of the job's task runs under: a {@link dev.gopatterns.resilience.CircuitBreaker} or a
     * {@link dev.gopatterns.resilience.Bulkhead} shared by the jobs that call one service, a per-attempt
     * {@link dev.gopatterns.resilience.Timeout}, or several {@linkplain Policy#compose composed}. The
     * {@link #retry} is outside it: a breaker's refusal or a timeout is a failure the retry may retry, and each
     * attempt is judged by the breaker. A job the policy refuses ends {@link Result.Failed} with the refusal
     * ({@code CallNotPermittedException}, {@code BulkheadFullException}). The default is {@link Policy#none()}.
     *
     * <pre>{@code
     * JobOptions toPayments = JobOptions.defaults().retry(retry).policy(Policy.compose(breaker, bulkhead));
     * }</pre>
     */
    public JobOptions policy(Policy policy) {
        return new JobOptions(priority, timeout, requires, retry, Objects.requireNonNull(policy, "policy"));
    }

    /** The policy each attempt runs under; {@link Policy#none()} if none. */
    public Policy policy() {
        return policy;
    }

    /** The retry policy; {@link Retry#none()} if the job is run once. */
    public Retry retry() {
        return retry;
    }

    /** The priority level. */
    public int priority() {
        return priority;
    }

    /** The run-time limit, if any. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The required capabilities; empty if any worker will do. */
    public Set<String> requirements() {
        return requires;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobOptions j && priority == j.priority && Objects.equals(timeout, j.timeout)
                && requires.equals(j.requires) && retry.equals(j.retry) && policy.equals(j.policy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, timeout, requires, retry, policy);
    }

    @Override
    public String toString() {
        return "JobOptions[priority=" + priority + (timeout != null ? ", timeout=" + timeout : "")
                + (requires.isEmpty() ? "" : ", requires=" + requires)
                + (retry == Retry.none() ? "" : ", retry=" + retry)
                + (policy == Policy.none() ? "" : ", policy=" + policy) + "]";
    }
}
