package dev.gopatterns.chan;

/**
 * The outcome of a receive that may give up: a {@link Received.Value}, {@link Received.Closed}, or
 * {@link NotReady} when nothing could be received without blocking ({@link ReceiveChannel#tryReceive()}) or
 * before the timeout ({@link ReceiveChannel#receive(java.time.Duration)}). Never {@code null}.
 *
 * <p>Go equivalent: a receive inside {@code select} with a {@code default} or {@code time.After} case.
 *
 * <pre>{@code
 * switch (ch.tryReceive()) {
 *     case Received.Value<Job>(var job) -> run(job);
 *     case Received.Closed<Job>()       -> stop();
 *     case TryReceived.NotReady<Job>()  -> doSomethingElse();
 * }
 * }</pre>
 *
 * @param <T> the element type
 */
public sealed interface TryReceived<T> permits Received, TryReceived.NotReady {

    /** Nothing was received: the channel was open but had nothing to give before the call gave up. */
    record NotReady<T>() implements TryReceived<T> {}

    /** The shared {@link NotReady} instance. */
    @SuppressWarnings("unchecked")
    static <T> NotReady<T> notReady() {
        return (NotReady<T>) Singletons.NOT_READY;
    }
}
