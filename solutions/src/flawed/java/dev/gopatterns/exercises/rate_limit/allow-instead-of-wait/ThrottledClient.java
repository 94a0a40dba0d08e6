/*
 * Flawed solution of exercise `rate_limit`.
 * Mistake: call uses limiter.allow() and throws when no token is free, so a call after the burst is turned away instead of waiting for its token.
 * Verdict: call must wait for a token, limiter.await(ctx), not turn the call away
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
        if (!limiter.allow()) {
            throw new IllegalStateException("rate limited: no token free, try again later");
        }
        return backend.call(ctx, request);
    }

    public Optional<String> tryCall(Context ctx, String request) throws Exception {
        if (!limiter.allow()) {
            return Optional.empty();
        }
        return Optional.of(backend.call(ctx, request));
    }
}
