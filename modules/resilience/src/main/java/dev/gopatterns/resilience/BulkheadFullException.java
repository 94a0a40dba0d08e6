package dev.gopatterns.resilience;

import java.time.Duration;

/**
 * A {@link Bulkhead} had no free place for a call within its wait: the call was not made. Unchecked, and without a
 * stack trace: a rejection is the bulkhead working, not a bug.
 *
 * <p>Go equivalent: the error a bulkhead built on {@code semaphore.Weighted.Acquire} returns when its wait's
 * context expires (failsafe-go: {@code bulkhead.ErrFull}).
 */
public final class BulkheadFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String bulkhead;

    BulkheadFullException(String bulkhead, int maxConcurrent, Duration maxWait) {
        super("bulkhead '" + bulkhead + "' is full: " + maxConcurrent + " calls were running"
                + (maxWait.isZero() ? "" : " and none ended within " + maxWait), null, false, false);
        this.bulkhead = bulkhead;
    }

    /** The name of the bulkhead that refused. */
    public String bulkhead() {
        return bulkhead;
    }
}
