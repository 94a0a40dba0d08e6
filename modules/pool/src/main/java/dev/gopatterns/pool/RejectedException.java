package dev.gopatterns.pool;

import java.util.Objects;

/**
 * A job was not accepted: the pool is shut down ("pool: submit after shutdown"), or its queue is full
 * ("pool: queue full", from {@link Submission#orThrow()}). Unchecked, like the JDK's
 * {@code RejectedExecutionException}, which it extends, so code written for executors handles it too.
 */
public final class RejectedException extends java.util.concurrent.RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    private final Submission.Reason reason;

    public RejectedException(Submission.Reason reason) {
        super(Objects.requireNonNull(reason, "reason").message());
        this.reason = reason;
    }

    /** Why. */
    public Submission.Reason reason() {
        return reason;
    }
}
