/*
 * Flawed solution of exercise `circuit_breaker`.
 * Mistake: the breaker reads System.nanoTime() instead of its clock, so openFor is measured on the wall clock.
 * Verdict: never System.nanoTime()
 */
package dev.gopatterns.exercises.circuit_breaker;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

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

    private final int threshold;
    private final long openForNanos;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private State state = State.CLOSED;
    /** Guarded by lock. Failures in a row while CLOSED. */
    private int failures;
    /** Guarded by lock. When it last opened, on the clock. */
    private long openedAt;
    /** Guarded by lock. HALF_OPEN only: the trial call has been let through and has not ended. */
    private boolean trialRunning;
    /** Guarded by lock. Bumped at each transition: outcomes of calls let through before it are ignored. */
    private long generation;

    /**
     * A breaker that opens after {@code threshold} failures in a row and stays open for {@code openFor}, measured
     * on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code threshold < 1} or {@code openFor} is negative
     */
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
        this.openForNanos = Clock.toNanosSaturated(openFor);
    }

    /** The state now: an open breaker whose {@code openFor} has passed on the clock is HALF_OPEN. */
    public State state() {
        lock.lock();
        try {
            halfOpenIfDue(System.nanoTime());
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the call if the breaker lets it through, and counts how it went.
     *
     * @return what {@code op} returned
     * @throws CallNotPermittedException if the breaker refuses the call; {@code op} is then not called
     * @throws Exception                 what {@code op} threw, as it was thrown
     */
    public <T> T call(Context ctx, Call<T> op) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(op, "op");
        long permit = letThrough();
        T value;
        try {
            value = op.call(ctx);
        } catch (Exception e) {
            if (ctx.isDone() || e instanceof InterruptedException) {
                noOutcome(permit); // the caller gave up: that says nothing about the dependency
            } else {
                failed(permit);
            }
            throw e;
        } catch (Error e) {
            noOutcome(permit);
            throw e;
        }
        succeeded(permit);
        return value;
    }

    // ------------------------------------------------------------------------------------------ machine

    /** The generation the call is let through in; throws if the breaker refuses it. */
    private long letThrough() {
        lock.lock();
        try {
            halfOpenIfDue(System.nanoTime());
            switch (state) {
                case CLOSED -> {
                    return generation;
                }
                case HALF_OPEN -> {
                    if (!trialRunning) {
                        trialRunning = true; // this call is the trial; the look and the act are one step
                        return generation;
                    }
                }
                case OPEN -> { }
            }
            throw new CallNotPermittedException(state);
        } finally {
            lock.unlock();
        }
    }

    private void succeeded(long permit) {
        lock.lock();
        try {
            if (permit != generation) {
                return;
            }
            switch (state) {
                case CLOSED -> failures = 0; // the run of failures is broken
                case HALF_OPEN -> transition(State.CLOSED);
                case OPEN -> { } // unreachable: entering OPEN starts a new generation
            }
        } finally {
            lock.unlock();
        }
    }

    private void failed(long permit) {
        lock.lock();
        try {
            if (permit != generation) {
                return;
            }
            switch (state) {
                case CLOSED -> {
                    if (++failures >= threshold) {
                        open();
                    }
                }
                case HALF_OPEN -> open(); // the trial failed: another whole openFor from now
                case OPEN -> { }
            }
        } finally {
            lock.unlock();
        }
    }

    private void noOutcome(long permit) {
        lock.lock();
        try {
            if (permit == generation && state == State.HALF_OPEN) {
                trialRunning = false; // the trial's place is free again
            }
        } finally {
            lock.unlock();
        }
    }

    /** Call only when holding lock. */
    private void open() {
        openedAt = System.nanoTime();
        transition(State.OPEN);
    }

    /** Call only when holding lock. */
    private void halfOpenIfDue(long now) {
        if (state == State.OPEN && now - openedAt >= openForNanos) {
            transition(State.HALF_OPEN);
        }
    }

    /** Call only when holding lock. */
    private void transition(State to) {
        state = to;
        failures = 0;
        trialRunning = false;
        generation++;
    }
}
