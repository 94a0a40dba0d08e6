package dev.gopatterns.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * How a {@link Pipeline} stage retries an item whose function threw: at most {@code maxAttempts} calls, waiting
 * between them for an exponentially growing, capped, fully jittered delay on the pipeline context's
 * {@linkplain dev.gopatterns.context.Context#clock() clock}, and only for exceptions that are
 * {@linkplain #retryOn retryable}. Immutable; each {@code with}-style method returns a new policy.
 *
 * <pre>{@code
 * Retry.backoff(5, Duration.ofMillis(10), Duration.ofSeconds(1))   // 5 calls at most; waits <= 10, 20, 40, 80 ms
 *      .retryOn(IOException.class, TimeoutException.class)
 * }</pre>
 *
 * <h2>The delay</h2>
 * Before retry {@code k} (the {@code k+1}-th call, {@code k >= 1}) the stage waits a delay drawn uniformly from
 * {@code [0, min(maxDelay, initialDelay * 2^(k-1))]}: "full jitter", as in Brooker's "Exponential Backoff And
 * Jitter" (AWS Architecture Blog, 2015) and Reactor's {@code Retry.backoff(...).jitter(1.0)}. The ceiling doubles
 * per retry so a struggling service gets exponentially more room; drawing from zero up to it spreads the
 * retries of many items that failed together, so they do not return as a synchronised wave. The wait ends early
 * if the stage's context ends (the item is then cancelled, not failed).
 *
 * <p>Go equivalent: none in the standard library; the loop Go programs write by hand, with
 * {@code time.Sleep(time.Duration(rand.Int63n(int64(ceiling))))} between the attempts.
 */
public final class Retry {

    private static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO, e -> true, null);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Predicate<? super Throwable> retryable;
    private final RandomGenerator random; // null: ThreadLocalRandom of the retrying thread

    private Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Predicate<? super Throwable> retryable,
                  RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.retryable = retryable;
        this.random = random;
    }

    /** No retries: one call per item. The default of every stage. */
    public static Retry none() {
        return NONE;
    }

    /**
     * At most {@code maxAttempts} calls per item, with full-jitter exponential backoff from {@code initialDelay},
     * capped at {@code maxDelay}; every {@link Exception} is retryable until {@link #retryOn} says otherwise.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, a delay is negative, or
     *                                  {@code maxDelay < initialDelay}
     */
    public static Retry backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry: maxAttempts must be >= 1 (1 means no retry), was "
                    + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry: delays must be >= 0, were " + initialDelay + " and "
                    + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry: maxDelay (" + maxDelay + ") must be >= initialDelay ("
                    + initialDelay + ")");
        }
        return new Retry(maxAttempts, initialDelay, maxDelay, e -> true, null);
    }

    /** The same policy, retrying only the exceptions {@code retryable} accepts; others fail at once. */
    public Retry retryOn(Predicate<? super Throwable> retryable) {
        return new Retry(maxAttempts, initialDelay, maxDelay, Objects.requireNonNull(retryable, "retryable"),
                random);
    }

    /** The same policy, retrying only exceptions that are instances of one of {@code types}. */
    @SafeVarargs
    public final Retry retryOn(Class<? extends Throwable>... types) {
        List<Class<? extends Throwable>> list = List.of(types);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("retry: retryOn needs at least one exception type");
        }
        return retryOn(e -> list.stream().anyMatch(t -> t.isInstance(e)));
    }

    /** The same policy, drawing its jitter from {@code random} (tests pin it; the default is ThreadLocalRandom). */
    public Retry jitter(RandomGenerator random) {
        return new Retry(maxAttempts, initialDelay, maxDelay, retryable, Objects.requireNonNull(random, "random"));
    }

    /** The most calls of the stage's function per item. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Whether an attempt that threw {@code error} may be followed by another (attempts permitting): an
     * {@link Exception} that the {@link #retryOn} filter accepts, and never an {@link InterruptedException} (an
     * interrupt is a request to stop, not a transient failure; retrying would swallow it).
     */
    public boolean isRetryable(Throwable error) {
        return error instanceof Exception && !(error instanceof InterruptedException) && retryable.test(error);
    }

    /**
     * The ceiling of the delay before retry {@code retry} (1 for the second call):
     * {@code min(maxDelay, initialDelay * 2^(retry-1))}, without overflow.
     */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: the first retry is number 1, was " + retry);
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = retry - 1;
        long ceiling = shift >= Long.numberOfLeadingZeros(Math.max(initial, 1)) - 1 ? max
                : Math.min(max, initial << shift);
        return Duration.ofNanos(ceiling);
    }

    /** A delay drawn uniformly from {@code [0, ceiling(retry)]}: the wait before retry {@code retry}. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toNanos();
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        return Duration.ofNanos(ceiling == 0 ? 0 : r.nextLong(ceiling + 1));
    }

    @Override
    public String toString() {
        return maxAttempts == 1 ? "Retry.none()"
                : "Retry.backoff(" + maxAttempts + ", " + initialDelay + ", " + maxDelay + ")";
    }
}
