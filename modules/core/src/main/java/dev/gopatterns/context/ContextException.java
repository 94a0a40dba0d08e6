package dev.gopatterns.context;

import java.util.concurrent.CancellationException;

/**
 * Why a {@link Context} is done: {@link ContextCanceledException} or {@link DeadlineExceededException}.
 * Unchecked, and a {@link CancellationException}, so code that already handles cancelled futures handles it too.
 *
 * <p>Go equivalent: the errors {@code context.Canceled} and {@code context.DeadlineExceeded} returned by
 * {@code ctx.Err()}. The richer reason, if the canceller gave one, is {@link Context#cause()}.
 */
public abstract sealed class ContextException extends CancellationException
        permits ContextCanceledException, DeadlineExceededException {

    private static final long serialVersionUID = 1L;

    ContextException(String message) {
        super(message);
    }
}
