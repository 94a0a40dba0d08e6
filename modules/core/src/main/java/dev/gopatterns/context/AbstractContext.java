package dev.gopatterns.context;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/** The base of every context; the parent chain is walked for values, deadlines and cancellation. */
abstract sealed class AbstractContext implements Context permits BackgroundCtx, CancelCtx, ValueCtx {

    /**
     * The nearest ancestor-or-self that can be cancelled, or {@code null} if none: Go's {@code parentCancelCtx}.
     * A {@link WithoutCancelCtx} cuts the chain.
     */
    abstract CancelCtx nearestCanceller();

    /** A short description in Go's style, e.g. {@code context.Background.WithCancel}. */
    abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}

/**
 * A context that is never cancelled: a root ({@link Context#background()}, {@link Context#todo()}), or
 * {@link Context#withoutCancel}, which keeps its parent's values and clock but not its cancellation.
 */
final class BackgroundCtx extends AbstractContext {
    static final BackgroundCtx SYSTEM = new BackgroundCtx(null, Clock.system(), "context.Background");
    static final BackgroundCtx TODO = new BackgroundCtx(null, Clock.system(), "context.TODO");

    /** Where values come from; null for a root. */
    private final AbstractContext valuesFrom;
    private final Clock clock;
    private final String name;

    BackgroundCtx(Clock clock, String name) {
        this(null, clock, name);
    }

    private BackgroundCtx(AbstractContext valuesFrom, Clock clock, String name) {
        this.valuesFrom = valuesFrom;
        this.clock = clock;
        this.name = name;
    }

    static BackgroundCtx withoutCancel(Context parent) {
        AbstractContext p = (AbstractContext) java.util.Objects.requireNonNull(parent, "parent");
        return new BackgroundCtx(p, p.clock(), p.describe() + ".WithoutCancel");
    }

    @Override
    public ReceiveChannel<Void> done() {
        return Channel.nil();
    }

    @Override
    public Optional<ContextException> err() {
        return Optional.empty();
    }

    @Override
    public Optional<Throwable> cause() {
        return Optional.empty();
    }

    @Override
    public OptionalLong deadline() {
        return OptionalLong.empty();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public <V> Optional<V> value(Key<V> key) {
        return valuesFrom == null ? Optional.empty() : valuesFrom.value(key);
    }

    @Override
    CancelCtx nearestCanceller() {
        return null; // never cancelled, and cuts the chain to any cancellable ancestor
    }

    @Override
    String describe() {
        return name;
    }
}

/** {@link Context#withValue}. */
final class ValueCtx<T> extends AbstractContext {
    private final AbstractContext parent;
    private final Key<T> key;
    private final T val;

    ValueCtx(Context parent, Key<T> key, T val) {
        this.parent = (AbstractContext) java.util.Objects.requireNonNull(parent, "parent");
        this.key = java.util.Objects.requireNonNull(key, "key");
        this.val = java.util.Objects.requireNonNull(val, "value (a context value may not be null)");
    }

    @Override
    public ReceiveChannel<Void> done() {
        return parent.done();
    }

    @Override
    public Optional<ContextException> err() {
        return parent.err();
    }

    @Override
    public Optional<Throwable> cause() {
        return parent.cause();
    }

    @Override
    public OptionalLong deadline() {
        return parent.deadline();
    }

    @Override
    public Clock clock() {
        return parent.clock();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> Optional<V> value(Key<V> k) {
        return k == key ? Optional.of((V) val) : parent.value(k);
    }

    @Override
    CancelCtx nearestCanceller() {
        return parent.nearestCanceller();
    }

    @Override
    String describe() {
        return parent.describe() + ".WithValue(" + key + ")";
    }
}
