package dev.gopatterns.exercises.pipeline_errors;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exercise `pipeline_errors`: a pipeline stage with Go-style error handling. Items flow in; each result flows out on one channel,
 * each failure on another, as a value: the item, its error, and how many attempts it took. Failures that may not
 * happen again are retried, after a backoff with full jitter, and every attempt has a timeout of its own.
 *
 * <p>The rules of {@link #process}:
 * <ol>
 *   <li>It returns at once; one thread of its own takes the items of {@code in} one at a time, until {@code in} is
 *       closed and drained or {@code ctx} ends, and then closes both output channels.
 *   <li>Each attempt calls {@code fn} with a context of its own, {@code Context.withTimeout(ctx,
 *       policy.attemptTimeout())}, made for that attempt (not once for the stage, nor once for the item), and
 *       cancelled when the attempt ends.
 *   <li>A success goes on {@code results}. A failure is retried if it is retryable: a {@link TransientException},
 *       or a {@link DeadlineExceededException} (the attempt ran out of its time). Any other error is reported at
 *       once. A retryable failure on the last of {@code policy.maxAttempts()} attempts is reported too.
 *   <li>Before retry {@code k} (k = 1 after the first attempt), the stage waits a delay drawn uniformly from
 *       {@code [0, min(maxDelay, baseDelay·2^(k-1))]} with {@code random} ("full jitter"), waiting on
 *       {@code ctx.clock()}, and stops waiting if {@code ctx} ends.
 *   <li>A report is a {@link Failed}{@code (item, error, attempts)} on {@code errors}. If {@code ctx} ends during an
 *       attempt or a backoff, the item is reported with {@code ctx}'s error and the attempts made so far, and the
 *       stage stops. So every item the stage takes comes out once: as a result, or on {@code errors}.
 * </ol>
 * The consumer reads both channels until both are closed (a select over the two): the stage's sends wait for it.
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check pipeline_errors}
 */
public final class RetryingStage {

    private RetryingStage() {}

    /** What {@code fn} throws for a failure that may not happen again: it is worth another attempt. */
    public static class TransientException extends Exception {
        private static final long serialVersionUID = 1L;

        public TransientException(String message) {
            super(message);
        }
    }

    /** The work of the stage, for one item; {@code attemptCtx} ends when the attempt's time is up. */
    @FunctionalInterface
    public interface Step<T, R> {
        R apply(Context attemptCtx, T item) throws Exception;
    }

    /**
     * How the stage retries: at most {@code maxAttempts} attempts per item, each given {@code attemptTimeout}; the
     * backoff ceiling before retry k is {@code min(maxDelay, baseDelay·2^(k-1))}.
     */
    public record Policy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration attemptTimeout) {
        public Policy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
            for (Duration d : new Duration[] {baseDelay, maxDelay, attemptTimeout}) {
                if (Objects.requireNonNull(d, "durations").isNegative()) {
                    throw new IllegalArgumentException("durations must be >= 0, was " + d);
                }
            }
        }
    }

    /** An item that came out as a failure: its last error, and how many attempts were made. */
    public record Failed<T>(T item, Exception error, int attempts) {}

    /** The stage's two output channels. */
    public record Outputs<T, R>(ReceiveChannel<R> results, ReceiveChannel<Failed<T>> errors) {}

    /**
     * Starts the stage. Go: {@code results, errc := process(ctx, in, fn)}.
     *
     * @param random where the jitter comes from; the delay before retry k is
     *               {@code random.nextLong(ceiling.toNanos() + 1)} nanoseconds
     * @return the results and the failures, two unbuffered channels, both closed when the stage ends
     */
    public static <T, R> Outputs<T, R> process(Context ctx, ReceiveChannel<T> in, Step<T, R> fn, Policy policy,
                                               RandomGenerator random) {
        throw new UnsupportedOperationException(
                "TODO: process: in one thread, for each item of in, attempt fn with its own"
                        + " Context.withTimeout(ctx, policy.attemptTimeout()); retry retryable failures after a"
                        + " full-jitter backoff waited on ctx.clock(); send results and Failed reports; close both");
    }
}
