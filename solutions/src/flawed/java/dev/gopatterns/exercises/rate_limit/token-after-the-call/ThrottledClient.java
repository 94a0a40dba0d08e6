/*
 * Flawed solution of exercise `rate_limit`.
 * Mistake: call calls the backend first and takes its token after, with limiter.await(ctx) once the reply is in (so that no call is kept waiting before it starts), so each call goes through a token early: burst + 1 calls reach the backend at once.
 * Verdict: burst + 1 calls went through at once: take the token before the call
 */
package dev.gopatterns.exercises.rate_limit;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.rate.Limiter;
import java.util.Objects;
import java.util.Optional;

public final class ThrottledClient {

    /** The service the client protects. */
    @FunctionalInterface
    public interface Backend {
        /** The reply to {@code request} (never {@code null}). */
        String call(Context ctx, String request) throws Exception;
    }

    private final Backend backend;
    private final Limiter limiter;

    public ThrottledClient(Backend backend, double perSecond, int burst, Clock clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.limiter = new Limiter(perSecond, burst, clock);
    }

    public String call(Context ctx, String request) throws Exception {
        String reply = backend.call(ctx, request);
        limiter.await(ctx); // pay for the call now that it is done: the next one waits if the bucket is empty
        return reply;
    }

    public Optional<String> tryCall(Context ctx, String request) throws Exception {
        if (!limiter.allow()) {
            return Optional.empty();
        }
        return Optional.of(backend.call(ctx, request));
    }
}
