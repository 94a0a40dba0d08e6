package dev.gopatterns.exercises.circuit_breaker;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * Exercise `circuit_breaker`: stop calling a dependency that keeps failing, and try it again, one call at a time,
 * once it has had time to recover.
 *
 * <p>The rules of {@code CircuitBreaker}, a state machine:
 * <ol>
 *   <li>CLOSED: every call goes through. {@code threshold} failures in a row open the breaker; a success resets the
 *       count to 0.
 *   <li>OPEN: every call is refused with {@link CallNotPermittedException}, without being made, until
 *       {@code openFor} has passed on the breaker's clock (never {@code System.nanoTime()}). From then on the
 *       breaker is HALF_OPEN: {@link #state()} says so at once, before any call.
 *   <li>HALF_OPEN: exactly one call, the trial, goes through; while it runs every other call is refused. If it
 *       succeeds the breaker is CLOSED again, the count at 0; if it fails the breaker is OPEN again, for another
 *       whole {@code openFor} from the failure.
 *   <li>A call that ends because its context was cancelled ({@code ctx.isDone()} when it throws) is neither a
 *       failure nor a success: it is not counted at all. A cancelled trial frees the trial's place.
 *   <li>Thread-safe with one lock: every look at the state and every move of it (clock reading included) is made
 *       while holding it, and it is never held while a call runs.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check circuit_breaker}
 */
public final class CircuitBreaker {

    /** A breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /**
     * The breaker refused a call: it is {@link State#OPEN}, or {@link State#HALF_OPEN} with its one trial call
     * running. The call was not made. Without a stack trace: a refusal is the breaker working, not a bug.
     */
    public static final class CallNotPermittedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final State state;

        /** A refusal by a breaker in {@code state}. */
        public CallNotPermittedException(State state) {
            super("circuit breaker is " + state + (state == State.OPEN
                    ? ": calls are refused until openFor has passed"
                    : ": its one trial call is running, and the others are refused"), null, false, false);
            this.state = Objects.requireNonNull(state, "state");
        }

        /** The state the breaker was in when it refused. */
        public State state() {
            return state;
        }
    }

    /** The call to the dependency the breaker protects. */
    @FunctionalInterface
    public interface Call<T> {
        T call(Context ctx) throws Exception;
    }

    /**
     * A breaker that opens after {@code threshold} failures in a row and stays open for {@code openFor}, measured
     * on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code threshold < 1} or {@code openFor} is negative
     */
    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        throw new UnsupportedOperationException(
                "TODO: refuse threshold < 1 and a negative openFor, then keep them and the clock; the state starts"
                        + " CLOSED");
    }

    /** The state now: an open breaker whose {@code openFor} has passed on the clock is HALF_OPEN. */
    public State state() {
        throw new UnsupportedOperationException(
                "TODO: state: under the lock, move OPEN to HALF_OPEN if openFor has passed on the clock, then return"
                        + " the state");
    }

    /**
     * Makes the call if the breaker lets it through, and counts how it went.
     *
     * @return what {@code op} returned
     * @throws CallNotPermittedException if the breaker refuses the call; {@code op} is then not called
     * @throws Exception                 what {@code op} threw, as it was thrown
     */
    public <T> T call(Context ctx, Call<T> op) throws Exception {
        throw new UnsupportedOperationException(
                "TODO: call: under the lock, let the call through (CLOSED, or HALF_OPEN with no trial yet) or throw"
                        + " CallNotPermittedException; run it without the lock; then, under the lock, count its"
                        + " success or failure (not if ctx.isDone()) and move the state");
    }
}
