package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Exercise `select`: receives that do not wait forever, written with {@code select}.
 *
 * <p>A plain receive waits as long as it takes. Go bounds the wait with {@code select}, which waits for the first
 * of several cases to be ready: add a {@code time.After} case and the wait ends when the time is up; add a
 * {@code default} case and it does not wait at all. In gopatterns the cases are {@code in.onReceive(...)},
 * {@code Select.after(timeout, clock, ...)} and {@code Select.defaultCase(...)}, and {@code Select.select(...)}
 * performs exactly one of them and returns what that case's handler returns. {@code Select.selectNow(otherwise,
 * cases...)} is a select whose first argument is its default case.
 *
 * <p>(ReceiveChannel's own {@code receive(Duration)} and {@code tryReceive()} do the same jobs. Here, build them
 * from select: once you can, adding one more case, say a cancel channel, is one more line.)
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check select}
 */
public final class BoundedReceive {

    private BoundedReceive() {}

    /**
     * Receives the first value from {@code in}, waiting at most {@code timeout} as measured by {@code clock}.
     * Go: {@code select { case v := <-in: ...; case <-time.After(timeout): ... }}.
     *
     * @return the value, or empty if {@code timeout} passed first
     * @throws ChannelClosedException if {@code in} is closed (and drained) before a value comes: a closed channel
     *                                will never deliver, and that is not a timeout
     * @throws InterruptedException   if the thread is interrupted while waiting
     */
    public static <T> Optional<T> firstOrTimeout(ReceiveChannel<T> in, Duration timeout, Clock clock)
            throws InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: firstOrTimeout: select between in.onReceive and Select.after(..., clock, ...)");
    }

    /**
     * Receives a value from {@code in} only if one is ready now; never waits.
     * Go: {@code select { case v := <-in: ...; default: ... }}.
     *
     * @return the value, or empty if none was ready
     * @throws ChannelClosedException if {@code in} is closed and drained
     */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        throw new UnsupportedOperationException(
                "TODO: poll: select between in.onReceive and a default case");
    }
}
