package dev.gopatterns.context;

/**
 * The context's deadline passed. Go: {@code context.DeadlineExceeded}, "context deadline exceeded".
 */
public final class DeadlineExceededException extends ContextException {

    private static final long serialVersionUID = 1L;

    DeadlineExceededException() {
        super("context deadline exceeded");
    }
}
