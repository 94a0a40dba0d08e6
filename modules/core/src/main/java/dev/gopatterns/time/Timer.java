package dev.gopatterns.time;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.chan.ReceiveChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A single event in the future, delivered on a channel: when the timer fires, the clock's current
 * {@link Clock#nanoTime()} is sent on {@link #channel()}.
 *
 * <pre>{@code
 * Timer t = Timer.start(clock, Duration.ofSeconds(1));
 * Select.select(results.onReceive(r -> r), t.channel().onReceive(now -> "timeout"));
 * t.stop();
 * }</pre>
 *
 * <p>Go equivalent: {@code time.NewTimer}, {@code t.C}, {@code t.Stop()}, {@code t.Reset(d)}; {@link #after} is
 * {@code time.After}. Like Go 1.23 and later, no stale value is received after {@link #stop} or {@link #reset}
 * returns. No thread is created per timer: it is a task on the clock's shared timer.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code start} or {@code reset} happen-before the
 * receive of the value that arming sends (the send and receive are a channel's, with its guarantee).
 */
public final class Timer {
    private final Clock clock;
    private final Channel<Long> c = Channel.buffered(1);
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private Clock.Scheduled scheduled;
    /** Guarded by lock: bumped by stop/reset so that a firing from an older arming is ignored. */
    private long generation;

    private Timer(Clock clock) {
        this.clock = clock;
    }

    /** A timer that fires once after {@code d} on {@code clock}. Go: {@code time.NewTimer(d)}. */
    public static Timer start(Clock clock, Duration d) {
        Objects.requireNonNull(clock, "clock");
        Timer t = new Timer(clock);
        t.reset(d);
        return t;
    }

    /** A timer on the system clock. */
    public static Timer start(Duration d) {
        return start(Clock.system(), d);
    }

    /** A channel that receives the time once, after {@code d}. Go: {@code time.After(d)}. */
    public static ReceiveChannel<Long> after(Clock clock, Duration d) {
        return start(clock, d).channel();
    }

    /** {@link #after(Clock, Duration)} on the system clock. */
    public static ReceiveChannel<Long> after(Duration d) {
        return after(Clock.system(), d);
    }

    /** The channel the time is sent on when the timer fires. Go: {@code t.C}. */
    public ReceiveChannel<Long> channel() {
        return c.receiveOnly();
    }

    /**
     * Prevents the timer from firing and discards a value it sent but nobody received.
     *
     * @return {@code true} if this call stopped the timer before its value was received: it was pending, or it had
     *         fired but nobody had received the value yet (Go 1.23+); {@code false} if the value was received or
     *         the timer was already stopped
     */
    public boolean stop() {
        lock.lock();
        try {
            generation++;
            boolean wasPending = scheduled != null && scheduled.cancel();
            scheduled = null;
            boolean discarded = c.tryReceive() instanceof Received.Value<Long>;
            return wasPending || discarded; // no stale value after stop returns
        } finally {
            lock.unlock();
        }
    }

    /**
     * Re-arms the timer to fire after {@code d}, discarding any pending or unreceived firing.
     *
     * @return {@code true} if the timer was pending, or had fired with its value not yet received, when reset
     */
    public boolean reset(Duration d) {
        Objects.requireNonNull(d, "duration");
        long nanos = Clock.toNanosSaturated(d);
        lock.lock();
        try {
            boolean wasPending = stop();
            long gen = generation;
            scheduled = clock.schedule(nanos, () -> fire(gen));
            return wasPending;
        } finally {
            lock.unlock();
        }
    }

    private void fire(long gen) {
        lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            scheduled = null;
            c.trySend(clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }
}
