package dev.gopatterns.chan;

/**
 * Thrown when an operation breaks Go's rules for closed channels: sending on a closed channel, closing a channel
 * twice, or receiving with a form that has no way to report "closed" (such as {@link ReceiveChannel#receive()}).
 *
 * <p>Go equivalent: the runtime panics {@code "send on closed channel"} and {@code "close of closed channel"}; a
 * receive from a closed, drained channel returns the zero value with {@code ok == false}, which
 * {@link ReceiveChannel#receiveOrClosed()} reproduces without an exception.
 */
public final class ChannelClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ChannelClosedException(String rule) {
        super(rule);
    }

    static ChannelClosedException sendOnClosed() {
        return new ChannelClosedException("send on closed channel");
    }

    static ChannelClosedException closeOfClosed() {
        return new ChannelClosedException("close of closed channel");
    }

    static ChannelClosedException receiveFromClosed() {
        return new ChannelClosedException(
                "receive from closed channel: it is closed and drained (use receiveOrClosed() to get Closed instead)");
    }
}
