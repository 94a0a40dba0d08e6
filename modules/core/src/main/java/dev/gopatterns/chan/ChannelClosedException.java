package dev.gopatterns.chan;

/**
 * Thrown when an operation breaks one of Go's rules for closing channels. It is the one type for every panic Go's
 * runtime raises from a send or close, and its message is Go's:
 *
 * <table>
 *   <caption>Which operation throws it</caption>
 *   <tr><th>Go panic (the message)</th><th>thrown by</th></tr>
 *   <tr><td>{@code send on closed channel}</td><td>every send form and a chosen {@code onSend} case, on a closed
 *       channel or one closed while the send waits</td></tr>
 *   <tr><td>{@code close of closed channel}</td><td>{@link SendChannel#close()} on a closed channel</td></tr>
 *   <tr><td>{@code close of nil channel}</td><td>{@link SendChannel#close()} on {@link Channel#nil()}</td></tr>
 * </table>
 *
 * <p>It is also thrown by the receive forms that have no way to report "closed" ({@link ReceiveChannel#receive()},
 * a chosen {@code onReceive} case) on a closed, drained channel. That is not a panic in Go: {@code <-ch} returns
 * the zero value with {@code ok == false}, which {@link ReceiveChannel#receiveOrClosed()} reproduces without an
 * exception.
 *
 * <p>Go equivalent: the runtime panics above ({@code runtime.plainError} in {@code chan.go}). Like them it reports a
 * bug in the program, not a state to recover from: in particular, catching it around {@code close()} to make a
 * second close harmless also hides a close of the nil channel, which is the same family of mistake.
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

    static ChannelClosedException closeOfNil() {
        return new ChannelClosedException("close of nil channel");
    }

    static ChannelClosedException receiveFromClosed() {
        return new ChannelClosedException(
                "receive from closed channel: it is closed and drained (use receiveOrClosed() to get Closed instead)");
    }
}
