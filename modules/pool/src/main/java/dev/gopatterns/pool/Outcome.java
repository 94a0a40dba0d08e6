package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import java.util.Optional;

/**
 * A result set once, and a channel closed after it is set: the completion side of the {@link Scheduler}'s handles.
 * The result is published by the volatile write; the channel's close happens after it, so whoever is woken by the
 * close, or finds the channel closed, reads the result.
 */
final class Outcome<T> {
    private final Channel<Void> done = Channel.unbuffered();
    private volatile Result<T> result;

    /** Sets the result if it is not set yet, then closes the channel; returns whether this call set it. */
    boolean complete(Result<T> r) {
        synchronized (this) {
            if (result != null) {
                return false;
            }
            result = r;
        }
        done.close();
        return true;
    }

    Optional<Result<T>> tryResult() {
        return Optional.ofNullable(result);
    }

    Result<T> await() throws InterruptedException {
        Result<T> r = result;
        if (r != null) {
            return r;
        }
        done.receiveOrClosed();
        return result;
    }

    ReceiveChannel<Void> done() {
        return done.receiveOnly();
    }
}
