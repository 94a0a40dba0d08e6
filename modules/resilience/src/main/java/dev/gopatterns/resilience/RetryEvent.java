package dev.gopatterns.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Retry} policy's {@linkplain Retry#onEvent listeners} are told, in the thread of the operation and
 * in order: a {@link Retrying} per failed attempt that will be followed by another, then one {@link Succeeded} or
 * one {@link GaveUp}. So a listener counts attempts, retries and outcomes, logs each failure, or sends the
 * failures of an operation that gave up to a dead-letter sink, with their history.
 */
public sealed interface RetryEvent {

    /** Attempt {@code attempt} failed with {@code error}; the next starts after {@code delay}. */
    record Retrying(int attempt, Throwable error, Duration delay) implements RetryEvent {
        public Retrying {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** Attempt {@code attempts} succeeded, after the failures {@code errors} (oldest first; empty at the first try). */
    record Succeeded(int attempts, List<Throwable> errors) implements RetryEvent {
        public Succeeded {
            errors = List.copyOf(errors);
        }
    }

    /**
     * The operation stopped for {@code reason} after {@code attempts} failed attempts (0 if its context had ended
     * before the first), whose failures are {@code errors}, oldest first: the last is the operation's.
     */
    record GaveUp(int attempts, Retry.GiveUpReason reason, List<Throwable> errors) implements RetryEvent {
        public GaveUp {
            Objects.requireNonNull(reason, "reason");
            errors = List.copyOf(errors);
        }
    }
}
