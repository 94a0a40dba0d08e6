/*
 * Flawed solution of exercise `rate_limit`.
 * Mistake: call reserves a token and sleeps on the clock until it is due (Go's Reserve, then time.Sleep(r.Delay())), so cancelling the caller's context does not end the wait.
 * Verdict: wait with the caller's context, limiter.await(ctx), so that its end stops the wait
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
    private final Clock clock;

    public ThrottledClient(Backend backend, double perSecond, int burst, Clock clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.limiter = new Limiter(perSecond, burst, clock);
        this.clock = clock;
    }

    public String call(Context ctx, String request) throws Exception {
        ctx.throwIfDone();
        Limiter.Reservation token = limiter.reserve();
        long due = clock.nanoTime() + token.delay().toNanos();
        while (clock.nanoTime() - due < 0) { // Go: time.Sleep(r.Delay())
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            clock.parkUntil(due, this);
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
