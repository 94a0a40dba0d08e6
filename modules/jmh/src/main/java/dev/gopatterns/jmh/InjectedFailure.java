package dev.gopatterns.jmh;

/**
 * The failure the resilience benchmarks inject ({@link Resilience_01_BreakerOverhead},
 * {@link Resilience_02_RetryOverhead}): one preallocated instance, with no stack trace and no suppression, so a
 * failing call costs the throw and the catch and the library's bookkeeping, not {@code fillInStackTrace}. A checked
 * exception, so both libraries count it (a failure for either breaker, retryable for either retry).
 */
final class InjectedFailure extends Exception {

    /** The one instance: thrown by every failing call, never modified (suppression is disabled). */
    static final InjectedFailure INSTANCE = new InjectedFailure();

    private InjectedFailure() {
        super("injected failure", null, false, false);
    }
}
