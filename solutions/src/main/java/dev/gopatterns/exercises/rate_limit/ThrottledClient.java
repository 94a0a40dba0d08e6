package dev.gopatterns.exercises.rate_limit;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.clock.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Exercise `rate_limit`, reference solution: a client that calls its backend at most so many times a second.
 *
 * <p>The limiter is a field, made once: the bucket must outlive every call, or each call would find a new, full
 * bucket and nothing would be limited. It is safe to share: every call on a {@link Limiter} is linearizable, so
 * two threads can never take the same token.
 *
 * <p>Why waiting is cheap and cancellable: {@code await(ctx)} does not poll. It reserves the next token (which may
 * lie in the future), then waits in a select for whichever comes first, a timer on the limiter's clock that fires
 * when the token is due, or the end of {@code ctx}. If the context wins, the reservation is cancelled, so the token
 * goes back to the bucket for the next caller, and the call fails with the context's error. On a
 * {@link dev.gopatterns.clock.FakeClock} the timer is a task on the clock, which is how a test can see that a call
 * is waiting ({@code clock.pendingTasks()}) before it moves the time.
 *
 * <p>Memory consistency: the limiter's calls are linearizable, and the client keeps no state of its own beyond two
 * final fields, so it needs no lock.
 *
 * <p>How to run: {@code ./learn check rate_limit --solution}
 */
public final class ThrottledClient {

    /** The service the client protects. */
    @FunctionalInterface
    public interface Backend {
        /** The reply to {@code request} (never {@code null}). */
        String call(Context ctx, String request) throws Exception;
    }

    private final Backend backend;
    /** The client's one bucket: every call takes its token here. */
    private final Limiter limiter;

    /**
     * A client that calls {@code backend} at most {@code perSecond} times a second on average, in bursts of up to
     * {@code burst} calls, measuring time on {@code clock}. Go: {@code rate.NewLimiter(rate.Limit(perSecond), burst)}.
     *
     * @throws IllegalArgumentException if {@code perSecond} or {@code burst} is negative
     */
    public ThrottledClient(Backend backend, double perSecond, int burst, Clock clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.limiter = new Limiter(perSecond, burst, clock);
    }

    /**
     * Waits for a token, unless {@code ctx} ends first, then calls the backend. Go: {@code limiter.Wait(ctx)}, then
     * the call.
     *
     * @return the backend's reply
     * @throws ContextException     if {@code ctx} ends before a token is free, or has already ended; the backend is
     *                              not called
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws Exception            what the backend throws
     */
    public String call(Context ctx, String request) throws Exception {
        limiter.await(ctx); // throws the context's error if it ends first: then no call is made
        return backend.call(ctx, request);
    }

    /**
     * Calls the backend only if a token is free now; never waits. Go: {@code if limiter.Allow() { ... }}.
     *
     * @return the backend's reply, or empty if no token was free (and the backend was not called)
     * @throws Exception what the backend throws
     */
    public Optional<String> tryCall(Context ctx, String request) throws Exception {
        if (!limiter.allow()) {
            return Optional.empty(); // shed the call rather than queue it
        }
        return Optional.of(backend.call(ctx, request));
    }
}
