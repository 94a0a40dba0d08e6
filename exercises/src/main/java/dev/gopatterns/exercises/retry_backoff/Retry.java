package dev.gopatterns.exercises.retry_backoff;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exercise `retry_backoff`: retry a failing operation, waiting longer and longer between attempts, at random.
 *
 * <p>The rules of {@code Retry}:
 * <ol>
 *   <li>At most {@code maxAttempts} attempts in all, the first included. The first attempt that returns ends
 *       {@link #call} with its value.
 *   <li>Before retry {@code k} (attempt {@code k+1}) it waits a delay drawn by the jitter from
 *       {@code [0, ceiling(k)]}, where {@code ceiling(k) = min(maxDelay, initialDelay * 2^(k-1))}: exponential,
 *       capped, and fully jittered.
 *   <li>It waits on the context's clock, in a select over a timeout on {@code ctx.clock()} and
 *       {@code ctx.onDone(...)}: never {@code Thread.sleep}.
 *   <li>Once the context has ended (before an attempt, during one, or while it waits), no attempt starts: it throws
 *       the context's error, {@code ctx.err()}, as it is. (Add nothing to it: it is one object, shared by everyone
 *       who asks that context.)
 *   <li>An {@link InterruptedException} is never retried: thrown by an attempt or by the wait, it leaves
 *       {@code call} as it is.
 *   <li>When the last attempt fails, it throws that failure with the earlier failures suppressed in it, oldest
 *       first.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check retry_backoff}
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

    /**
     * A policy of at most {@code maxAttempts} attempts, waiting before retry {@code k} a delay that {@code jitter}
     * draws from {@code [0, ceiling(k)]}.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, {@code initialDelay} is negative, or
     *                                  {@code maxDelay < initialDelay}
     */
    public Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Jitter jitter) {
        throw new UnsupportedOperationException(
                "TODO: refuse maxAttempts < 1, a negative initialDelay and maxDelay < initialDelay, then keep them");
    }

    /**
     * The ceiling of the delay before retry {@code retry} (retry 1 comes before the second attempt):
     * {@code min(maxDelay, initialDelay * 2^(retry-1))}, without overflow.
     *
     * @throws IllegalArgumentException if {@code retry < 1}
     */
    public Duration ceiling(int retry) {
        throw new UnsupportedOperationException(
                "TODO: ceiling: start at initialDelay, double once per retry after the first, never above maxDelay");
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
        throw new UnsupportedOperationException(
                "TODO: call: loop over the attempts; stop on ctx's end (throw ctx.err()) and on an interrupt;"
                        + " between attempts wait jitter.draw(ceiling(k)) in a select over Select.after(delay,"
                        + " ctx.clock(), ...) and ctx.onDone(...); throw the last failure with the others suppressed");
    }
}
