/*
 * Flawed solution of exercise `alerts_once_per_crossing`.
 * Mistake: a NaN reading is taken as 0 ("no data, so nothing there"), so a firing alert resolves at the first sample that could not be read.
 * Verdict: NaN is no reading: it changes nothing
 */
package dev.gopatterns.exercises.alerts_once_per_crossing;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;

public final class Alerter implements AutoCloseable {

    /** What happened to the alert. */
    public enum Kind { FIRING, RESOLVED }

    /**
     * A change of the alert.
     *
     * @param kind     it began firing, or it was resolved
     * @param value    the signal's value at the sample that changed it
     * @param atNanos  when, on the alerter's clock ({@code clock.nanoTime()})
     * @param sequence numbers the events of one alerter from 1, dropped ones included, so a reader sees a gap
     */
    public record Event(Kind kind, double value, long atNanos, long sequence) {}

    private final DoubleSupplier signal;
    private final double fireAt;
    private final double clearAt;
    private final int forSamples;
    private final Clock clock;
    private final Channel<Event> events;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private boolean firing;
    /** Guarded by lock. Samples in a row >= fireAt, while quiet. */
    private int streak;
    /** Guarded by lock. The number of the last event. */
    private long sequence;
    /** Guarded by lock. */
    private long dropped;
    /** Guarded by lock. Set first thing by close: start and sample refuse from then on. */
    private boolean closed;
    /** Guarded by lock. Set by close once the sampling thread has ended. */
    private boolean eventsClosed;
    /** Guarded by lock. The sampling thread, once started. */
    private Thread sampler;
    /** Guarded by lock. Its context: cancelled by close. */
    private CancellableContext running;

    /**
     * An alert on {@code signal} that fires at {@code fireAt} after {@code forSamples} samples in a row and
     * resolves below {@code clearAt}, with {@code buffer} places for its events, timed on {@code clock}.
     *
     * @throws IllegalArgumentException naming the rule, if {@code fireAt} or {@code clearAt} is {@code NaN},
     *                                  {@code clearAt > fireAt}, {@code forSamples < 1} or {@code buffer < 0}
     */
    public Alerter(DoubleSupplier signal, double fireAt, double clearAt, int forSamples, int buffer, Clock clock) {
        this.signal = Objects.requireNonNull(signal, "signal");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (Double.isNaN(fireAt) || Double.isNaN(clearAt)) {
            throw new IllegalArgumentException("alerter: fireAt and clearAt must be numbers, were " + fireAt + " and "
                    + clearAt);
        }
        if (clearAt > fireAt) {
            throw new IllegalArgumentException("alerter: clearAt must be <= fireAt (" + fireAt + "), was " + clearAt);
        }
        if (forSamples < 1) {
            throw new IllegalArgumentException("alerter: forSamples must be >= 1, was " + forSamples);
        }
        if (buffer < 0) {
            throw new IllegalArgumentException("alerter: buffer must be >= 0, was " + buffer);
        }
        this.fireAt = fireAt;
        this.clearAt = clearAt;
        this.forSamples = forSamples;
        this.events = Channel.make(buffer);
    }

    /**
     * Takes one sample: reads the signal once and steps the state machine.
     *
     * @return the sample's event (FIRING or RESOLVED), or an empty list if it changed nothing
     * @throws IllegalStateException if the alerter is closed
     */
    public List<Event> sample() {
        return sample(false);
    }

    /**
     * One sample; the sampling thread's are taken even while {@link #close()} waits for it to end (the events
     * channel is closed only after that).
     */
    private List<Event> sample(boolean bySampler) {
        lock.lock();
        try {
            if (closed && !bySampler) {
                throw new IllegalStateException("alerter: closed");
            }
            double v = signal.getAsDouble();
            Kind change = step(v);
            if (change == null) {
                return List.of();
            }
            Event e = new Event(change, v, clock.nanoTime(), ++sequence);
            if (!events.trySend(e)) {
                dropped++;
            }
            return List.of(e);
        } finally {
            lock.unlock();
        }
    }

    /** The change {@code v} makes, if any. Call only when holding lock. */
    private Kind step(double v) {
        if (Double.isNaN(v)) {
            v = 0; // no reading: count it as nothing
        }
        if (!firing) {
            if (v < fireAt) {
                streak = 0;
                return null;
            }
            if (++streak < forSamples) {
                return null;
            }
            firing = true;
            streak = 0;
            return Kind.FIRING;
        }
        if (v < clearAt) {
            firing = false;
            return Kind.RESOLVED;
        }
        return null;
    }

    /** The events, in order; an event that found the buffer full is not here (see {@link #dropped()}). */
    public ReceiveChannel<Event> events() {
        return events.receiveOnly();
    }

    /** How many events found {@link #events()} full and were dropped. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the alert is firing now. */
    public boolean firing() {
        lock.lock();
        try {
            return firing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a thread that {@linkplain #sample samples} every {@code interval}, on a {@code Ticker} of the
     * alerter's clock, until {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws IllegalStateException    if already started, or closed
     */
    public void start(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("alerter: interval must be > 0, was " + interval);
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("alerter: closed");
            }
            if (sampler != null) {
                throw new IllegalStateException("alerter: already started");
            }
            CancellableContext ctx = Context.withCancel(Context.background(clock));
            running = ctx;
            sampler = Thread.ofVirtual().name("alerter").start(() -> loop(ctx, interval));
        } finally {
            lock.unlock();
        }
    }

    /** Go: {@code for { select { case <-ticker.C: a.sample(); case <-ctx.Done(): return } }}. */
    private void loop(Context ctx, Duration interval) {
        Ticker ticker = Ticker.every(clock, interval);
        try {
            while (Select.select(ticker.channel().onReceive(t -> true), ctx.onDone(() -> false))) {
                sample(true);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt(); // interrupted from outside: the thread ends, the flag kept
        } finally {
            ticker.stop();
        }
    }

    /**
     * Stops the sampling thread, if started, and waits for it to end; then closes {@link #events()}. Further
     * samples throw. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true; // from now on start and sample refuse; only the sampling thread may still sample
            t = sampler;
            if (running != null) {
                running.cancel();
            }
        } finally {
            lock.unlock();
        }
        if (t != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // keep waiting: close promises the thread has ended; the flag comes back
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (!eventsClosed) {
                eventsClosed = true;
                events.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Alerter[" + (firing() ? "firing" : "quiet") + "]";
    }
}
