package dev.gopatterns.resilience;

import dev.gopatterns.context.Context;
import java.util.List;
import java.util.Objects;

/**
 * Something that runs a call on a caller's behalf and may refuse it, repeat it, limit it or cut it short: a
 * {@link Retry}, a {@link CircuitBreaker}, a {@link Bulkhead}, a {@link Timeout}. Policies nest, the outer one
 * seeing what the inner one does:
 *
 * <pre>{@code
 * Policy policy = Policy.compose(retry, breaker, bulkhead, Timeout.of(Duration.ofSeconds(2)));
 * Quote q = policy.call(ctx, c -> prices.quote(c, sku));
 * // is retry.call(ctx, c1 -> breaker.call(c1, c2 -> bulkhead.call(c2, c3 -> timeout.call(c3, c -> ...))))
 * }</pre>
 *
 * <p>The usual order, outermost first, is Failsafe's and resilience4j's: fallback (a {@link Fallback}, which is
 * typed and so wraps the composed call rather than joining it), retry, circuit breaker, bulkhead, timeout. The
 * retry sees the breaker's refusals and the timeouts as failures it may retry; the breaker counts a timed-out call
 * as failed; the timeout covers one attempt, not all of them (put a deadline on {@code ctx} for that).
 *
 * <p>Every policy passes the call's context to the body (the {@link Timeout} a child of it), never swallows an
 * interrupt, and treats the caller's cancellation as the caller's, not the service's: a call whose context ended
 * throws the context's error and is not counted against the service.
 *
 * <p>Go equivalent: none as a type: Go wraps {@code func(ctx context.Context) (T, error)} in functions of the same
 * shape (failsafe-go's {@code failsafe.Get(fn, policies...)} is the same composition).
 *
 * <p>Memory consistency effects: the body runs in the calling thread (a {@link Retry} runs every attempt there),
 * so actions before {@code call} happen-before the body's, and the body's happen-before {@code call} returns. A
 * policy's shared state (a breaker's window, a bulkhead's units) is guarded by the policy itself.
 */
@FunctionalInterface
public interface Policy {

    /** One call of the protected operation; it is given the call's context. */
    @FunctionalInterface
    interface Body<T> {
        T call(Context ctx) throws Exception;
    }

    /**
     * Runs {@code body} under this policy.
     *
     * @throws Exception what the body threw (or a policy's own refusal, such as {@link CallNotPermittedException})
     */
    <T> T call(Context ctx, Body<? extends T> body) throws Exception;

    /** No policy: the body is called once, as it is. */
    static Policy none() {
        return Composed.NONE;
    }

    /** The policies nested, the first outermost; {@code compose()} is {@link #none()}. */
    static Policy compose(Policy... outerFirst) {
        List<Policy> list = List.of(outerFirst); // null-hostile
        return switch (list.size()) {
            case 0 -> none();
            case 1 -> list.getFirst();
            default -> new Composed(list);
        };
    }

    /** The body {@code inner} protects, run under this policy too: {@code this} outside, {@code inner} inside. */
    default Policy around(Policy inner) {
        return compose(this, Objects.requireNonNull(inner, "inner"));
    }
}

/** Policies nested, the first outermost. */
final class Composed implements Policy {
    static final Policy NONE = new Composed(List.of());

    private final List<Policy> outerFirst;

    Composed(List<Policy> outerFirst) {
        this.outerFirst = outerFirst;
    }

    @Override
    public <T> T call(Context ctx, Body<? extends T> body) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(body, "body");
        return callFrom(0, ctx, body);
    }

    private <T> T callFrom(int i, Context ctx, Body<? extends T> body) throws Exception {
        if (i == outerFirst.size()) {
            return body.call(ctx);
        }
        return outerFirst.get(i).call(ctx, c -> callFrom(i + 1, c, body));
    }

    @Override
    public String toString() {
        return outerFirst.isEmpty() ? "Policy.none()" : "Policy.compose" + outerFirst;
    }
}
