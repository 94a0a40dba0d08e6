package dev.gopatterns.chan;

/**
 * Carries an {@link InterruptedException} out of an API that cannot declare it, such as {@link java.util.Iterator}
 * and {@link java.util.stream.Stream}. Before it is thrown the thread's interrupt flag is set again, so the
 * interrupt is never lost (see docs/interruption.md).
 */
public final class UncheckedInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Re-asserts the current thread's interrupt flag and wraps {@code cause}. */
    public UncheckedInterruptedException(InterruptedException cause) {
        super("interrupted while blocked on a channel", cause);
        Thread.currentThread().interrupt();
    }

    @Override
    public synchronized InterruptedException getCause() {
        return (InterruptedException) super.getCause();
    }
}
