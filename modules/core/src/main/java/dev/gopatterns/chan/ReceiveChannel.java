package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The receiving end of a channel. A method that takes a {@code ReceiveChannel} can receive but cannot send or
 * close: the compiler enforces the direction, and {@link Channel#receiveOnly()} gives a view that cannot be cast back.
 *
 * <p>Go equivalent: {@code <-chan T}.
 *
 * <p>Memory consistency effects: actions in a thread prior to a send happen-before actions subsequent to the
 * receive of that value in another thread; actions prior to {@code close} happen-before a receive that reports
 * {@link Received.Closed}.
 *
 * <p>Iterating is receiving: {@code for (T v : ch)} takes values until the channel is closed and drained, like
 * Go's {@code for v := range ch}. Two loops over one channel compete for its values, as two Go loops do.
 *
 * @param <T> the element type
 */
public sealed interface ReceiveChannel<T> extends Iterable<T> permits Channel, ChannelViews.ReceiveOnly {

    /**
     * Receives a value, blocking until one is available.
     *
     * @throws ChannelClosedException if the channel is closed and drained (Go would return the zero value;
     *                                use {@link #receiveOrClosed()} to get {@link Received.Closed} instead)
     * @throws InterruptedException   if the thread is interrupted before or while waiting; nothing was received
     */
    T receive() throws InterruptedException;

    /**
     * Receives a value, or reports that the channel is closed and drained. Go: {@code v, ok := <-ch}.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting; nothing was received
     */
    Received<T> receiveOrClosed() throws InterruptedException;

    /**
     * Receives a value only if that can be done without blocking.
     *
     * @return a value, {@link Received.Closed} if closed and drained, or {@link TryReceived.NotReady}
     */
    TryReceived<T> tryReceive();

    /**
     * Receives a value, waiting at most {@code timeout} on the {@linkplain Clock#system() system clock}.
     *
     * @return a value, {@link Received.Closed}, or {@link TryReceived.NotReady} if the timeout elapsed first
     */
    default TryReceived<T> receive(Duration timeout) throws InterruptedException {
        return receive(timeout, Clock.system());
    }

    /** {@link #receive(Duration)} measured on {@code clock}. */
    TryReceived<T> receive(Duration timeout, Clock clock) throws InterruptedException;

    /** The number of values buffered and not yet received (Go: {@code len(ch)}). */
    int length();

    /** The buffer size (Go: {@code cap(ch)}); 0 for an unbuffered channel. */
    int capacity();

    /**
     * A {@link Select} case that receives a value and, if chosen, applies {@code then} to it.
     * Go equivalent: {@code case v := <-ch:}. A closed, drained channel makes the case ready, and choosing it makes
     * {@code select} throw {@link ChannelClosedException}; use {@link #onReceiveOrClosed} to handle closing.
     */
    <R> SelectCase<R> onReceive(Function<? super T, ? extends R> then);

    /**
     * A {@link Select} case that receives a value or {@link Received.Closed} and, if chosen, applies {@code then}.
     * Go equivalent: {@code case v, ok := <-ch:}.
     */
    <R> SelectCase<R> onReceiveOrClosed(Function<? super Received<T>, ? extends R> then);

    /**
     * An iterator that receives until the channel is closed and drained. {@code hasNext()} blocks.
     * If the thread is interrupted while blocked, {@code hasNext()} re-asserts the interrupt flag and throws
     * {@link UncheckedInterruptedException}: {@link Iterator} cannot declare {@link InterruptedException}.
     */
    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    switch (receiveOrClosed()) {
                        case Received.Value<T>(T v) -> next = v;
                        case Received.Closed<T>() -> done = true;
                    }
                } catch (InterruptedException e) {
                    throw new UncheckedInterruptedException(e);
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed and drained");
                }
                T v = next;
                next = null;
                return v;
            }
        };
    }

    /**
     * A sequential, lazy stream of the values received until the channel is closed and drained. Each element
     * pulled from the stream is a receive; interrupts surface as {@link UncheckedInterruptedException}.
     */
    default Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
