package dev.gopatterns.context;

import java.util.concurrent.CancellationException;

/**
 * Why a {@link Context} is done: {@link ContextCanceledException} or {@link DeadlineExceededException}.
 * Unchecked, and a {@link CancellationException}, so code that already handles cancelled futures handles it too.
 *
 * <p>Go equivalent: the errors {@code context.Canceled} and {@code context.DeadlineExceeded} returned by
 * {@code ctx.Err()}. The richer reason, if the canceller gave one, is {@link Context#cause()}.
 *
 * <p>Like Go's error values these carry no stack trace: a cancel is a normal event, and filling in a trace would
 * cost more than the rest of creating and cancelling a context. Run with
 * {@code -Dgopatterns.context.stackTraces=true} to record where each context was cancelled, when debugging.
 */
public abstract sealed class ContextException extends CancellationException
        permits ContextCanceledException, DeadlineExceededException {

    private static final long serialVersionUID = 1L;

    /** Whether each error records where it was made; then a cancelled context makes its error at once. */
    static final boolean STACK_TRACES = Boolean.getBoolean("gopatterns.context.stackTraces");

    ContextException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return STACK_TRACES ? super.fillInStackTrace() : this;
    }
}
