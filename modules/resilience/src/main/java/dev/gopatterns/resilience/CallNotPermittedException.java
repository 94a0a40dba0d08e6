package dev.gopatterns.resilience;

/**
 * A {@link CircuitBreaker} refused a call: it is {@link CircuitBreaker.State#OPEN}, or
 * {@link CircuitBreaker.State#HALF_OPEN} with every trial call taken. The call was not made. Unchecked, and
 * without a stack trace: a rejection is the breaker working, not a bug, and an open breaker rejects a lot of calls.
 *
 * <p>Go equivalent: {@code gobreaker.ErrOpenState} and {@code gobreaker.ErrTooManyRequests}.
 */
public final class CallNotPermittedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String breaker;
    private final CircuitBreaker.State state;

    CallNotPermittedException(String breaker, CircuitBreaker.State state) {
        super("circuit breaker '" + breaker + "' is " + state + (state == CircuitBreaker.State.OPEN
                ? ": calls are not permitted until its wait in the open state is over"
                : ": every trial call of the half-open state is taken"), null, false, false);
        this.breaker = breaker;
        this.state = state;
    }

    /** The name of the breaker that refused. */
    public String breaker() {
        return breaker;
    }

    /** The state it was in. */
    public CircuitBreaker.State state() {
        return state;
    }
}
