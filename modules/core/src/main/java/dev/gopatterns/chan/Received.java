package dev.gopatterns.chan;

import java.util.Objects;

/**
 * The outcome of a receive that waits until it has one: a {@link Value} or, once the channel is closed and
 * drained, {@link Closed}. Never {@code null}.
 *
 * <p>Go equivalent: {@code v, ok := <-ch}, where {@code ok == false} is {@link Closed}.
 *
 * <pre>{@code
 * switch (ch.receiveOrClosed()) {
 *     case Received.Value<String>(var v) -> handle(v);
 *     case Received.Closed<String>()     -> finish();
 * }
 * }</pre>
 *
 * @param <T> the element type
 */
public sealed interface Received<T> extends TryReceived<T> permits Received.Value, Received.Closed {

    /** A value taken from the channel. */
    record Value<T>(T value) implements Received<T> {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The channel is closed and every buffered value has been received. */
    record Closed<T>() implements Received<T> {}

    /** The shared {@link Closed} instance. */
    @SuppressWarnings("unchecked")
    static <T> Closed<T> closed() {
        return (Closed<T>) Singletons.CLOSED;
    }
}

/** Shared immutable results; records without components are all equal, so sharing one is invisible. */
final class Singletons {
    static final Received.Closed<?> CLOSED = new Received.Closed<>();
    static final TryReceived.NotReady<?> NOT_READY = new TryReceived.NotReady<>();

    private Singletons() {}
}
