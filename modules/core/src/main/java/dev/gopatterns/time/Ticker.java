package dev.gopatterns.time;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.chan.ReceiveChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the time on {@link #channel()} every period. A slow receiver does not make ticks pile up: the channel holds
 * one tick, and ticks that find it full are dropped, as in Go.
 *
 * <p>Go equivalent: {@code time.NewTicker(d)}, {@code t.C}, {@code t.Stop()}, {@code t.Reset(d)}. Ticks are
 * scheduled at fixed multiples of the period from the start (no drift). A tick that runs late (a stalled timer
 * thread) skips the ticks it missed in one step, as Go's runtime does, and keeps the phase. No thread per ticker.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code every} or {@code reset} happen-before the
 * receive of any tick sent after it.
 */
public final class Ticker {
    private final Clock clock;
    private final Channel<Long> c = Channel.buffered(1);
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private Clock.Scheduled scheduled;
    /** Guarded by lock. */
    private long generation;
    /** Guarded by lock. */
    private long period;
    /** Guarded by lock: when the next tick is due. */
    private long next;

    private Ticker(Clock clock) {
        this.clock = clock;
    }

    /**
     * A ticker with the given period.
     *
     * @throws IllegalArgumentException if {@code period} is not positive ("non-positive interval for Ticker")
     */
    public static Ticker every(Clock clock, Duration period) {
        Objects.requireNonNull(clock, "clock");
        Ticker t = new Ticker(clock);
        t.reset(period);
        return t;
    }

    /** A ticker on the system clock. */
    public static Ticker every(Duration period) {
        return every(Clock.system(), period);
    }

    /** The channel ticks are sent on. */
    public ReceiveChannel<Long> channel() {
        return c.receiveOnly();
    }

    /** Stops the ticker; no tick is received after it returns. Does not close the channel, as in Go. */
    public void stop() {
        lock.lock();
        try {
            generation++;
            if (scheduled != null) {
                scheduled.cancel();
                scheduled = null;
            }
            c.tryReceive();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the ticker and restarts it with a new period, the first tick one period from now. */
    public void reset(Duration newPeriod) {
        Objects.requireNonNull(newPeriod, "period");
        if (newPeriod.isNegative() || newPeriod.isZero()) {
            throw new IllegalArgumentException("non-positive interval for Ticker: " + newPeriod);
        }
        lock.lock();
        try {
            stop();
            period = Clock.toNanosSaturated(newPeriod);
            next = Clock.deadlineAfter(clock.nanoTime(), period);
            arm(generation);
        } finally {
            lock.unlock();
        }
    }

    /** Call only when holding lock. */
    private void arm(long gen) {
        scheduled = clock.scheduleAt(next, () -> tick(gen)); // absolute: a tick never slips
    }

    /**
     * The first tick due after {@code now} on the grid {@code due + k * period}, {@code k >= 1}: the ticks a stalled
     * timer thread missed are skipped in one step, and the phase is kept. Go's runtime does the same,
     * {@code when += period * (1 + (now - when) / period)}; this form cannot overflow: with
     * {@code behind = now - due >= 0}, the next tick is {@code period - behind % period} (between 1 and
     * {@code period}) after {@code now}, saturated like every deadline ({@link Clock#deadlineAfter}).
     */
    static long nextDeadline(long due, long period, long now) {
        long behind = now - due;
        if (behind < 0) { // ran before its time (no clock does this): the next tick is one period on
            return Clock.deadlineAfter(due, period);
        }
        return Clock.deadlineAfter(now, period - behind % period);
    }

    private void tick(long gen) {
        lock.lock();
        try {
            if (gen != generation) {
                return;
            }
            c.trySend(clock.nanoTime()); // dropped if the last tick is still unread
            next = nextDeadline(next, period, clock.nanoTime());
            arm(gen);
        } finally {
            lock.unlock();
        }
    }
}
