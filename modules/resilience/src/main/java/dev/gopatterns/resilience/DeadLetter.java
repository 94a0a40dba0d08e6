package dev.gopatterns.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An item (a job, a message, a pipeline item) that could not be processed, with its whole error history: what
 * goes to {@link DeadLetters} instead of being lost.
 *
 * <p>Go equivalent: the struct a Go worker sends on its dead-letter channel, {@code deadLetter{item, errs}}.
 * Immutable (the error list is copied); safe to share once published, as through the queue's channel.
 *
 * @param source   where it failed: a pool's or a stage's name
 * @param item     what failed, as it was received (for a replay: enough to try it again)
 * @param errors   every attempt's failure, oldest first; never empty
 * @param attempts how many times it was tried; at least {@code 1}
 * @param atNanos  when it was given up on, on the clock of whoever did
 * @param <T>      the item's type
 */
public record DeadLetter<T>(String source, T item, List<Throwable> errors, int attempts, long atNanos) {

    /** Checks the components: a source, an item, at least one error and one attempt. */
    public DeadLetter {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(item, "item");
        errors = List.copyOf(errors);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("dead letter: a dead letter carries at least one error");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("dead letter: an item is tried at least once, was " + attempts);
        }
    }

    /** The last attempt's failure: why it was given up on. */
    public Throwable lastError() {
        return errors.getLast();
    }

    /** The same letter after another failed try (a failed replay): {@code error} appended, one more attempt. */
    public DeadLetter<T> failedAgain(Throwable error, long nowNanos) {
        List<Throwable> more = new ArrayList<>(errors);
        more.add(Objects.requireNonNull(error, "error"));
        return new DeadLetter<>(source, item, more, attempts + 1, nowNanos);
    }

    /** {@code "'orders' gave up on 17 after 3 attempts: java.io.IOException: reset"}. */
    public String describe() {
        return "'" + source + "' gave up on " + item + (attempts == 1 ? "" : " after " + attempts + " attempts")
                + ": " + lastError();
    }
}
