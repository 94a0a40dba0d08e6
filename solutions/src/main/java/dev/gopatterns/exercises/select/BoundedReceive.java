package dev.gopatterns.exercises.select;

import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Exercise `select`, reference solution: receives that do not wait forever, written with {@code select}.
 *
 * <p>Each method is one select whose cases all return an {@code Optional<T>}: the receive case wraps the value,
 * and the timeout or default case says "nothing". Select performs exactly one case, so a value is never both
 * received and reported as a timeout, and a case that does not fire takes nothing from the channel.
 *
 * <p>The timeout is measured on the {@code clock} passed in, never read from the wall: in production that is
 * {@code Clock.system()}; in the tests a {@code FakeClock}, which moves only when the test advances it, so "the
 * timeout passes" happens exactly when the test says and never by accident on a slow machine.
 *
 * <p>How to run: {@code ./learn check select --solution}
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
        return Select.select(
                in.onReceive(Optional::of),                           // case v := <-in: return v
                Select.after(timeout, clock, Optional::<T>empty));    // case <-time.After(timeout): nothing
    }

    /**
     * Receives a value from {@code in} only if one is ready now; never waits.
     * Go: {@code select { case v := <-in: ...; default: ... }}.
     *
     * @return the value, or empty if none was ready
     * @throws ChannelClosedException if {@code in} is closed and drained
     */
    public static <T> Optional<T> poll(ReceiveChannel<T> in) {
        // selectNow is a select whose first argument is its default case. Because it can never block, it cannot be
        // interrupted and declares no InterruptedException, unlike select(..., Select.defaultCase(...)).
        return Select.selectNow(
                Optional::<T>empty,                                   // default: nothing ready, do not wait
                in.onReceive(Optional::of));                          // case v := <-in: return v
    }
}
