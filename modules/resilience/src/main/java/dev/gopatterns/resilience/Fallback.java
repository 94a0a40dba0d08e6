package dev.gopatterns.resilience;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a call returns instead of failing: a value, or a function of the failure (a cached answer, a default, a
 * degraded result). It wraps the outermost layer of a call, outside any {@link Policy}:
 *
 * <pre>{@code
 * Fallback<Quote> lastKnown = Fallback.to((ctx, error) -> cache.lastQuote(sku))
 *         .on(CallNotPermittedException.class, CallTimeoutException.class, IOException.class);
 * Quote q = lastKnown.call(ctx, c -> policy.call(c, c2 -> prices.quote(c2, sku)));
 * }</pre>
 *
 * <p>What it never replaces, whatever {@link #on} says: the caller's own cancellation (the body failed with
 * {@code ctx}'s error, or anything once {@code ctx} has ended: the caller asked to stop, and a made-up value is
 * not an answer to that), an {@link InterruptedException}, and an {@link Error}. By default it replaces every other
 * exception. A fallback function that throws fails the call with its exception, the body's failure suppressed in
 * it.
 *
 * <p>Go equivalent: {@code v, err := f(ctx); if err != nil && ctx.Err() == nil { v, err = fallback(err) }};
 * failsafe-go's {@code fallback.WithFunc}.
 *
 * <p>Immutable and thread-safe. Memory consistency effects: the body and the fallback run in the calling thread,
 * one after the other; nothing beyond program order is involved.
 *
 * @param <T> the call's value
 */
public final class Fallback<T> {

    /** Computes the value that replaces a failure. */
    @FunctionalInterface
    public interface Function<T> {
        T apply(Context ctx, Exception failure) throws Exception;
    }

    private final Function<? extends T> fallback;
    private final Predicate<? super Exception> on;

    private Fallback(Function<? extends T> fallback, Predicate<? super Exception> on) {
        this.fallback = fallback;
        this.on = on;
    }

    /** A fallback to {@code value} (which may be {@code null}, if that is what the caller wants). */
    public static <T> Fallback<T> to(T value) {
        return new Fallback<>((ctx, e) -> value, e -> true);
    }

    /** A fallback to what {@code fallback} computes from the failure. */
    public static <T> Fallback<T> to(Function<? extends T> fallback) {
        return new Fallback<>(Objects.requireNonNull(fallback, "fallback"), e -> true);
    }

    /** The same fallback, used only for failures {@code which} accepts; others are thrown as they are. */
    public Fallback<T> on(Predicate<? super Exception> which) {
        return new Fallback<>(fallback, Objects.requireNonNull(which, "which"));
    }

    /** The same fallback, used only for failures that are instances of one of {@code types}. */
    @SafeVarargs
    public final Fallback<T> on(Class<? extends Exception>... types) {
        List<Class<? extends Exception>> list = List.of(types);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("fallback: on(...) needs at least one exception type");
        }
        return on(e -> list.stream().anyMatch(t -> t.isInstance(e)));
    }

    /**
     * Runs {@code body}; if it fails with an exception the fallback covers, returns the fallback's value instead.
     *
     * @throws Exception what the body threw, if the fallback does not cover it, or what the fallback threw
     */
    public T call(Context ctx, Policy.Body<? extends T> body) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(body, "body");
        try {
            return body.call(ctx);
        } catch (Exception e) {
            if (!covers(ctx, e)) {
                throw e;
            }
            try {
                return fallback.apply(ctx, e);
            } catch (Exception fallbackFailed) {
                if (fallbackFailed != e && !(fallbackFailed instanceof ContextException)) { // shared: never add
                    fallbackFailed.addSuppressed(e);
                }
                throw fallbackFailed;
            }
        }
    }

    private boolean covers(Context ctx, Exception e) {
        return !(e instanceof InterruptedException) && !ctx.isDone() && on.test(e);
    }
}
