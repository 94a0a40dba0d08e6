/*
 * Flawed solution of exercise `retry_backoff`.
 * Mistake: call catches the InterruptedException of the wait and goes on to the next attempt, so an interrupt while it waits is swallowed.
 * Verdict: an interrupt while it waits must end call with InterruptedException
 */
package dev.gopatterns.exercises.retry_backoff;

import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

public final class Retry {

    /** The work to retry: one attempt, given the caller's context. */
    @FunctionalInterface
    public interface Operation<T> {
        T call(Context ctx) throws Exception;
    }

    /** Where the randomness of the delays comes from: tests pin it, production draws at random. */
    @FunctionalInterface
    public interface Jitter {
        Duration draw(Duration ceiling);

        static Jitter random() {
            return ceiling -> Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling.toNanos() + 1));
        }
    }

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Jitter jitter;

    public Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Jitter jitter) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry: maxAttempts must be >= 1, was " + maxAttempts);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("retry: initialDelay must be >= 0, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry: maxDelay must be >= initialDelay");
        }
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: the first retry is number 1, was " + retry);
        }
        if (initialDelay.isZero()) {
            return Duration.ZERO;
        }
        Duration ceiling = initialDelay;
        for (int k = 1; k < retry && ceiling.compareTo(maxDelay) < 0; k++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(maxDelay) < 0 ? ceiling : maxDelay;
    }

    public <T> T call(Context ctx, Operation<T> op) throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            ctx.throwIfDone();
            Exception failure;
            try {
                return op.call(ctx);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failure = e;
            }
            failures.add(failure);
            if (ctx.isDone()) {
                throw ctx.err().orElseThrow();
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
            try {
                boolean waited = Select.select(
                        Select.after(delay, ctx.clock(), () -> true),
                        ctx.onDone(() -> false));
                if (!waited) {
                    throw ctx.err().orElseThrow();
                }
            } catch (InterruptedException e) {
                // woken early: no harm done, go on with the next attempt
            }
        }
    }
}
