/*
 * Flawed solution of exercise `rate_limit`.
 * Mistake: call waits for a token in a loop of limiter.allow() and Thread.sleep(10), on the wall clock, which the client's clock never sees move.
 * Verdict: It does not wait on the client's clock
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
        while (!limiter.allow()) { // no token yet: try again in a moment
            ctx.throwIfDone();
            Thread.sleep(10);
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
