package dev.gopatterns.exercises.rate_limit;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.clock.Clock;
import java.util.Optional;

/**
 * Exercise `rate_limit`: a client that calls its backend at most so many times a second.
 *
 * <p>A backend allows {@code perSecond} calls a second on average, and short bursts of up to {@code burst} calls.
 * That is a token bucket: the bucket holds up to {@code burst} tokens, refills at {@code perSecond} tokens a second,
 * and each call takes one. Go's {@code golang.org/x/time/rate.Limiter} is that bucket, here
 * {@link dev.gopatterns.rate.Limiter}: {@code await(ctx)} waits for a token unless the context ends first, and
 * {@code allow()} takes one only if one is there now. Time is read from the {@link Clock} the limiter is given.
 *
 * <p>The rules of {@code ThrottledClient}:
 * <ol>
 *   <li>One bucket for the whole client, made once with the client's clock: every call, from any thread, takes its
 *       token from it. The bucket starts full.
 *   <li>{@link #call} waits for a token with the caller's context, then calls the backend with that context and
 *       returns its reply. If the context ends first (or has already ended), it throws the context's error and does
 *       not call the backend.
 *   <li>{@link #tryCall} never waits: if a token is free now it calls the backend and returns its reply, otherwise
 *       it returns empty at once, without calling.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check rate_limit}
 */
public final class ThrottledClient {

    /** The service the client protects. */
    @FunctionalInterface
    public interface Backend {
        /** The reply to {@code request} (never {@code null}). */
        String call(Context ctx, String request) throws Exception;
    }

    /**
     * A client that calls {@code backend} at most {@code perSecond} times a second on average, in bursts of up to
     * {@code burst} calls, measuring time on {@code clock}. Go: {@code rate.NewLimiter(rate.Limit(perSecond), burst)}.
     *
     * @throws IllegalArgumentException if {@code perSecond} or {@code burst} is negative
     */
    public ThrottledClient(Backend backend, double perSecond, int burst, Clock clock) {
        throw new UnsupportedOperationException(
                "TODO: keep the backend, and make the client's one Limiter(perSecond, burst, clock)");
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
        throw new UnsupportedOperationException(
                "TODO: call: wait for a token with limiter.await(ctx), then call the backend");
    }

    /**
     * Calls the backend only if a token is free now; never waits. Go: {@code if limiter.Allow() { ... }}.
     *
     * @return the backend's reply, or empty if no token was free (and the backend was not called)
     * @throws Exception what the backend throws
     */
    public Optional<String> tryCall(Context ctx, String request) throws Exception {
        throw new UnsupportedOperationException(
                "TODO: tryCall: call the backend only if limiter.allow(), else return empty");
    }
}
