package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One case of a {@link Select}: what to try, and what to compute if it is the one chosen. Created by
 * {@link ReceiveChannel#onReceive}, {@link ReceiveChannel#onReceiveOrClosed}, {@link SendChannel#onSend},
 * {@link Select#after}, {@link Select#defaultCase}, and by library types for their own blocking operations
 * through {@link Selectable} (a semaphore's {@code onAcquire}). A case is an immutable description and may be reused in
 * many selects; its handler runs in the selecting thread, after every channel lock has been released.
 *
 * @param <R> what the handler returns, and so what {@code select} returns when this case fires
 */
public final class SelectCase<R> {

    enum Kind { RECEIVE, RECEIVE_OR_CLOSED, SEND, CLAUSE, AFTER, DEFAULT }

    final Kind kind;
    /**
     * The channel (RECEIVE, RECEIVE_OR_CLOSED, SEND) or {@link Selectable} (CLAUSE); {@code null} for AFTER,
     * DEFAULT, and never-ready cases (the nil channel).
     */
    final WaitSource source;
    /** The value to send (SEND), or the operation's argument (CLAUSE). */
    final Object item;
    private final Function<Object, ? extends R> onValue;
    private final Supplier<? extends R> onReady;
    final long timeoutNanos;
    final Clock clock;

    private SelectCase(Kind kind, WaitSource source, Object item, Function<Object, ? extends R> onValue,
                       Supplier<? extends R> onReady, long timeoutNanos, Clock clock) {
        this.kind = kind;
        this.source = source;
        this.item = item;
        this.onValue = onValue;
        this.onReady = onReady;
        this.timeoutNanos = timeoutNanos;
        this.clock = clock;
    }

    @SuppressWarnings("unchecked")
    static <T, R> SelectCase<R> receive(HChan<T> chan, Function<? super T, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.RECEIVE, chan, null, v -> then.apply((T) v), null, 0, null);
    }

    static <T, R> SelectCase<R> receiveOrClosed(HChan<T> chan, Function<? super Received<T>, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.RECEIVE_OR_CLOSED, chan, null, v -> then.apply(HChan.<T>received(v)), null, 0,
                null);
    }

    static <R> SelectCase<R> send(HChan<?> chan, Object value, Supplier<? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.SEND, chan, value, null, then, 0, null);
    }

    static <A, R> SelectCase<R> clause(Selectable<A> source, A argument, Supplier<? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.CLAUSE, source, argument, null, then, 0, null);
    }

    static <R> SelectCase<R> after(Duration timeout, Clock clock, Supplier<? extends R> then) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.AFTER, null, null, null, then, Clock.toNanosSaturated(timeout), clock);
    }

    static <R> SelectCase<R> otherwise(Supplier<? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return new SelectCase<>(Kind.DEFAULT, null, null, null, then, 0, null);
    }

    /** A case that is never ready: a receive or send on Go's nil channel, or an impossible clause. */
    static <R> SelectCase<R> never(Kind kind) {
        return new SelectCase<>(kind, null, null, null, null, 0, null);
    }

    /** Whether the select must lock {@link #source} and may wait on it. */
    boolean hasSource() {
        return source != null;
    }

    boolean isSend() {
        return kind == Kind.SEND;
    }

    /** Runs the handler of a receive case with a value or {@link HChan#CLOSED}. */
    R deliver(Object v) {
        if (v == HChan.CLOSED && kind == Kind.RECEIVE) {
            throw ChannelClosedException.receiveFromClosed();
        }
        return onValue.apply(v);
    }

    /** Runs the handler of a send, clause, timeout or default case. */
    R fire() {
        return onReady.get();
    }

    @Override
    public String toString() {
        return "SelectCase[" + kind + (source != null ? " " + source : kind == Kind.AFTER ? " " + timeoutNanos + "ns" : "")
                + "]";
    }
}
