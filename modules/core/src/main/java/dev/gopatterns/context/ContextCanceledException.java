package dev.gopatterns.context;

/** The context was cancelled, by its own cancel or a parent's. Go: {@code context.Canceled}, "context canceled". */
public final class ContextCanceledException extends ContextException {

    private static final long serialVersionUID = 1L;

    ContextCanceledException() {
        super("context canceled");
    }
}
