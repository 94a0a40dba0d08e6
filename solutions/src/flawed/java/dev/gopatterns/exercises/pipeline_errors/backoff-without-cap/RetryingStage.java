/*
 * Flawed solution of exercise `pipeline_errors`.
 * Mistake: the backoff ceiling doubles with each retry but is never capped at maxDelay.
 * Verdict: the ceiling is capped at maxDelay
 */
package dev.gopatterns.exercises.pipeline_errors;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

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
        Objects.requireNonNull(random, "random");
        Channel<R> results = Channel.make(0);
        Channel<Failed<T>> errors = Channel.make(0);
        Thread.ofVirtual().name("retrying stage").start(() -> {
            try {
                for (;;) {
                    Received<T> next = Select.select(in.onReceiveOrClosed(r -> r), ctx.onDone(Received::closed));
                    if (!(next instanceof Received.Value<T>(T item))) {
                        return; // in is closed and drained, or ctx has ended
                    }
                    if (!handle(ctx, item, fn, policy, random, results, errors)) {
                        return; // ctx ended while the item was in hand; it has been reported
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // asked to stop: end, keeping the flag
            } finally {
                results.close();
                errors.close();
            }
        });
        return new Outputs<>(results.receiveOnly(), errors.receiveOnly());
    }

    /**
     * Attempts one item until it succeeds, fails for good, or runs out of attempts, and sends what came of it.
     *
     * @return false if {@code ctx} ended (the item was reported with its error): the stage must stop
     */
    private static <T, R> boolean handle(Context ctx, T item, Step<T, R> fn, Policy policy, RandomGenerator random,
                                         Channel<R> results, Channel<Failed<T>> errors) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            R result = null;
            Exception error = null;
            // A context per attempt: the timeout starts now, for this attempt only.
            try (CancellableContext attemptCtx = Context.withTimeout(ctx, policy.attemptTimeout())) {
                result = fn.apply(attemptCtx, item);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                error = e;
            }
            if (error == null) {
                results.send(result);
                return true;
            }
            if (ctx.isDone()) {
                errors.send(new Failed<>(item, ctx.err().orElseThrow(), attempt));
                return false;
            }
            boolean retryable = error instanceof TransientException || error instanceof DeadlineExceededException;
            if (!retryable || attempt == policy.maxAttempts()) {
                errors.send(new Failed<>(item, error, attempt)); // reported, never dropped
                return true;
            }
            Duration delay = backoff(policy, attempt, random);
            // Wait on the context's clock, and stop waiting when the context ends.
            boolean waited = Select.select(Select.after(delay, ctx.clock(), () -> true), ctx.onDone(() -> false));
            if (!waited) {
                errors.send(new Failed<>(item, ctx.err().orElseThrow(), attempt));
                return false;
            }
        }
    }

    /**
     * Full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): the delay before retry
     * {@code retry} is uniform in [0, ceiling], where the ceiling doubles with each retry up to {@code maxDelay}.
     */
    static Duration backoff(Policy policy, int retry, RandomGenerator random) {
        long base = policy.baseDelay().toNanos();
        long max = policy.maxDelay().toNanos();
        int shift = retry - 1;
        // base·2^shift, or max if that is larger (or would overflow)
        long ceiling = base << shift; // doubles each retry
        return Duration.ofNanos(random.nextLong(ceiling + 1));
    }
}
