package dev.gopatterns.exercises.retry_backoff;

import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exercise `retry_backoff`, reference solution: retry a failing operation with capped, fully jittered, exponential
 * backoff, waiting on the context's clock.
 *
 * <p>The loop, once per attempt: stop if the context has ended; make the attempt; on a failure, stop if the context
 * ended meanwhile (the failure is most likely the cancel's doing), rethrow an interrupt, throw the last failure with
 * the history if that was the last attempt, and otherwise wait the drawn delay. Every way out but a success and an
 * interrupt is decided by two things only, the context and the attempt count, so the checks sit at the two places
 * where either can have changed: before an attempt and after one.
 *
 * <p>Why the wait is a select: {@code Select.after(delay, ctx.clock(), ...)} parks the thread on the context's
 * clock (on a {@link dev.gopatterns.clock.FakeClock} it is a <em>sleeper</em>, which only the test's
 * {@code advance} wakes), and {@code ctx.onDone(...)} wakes it the moment the context ends. {@code Thread.sleep}
 * would do neither: it counts wall-clock time, and a cancel cannot cut it short (only an interrupt can).
 *
 * <p>Why the context's error is thrown as it is: {@code ctx.err()} is one object, handed to everyone who asks that
 * context, so adding the failures to it would show one caller's history to every other. The history travels only
 * on the last failure, which belongs to this call alone.
 *
 * <p>Memory consistency: a {@code Retry} is immutable (final fields, set in the constructor), so one instance may
 * serve any number of threads; the failures of one call are a local list, seen only by the calling thread.
 *
 * <p>How to run: {@code ./learn check retry_backoff --solution}
 */
public final class Retry {

    /** The work to retry: one attempt, given the caller's context. */
    @FunctionalInterface
    public interface Operation<T> {
        /** One attempt: returns the value, or throws why this attempt failed. */
        T call(Context ctx) throws Exception;
    }

    /** Where the randomness of the delays comes from: tests pin it, production draws at random. */
    @FunctionalInterface
    public interface Jitter {
        /** A delay drawn uniformly from {@code [0, ceiling]}, both ends included. */
        Duration draw(Duration ceiling);

        /** The jitter of production code: uniform, from {@link ThreadLocalRandom}. */
        static Jitter random() {
            return ceiling -> Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling.toNanos() + 1));
        }
    }

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Jitter jitter;

    /**
     * A policy of at most {@code maxAttempts} attempts, waiting before retry {@code k} a delay that {@code jitter}
     * draws from {@code [0, ceiling(k)]}.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, {@code initialDelay} is negative, or
     *                                  {@code maxDelay < initialDelay}
     */
    public Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Jitter jitter) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry: maxAttempts must be >= 1 (1 means no retry), was "
                    + maxAttempts);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("retry: initialDelay must be >= 0, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry: maxDelay must be >= initialDelay, were " + maxDelay
                    + " and " + initialDelay);
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * The ceiling of the delay before retry {@code retry} (retry 1 comes before the second attempt):
     * {@code min(maxDelay, initialDelay * 2^(retry-1))}, without overflow.
     *
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: the first retry is number 1, was " + retry);
        }
        if (initialDelay.isZero()) {
            return Duration.ZERO; // zero doubles to zero: no loop needed
        }
        // Double until the cap: at most ~63 rounds, and never past maxDelay, so the product cannot overflow.
        Duration ceiling = initialDelay;
        for (int k = 1; k < retry && ceiling.compareTo(maxDelay) < 0; k++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(maxDelay) < 0 ? ceiling : maxDelay;
    }

    /**
     * Runs {@code op} until an attempt returns, at most {@code maxAttempts} times, waiting before retry {@code k}
     * the delay {@code jitter.draw(ceiling(k))} on {@code ctx}'s clock.
     *
     * @return what the first attempt that returned returned
     * @throws ContextException     the context's error, as it is, if the context ends before an attempt returns
     *                              (before an attempt, during one, or while waiting); no attempt starts after it
     * @throws InterruptedException if an attempt throws it, or the thread is interrupted while it waits: never
     *                              retried
     * @throws Exception            the last attempt's failure, the earlier ones suppressed in it, oldest first
     */
    public <T> T call(Context ctx, Operation<T> op) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(op, "op");
        List<Exception> failures = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            ctx.throwIfDone(); // ended before this attempt: no attempt may start
            Exception failure;
            try {
                return op.call(ctx);
            } catch (InterruptedException e) {
                throw e; // a request to stop, not a failure: retrying would swallow it
            } catch (Exception e) {
                failure = e;
            }
            failures.add(failure);
            if (ctx.isDone()) {
                throw ctx.err().orElseThrow(); // the failure is most likely the cancel's doing
            }
            if (attempt == maxAttempts) {
                for (Exception earlier : failures) {
                    if (earlier != failure) {
                        failure.addSuppressed(earlier);
                    }
                }
                throw failure;
            }
            Duration delay = jitter.draw(ceiling(attempt));
            boolean waited = Select.select(
                    Select.after(delay, ctx.clock(), () -> true),
                    ctx.onDone(() -> false));
            if (!waited) {
                throw ctx.err().orElseThrow(); // ended while we waited
            }
        }
    }
}
