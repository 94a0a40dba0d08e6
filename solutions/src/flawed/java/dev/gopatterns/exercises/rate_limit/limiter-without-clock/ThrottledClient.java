/*
 * Flawed solution of exercise `rate_limit`.
 * Mistake: the constructor makes new Limiter(perSecond, burst) without the client's clock, so the limiter measures and waits on the wall clock.
 * Verdict: it waited, but not on the client's clock
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
        this.limiter = new Limiter(perSecond, burst); // measures time on its own
    }

    public String call(Context ctx, String request) throws Exception {
        limiter.await(ctx);
        return backend.call(ctx, request);
    }

    public Optional<String> tryCall(Context ctx, String request) throws Exception {
        if (!limiter.allow()) {
            return Optional.empty();
        }
        return Optional.of(backend.call(ctx, request));
    }
}
