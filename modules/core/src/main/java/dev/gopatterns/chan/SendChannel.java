package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The sending end of a channel. A method that takes a {@code SendChannel} can send and close, but cannot receive:
 * the compiler enforces the direction, and {@link Channel#sendOnly()} gives a view that cannot be cast back.
 *
 * <p>Go equivalent: {@code chan<- T}.
 *
 * <p>Memory consistency effects: actions in a thread prior to a send happen-before actions subsequent to the
 * receive of that value in another thread. Actions prior to {@link #close()} happen-before a receive that reports
 * the channel closed.
 *
 * @param <T> the element type; {@code null} is not a value (see {@link Channel})
 */
public sealed interface SendChannel<T> permits Channel, ChannelViews.SendOnly {

    /**
     * Sends {@code value}, blocking until a receiver takes it (unbuffered) or there is room in the buffer.
     *
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits
     *                                ("send on closed channel")
     * @throws InterruptedException   if the thread is interrupted before or while waiting; the value was then
     *                                not sent
     * @throws NullPointerException   if {@code value} is null
     */
    void send(T value) throws InterruptedException;

    /**
     * Sends {@code value} only if that can be done without blocking.
     *
     * @return {@code true} if sent; {@code false} if no receiver was waiting and the buffer was full
     * @throws ChannelClosedException if the channel is closed
     */
    boolean trySend(T value);

    /**
     * Sends {@code value}, waiting at most {@code timeout} on the {@linkplain Clock#system() system clock}.
     *
     * @return {@code true} if sent, {@code false} if the timeout elapsed first (the value was not sent)
     * @throws ChannelClosedException if the channel is or becomes closed
     */
    default boolean send(T value, Duration timeout) throws InterruptedException {
        return send(value, timeout, Clock.system());
    }

    /** {@link #send(Object, Duration)} measured on {@code clock}. */
    boolean send(T value, Duration timeout, Clock clock) throws InterruptedException;

    /**
     * Closes the channel: no more values may be sent. Values already buffered are still received; after them,
     * receivers see "closed". Every blocked receiver is woken; every blocked sender fails with
     * {@link ChannelClosedException}. Close is for the sending side to say "no more", never for a receiver.
     *
     * @throws ChannelClosedException if already closed ("close of closed channel"), or if this is the
     *                                {@linkplain Channel#nil() nil channel} ("close of nil channel")
     */
    void close();

    /** The number of values buffered and not yet received (Go: {@code len(ch)}); 0 for an unbuffered channel. */
    int length();

    /** The buffer size (Go: {@code cap(ch)}); 0 for an unbuffered channel. */
    int capacity();

    /**
     * A {@link Select} case that sends {@code value} and, if chosen, runs {@code then}.
     * Go equivalent: {@code case ch <- value:}. If the channel is closed the case is ready, and choosing it makes
     * {@code select} throw {@link ChannelClosedException}, as in Go.
     */
    <R> SelectCase<R> onSend(T value, Supplier<? extends R> then);
}
