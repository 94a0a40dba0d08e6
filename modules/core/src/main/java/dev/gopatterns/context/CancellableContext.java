package dev.gopatterns.context;

/**
 * A {@link Context} together with its cancel function. Go returns the two separately
 * ({@code ctx, cancel := context.WithCancel(parent)}); here they are one object, and {@link #close()} cancels, so
 * try-with-resources plays the part of Go's {@code defer cancel()}:
 *
 * <pre>{@code
 * try (CancellableContext ctx = Context.withTimeout(parent, Duration.ofSeconds(2))) {
 *     return search(ctx, query);
 * } // cancelled here, releasing the timer and the parent's reference to this context
 * }</pre>
 *
 * <p>Cancel does not wait for the work to stop; it is idempotent (only the first call has an effect, later calls
 * do nothing); it is safe to call from any thread; and it reaches every descendant.
 */
public sealed interface CancellableContext extends Context, AutoCloseable permits CancelCtx {

    /** Cancels this context and its descendants with {@link ContextCanceledException}. Go: {@code cancel()}. */
    void cancel();

    /**
     * Cancels with a cause that {@link #cause()} reports (the error stays {@link ContextCanceledException}).
     * Go: the {@code CancelCauseFunc} of {@code WithCancelCause}. A {@code null} cause means "no cause".
     */
    void cancel(Throwable cause);

    /** Same as {@link #cancel()}; never throws. */
    @Override
    void close();
}
