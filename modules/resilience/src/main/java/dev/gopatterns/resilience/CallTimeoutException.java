package dev.gopatterns.resilience;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A call took longer than its {@link Timeout} allowed. A {@link TimeoutException}, so code that catches the JDK's
 * timeouts catches it; its cause is what the body threw when its context ended (usually the child context's
 * {@code DeadlineExceededException}).
 */
public final class CallTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final transient Duration limit;

    CallTimeoutException(Duration limit, Throwable cause) {
        super("timeout: the call did not finish within " + limit);
        this.limit = limit;
        initCause(cause);
    }

    /** The limit the call exceeded. */
    public Duration limit() {
        return limit;
    }
}
