package dev.gopatterns.chan;

/**
 * A Go channel: a typed conduit through which one thread sends values and another receives them, with Go's rules
 * for closing. Unbuffered channels are a rendezvous: {@code send} completes only when a receiver has taken the value.
 * Buffered channels hold up to {@link #capacity()} values; {@code send} blocks only when the buffer is full.
 *
 * <p>Go equivalent: {@code make(chan T)} is {@link #unbuffered()} and {@code make(chan T, n)} is {@link #make(int)}.
 *
 * <h2>Memory consistency effects</h2>
 * The happens-before rules of the Go memory model, all provided (every operation runs under the channel's lock,
 * and a parked thread is released by a volatile write):
 * <ul>
 *   <li>Actions in a thread prior to a send happen-before actions subsequent to the matching receive.
 *   <li>Actions prior to {@link #close()} happen-before a receive that reports the channel closed.
 *   <li>On an unbuffered channel, actions prior to a receive happen-before the completion of the matching send.
 *   <li>On a channel of capacity C, the k-th receive happens-before the (k+C)-th send completes (which is what makes
 *       a buffered channel usable as a counting semaphore).
 * </ul>
 *
 * <h2>Compared with {@link java.util.concurrent.BlockingQueue}</h2>
 * An unbuffered channel corresponds to {@link java.util.concurrent.SynchronousQueue} ({@code put} waits for a
 * {@code take}); a buffered one to {@link java.util.concurrent.ArrayBlockingQueue} (a bounded FIFO ring). The queues
 * are not enough to be channels, for two reasons: they cannot be <em>closed</em>, so a consumer cannot learn that
 * no more values will come (the usual workaround, a "poison pill", breaks with several consumers); and there is no
 * <em>select</em>, no way to wait on several queues at once and take exactly one thing from exactly one of them.
 *
 * <h2>Where it differs from Go</h2>
 * <ul>
 *   <li>{@code null} is not a value: Java has no zero value to deliver, so sends of {@code null} are rejected and a
 *       receive from a closed channel reports {@link Received.Closed} (or throws, in the {@link #receive()} form).
 *   <li>Blocking operations are interruptible and throw {@link InterruptedException}, following the single policy
 *       in docs/interruption.md. Go has no interrupts; it uses a {@code context} in a {@code select}.
 *   <li>Go's {@code len}, {@code cap} and {@code close} are the methods {@link #length()}, {@link #capacity()} and
 *       {@link #close()}; Go's nil channel is {@link #nil()}.
 * </ul>
 *
 * @param <T> the element type
 */
public sealed interface Channel<T> extends SendChannel<T>, ReceiveChannel<T> permits HChan, NilChannel {

    /**
     * Creates a channel with {@code capacity} buffer slots; 0 makes an unbuffered channel.
     * Go: {@code make(chan T, capacity)}.
     *
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    static <T> Channel<T> make(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        return new HChan<>(capacity);
    }

    /** Creates an unbuffered channel: every send waits for its receiver. Go: {@code make(chan T)}. */
    static <T> Channel<T> unbuffered() {
        return new HChan<>(0);
    }

    /**
     * Creates a buffered channel holding up to {@code capacity} values.
     *
     * @throws IllegalArgumentException if {@code capacity < 1} (use {@link #unbuffered()} for 0)
     */
    static <T> Channel<T> buffered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "a buffered channel's capacity must be >= 1, was " + capacity + " (use unbuffered() for 0)");
        }
        return new HChan<>(capacity);
    }

    /**
     * Go's nil channel: sends and receives block until interrupted, {@code close} throws
     * {@link ChannelClosedException} ("close of nil channel", Go's panic), and in a {@link Select}
     * its cases are never ready. Setting a variable to {@code nil()} is how a select loop disables one of its cases.
     */
    static <T> Channel<T> nil() {
        return NilChannel.instance();
    }

    /** A view of this channel that can only send and close, and cannot be cast back to a {@code Channel}. */
    SendChannel<T> sendOnly();

    /** A view of this channel that can only receive, and cannot be cast back to a {@code Channel}. */
    ReceiveChannel<T> receiveOnly();
}
