package dev.gopatterns.resilience;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * A time limit on one call: the body runs under a child context whose deadline is {@code limit} from the start of
 * the call (or the caller's, if that comes first), and its thread is interrupted when the child ends, so a body
 * blocked in an interruptible wait ({@code receive}, {@code sleep}, a {@code select}, interruptible I/O) stops
 * promptly even if it never looks at its context ({@link Context#call}).
 *
 * <p>If the limit passes, the call throws {@link CallTimeoutException} (whatever the body threw in response
 * becomes its cause): a timeout is the service's failure, one a {@link Retry} may retry and a
 * {@link CircuitBreaker} counts. If the caller's own context ended first, the call throws that context's error
 * instead, which no policy counts against the service. A body that returns a value, even late, returns it: as in
 * Go, the deadline is a request to stop, and a result that arrived is not thrown away.
 *
 * <pre>{@code
 * Quote q = Timeout.of(Duration.ofMillis(200)).call(ctx, c -> prices.quote(c, sku));
 * }</pre>
 *
 * <p>Go equivalent: {@code ctx, cancel := context.WithTimeout(ctx, limit); defer cancel(); return f(ctx)}. Go
 * cannot interrupt a goroutine, so a Go body that ignores {@code ctx} runs on; here its blocking calls are
 * interrupted, and a body that ignores both its context and interrupts still runs to its end before the call
 * returns (nothing is abandoned in the background).
 *
 * <p>Memory consistency effects: the body runs in the caller's thread: nothing beyond program order is needed.
 */
public final class Timeout implements Policy {
    private final Duration limit;

    private Timeout(Duration limit) {
        this.limit = limit;
    }

    /** A limit of {@code limit} per call. @throws IllegalArgumentException if it is not positive */
    public static Timeout of(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout: the limit must be > 0, was " + limit);
        }
        return new Timeout(limit);
    }

    /** The limit per call. */
    public Duration limit() {
        return limit;
    }

    /**
     * Runs {@code body} with at most {@link #limit()} to finish.
     *
     * @throws CallTimeoutException if the limit passed before the body returned
     * @throws dev.gopatterns.context.ContextException the caller's context's error, if it ended first
     * @throws Exception what the body threw, within the limit
     */
    @Override
    public <T> T call(Context ctx, Body<? extends T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        ctx.throwIfDone();
        try (CancellableContext limited = Context.withTimeout(ctx, limit)) {
            try {
                return Context.call(limited, () -> body.call(limited));
            } catch (Exception e) {
                if (limited.isDone() && !ctx.isDone()) {
                    throw new CallTimeoutException(limit, e);
                }
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "Timeout.of(" + limit + ")";
    }
}
