package dev.gopatterns.rate;

/**
 * {@link Limiter#awaitN} refused to wait because the context's deadline would pass first. Go returns the error
 * "rate: Wait(n=N) would exceed context deadline" without waiting; so does this.
 */
public final class DeadlineTooSoonException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DeadlineTooSoonException(String message) {
        super(message);
    }
}
