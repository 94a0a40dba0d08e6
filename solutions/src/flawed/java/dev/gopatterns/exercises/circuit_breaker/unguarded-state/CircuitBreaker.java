/*
 * Flawed solution of exercise `circuit_breaker`.
 * Mistake: no lock: the fields are volatile, and call reads the state, then the clock, then takes the trial, in three steps, so two calls that find the breaker due together both become the trial.
 * Verdict: two trial calls ran at once in HALF_OPEN
 */
package dev.gopatterns.exercises.circuit_breaker;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Objects;

public final class CircuitBreaker {

    /** A breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** The breaker refused a call. */
    public static final class CallNotPermittedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final State state;

        public CallNotPermittedException(State state) {
            super("circuit breaker is " + state + (state == State.OPEN
                    ? ": calls are refused until openFor has passed"
                    : ": its one trial call is running, and the others are refused"), null, false, false);
            this.state = Objects.requireNonNull(state, "state");
        }

        public State state() {
            return state;
        }
    }

    /** The call to the dependency the breaker protects. */
    @FunctionalInterface
    public interface Call<T> {
        T call(Context ctx) throws Exception;
    }

    private final int threshold;
    private final long openForNanos;
    private final Clock clock;

    // volatile: every thread sees the latest values
    private volatile State state = State.CLOSED;
    private volatile int failures;
    private volatile long openedAt;
    private volatile boolean trialRunning;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        Objects.requireNonNull(openFor, "openFor");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (threshold < 1) {
            throw new IllegalArgumentException("circuit breaker: threshold must be >= 1, was " + threshold);
        }
        if (openFor.isNegative()) {
            throw new IllegalArgumentException("circuit breaker: openFor must be >= 0, was " + openFor);
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
    }

    public State state() {
        if (state == State.OPEN && clock.nanoTime() - openedAt >= openForNanos) {
            return State.HALF_OPEN; // due: the next call is the trial
        }
        return state;
    }

    public <T> T call(Context ctx, Call<T> op) throws Exception {
        boolean trial = false;
        State s = state;
        if (s == State.OPEN) {
            if (clock.nanoTime() - openedAt < openForNanos) {
                throw new CallNotPermittedException(State.OPEN);
            }
            state = State.HALF_OPEN; // due: this call is the trial
            trialRunning = true;
            trial = true;
        } else if (s == State.HALF_OPEN) {
            if (trialRunning) {
                throw new CallNotPermittedException(State.HALF_OPEN);
            }
            trialRunning = true;
            trial = true;
        }
        T value;
        try {
            value = op.call(ctx);
        } catch (Exception e) {
            if (ctx.isDone() || e instanceof InterruptedException) {
                if (trial) {
                    trialRunning = false; // not counted: the next call is the trial
                }
            } else if (trial || ++failures >= threshold) {
                openedAt = clock.nanoTime();
                failures = 0;
                trialRunning = false;
                state = State.OPEN;
            }
            throw e;
        }
        failures = 0;
        if (trial) {
            trialRunning = false;
            state = State.CLOSED;
        }
        return value;
    }
}
