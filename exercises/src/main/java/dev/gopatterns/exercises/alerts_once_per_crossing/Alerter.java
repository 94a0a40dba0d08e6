package dev.gopatterns.exercises.alerts_once_per_crossing;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Exercise `alerts_once_per_crossing`: an alert on a signal that pages once when the signal crosses its threshold,
 * once when it crosses back, and never in between, however many samples there are.
 *
 * <p>The rules of {@code Alerter}, a state machine with two states, quiet and firing:
 * <ol>
 *   <li>{@link #sample()} reads the signal once. While quiet, it returns a {@code FIRING} event when the signal has
 *       been {@code >= fireAt} for {@code forSamples} samples in a row (this one included); while firing, it
 *       returns a {@code RESOLVED} event at the first sample {@code < clearAt}. Every other sample returns no event:
 *       a firing alert says nothing more while the signal stays high, and a signal between {@code clearAt} and
 *       {@code fireAt} changes nothing (hysteresis).
 *   <li>A sample below {@code fireAt} while quiet starts the count toward {@code forSamples} again.
 *   <li>{@code NaN} means "no reading": it changes nothing (a firing alert stays firing), and it breaks a run of
 *       samples counted toward {@code forSamples}.
 *   <li>Each event is numbered from 1 ({@code sequence}), timed on the alerter's clock, and also offered to
 *       {@link #events()}, a channel of {@code buffer} places, without waiting: an event that does not fit is
 *       dropped and counted ({@link #dropped()}), and the gap in the sequence numbers shows it to the reader.
 *   <li>{@code sample()} is safe from several threads at once: one crossing is one {@code FIRING} event, whoever
 *       samples. One lock guards the state, and a sample looks at it and changes it while holding the lock.
 *   <li>{@link #start(Duration)} samples every {@code interval} in a thread of its own, on a {@code Ticker} of the
 *       alerter's clock (never {@code Thread.sleep}, which the test's clock does not move), until {@link #close()},
 *       which stops that thread, waits for it, and closes {@link #events()}.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check alerts_once_per_crossing}
 */
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

    /**
     * An alert on {@code signal} that fires at {@code fireAt} after {@code forSamples} samples in a row and
     * resolves below {@code clearAt}, with {@code buffer} places for its events, timed on {@code clock}.
     *
     * @throws IllegalArgumentException naming the rule, if {@code fireAt} or {@code clearAt} is {@code NaN},
     *                                  {@code clearAt > fireAt}, {@code forSamples < 1} or {@code buffer < 0}
     */
    public Alerter(DoubleSupplier signal, double fireAt, double clearAt, int forSamples, int buffer, Clock clock) {
        throw new UnsupportedOperationException(
                "TODO: refuse NaN thresholds, clearAt > fireAt, forSamples < 1 and buffer < 0 (each with an"
                        + " IllegalArgumentException naming the rule); keep the rest, make the events channel"
                        + " (Channel.make(buffer)) and a ReentrantLock; the alert starts quiet");
    }

    /**
     * Takes one sample: reads the signal once and steps the state machine.
     *
     * @return the sample's event (FIRING or RESOLVED), or an empty list if it changed nothing
     * @throws IllegalStateException if the alerter is closed
     */
    public List<Event> sample() {
        throw new UnsupportedOperationException(
                "TODO: sample: under the lock, read the signal; NaN resets the run and changes nothing; quiet:"
                        + " count samples >= fireAt in a row (a dip resets the count) and fire at forSamples;"
                        + " firing: resolve below clearAt; number the event, trySend it (count it dropped if it"
                        + " does not fit) and return it");
    }

    /** The events, in order; an event that found the buffer full is not here (see {@link #dropped()}). */
    public ReceiveChannel<Event> events() {
        throw new UnsupportedOperationException("TODO: events: the channel, receive-only (receiveOnly())");
    }

    /** How many events found {@link #events()} full and were dropped. */
    public long dropped() {
        throw new UnsupportedOperationException("TODO: dropped: the count of dropped events, read under the lock");
    }

    /** Whether the alert is firing now. */
    public boolean firing() {
        throw new UnsupportedOperationException("TODO: firing: the state, read under the lock");
    }

    /**
     * Starts a thread that {@linkplain #sample samples} every {@code interval}, on a {@code Ticker} of the
     * alerter's clock, until {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws IllegalStateException    if already started, or closed
     */
    public void start(Duration interval) {
        throw new UnsupportedOperationException(
                "TODO: start: make a cancellable context and start a thread that selects on a Ticker.every(clock,"
                        + " interval) and ctx.onDone(): a tick samples, ctx's end returns; stop the ticker at the"
                        + " end");
    }

    /**
     * Stops the sampling thread, if started, and waits for it to end; then closes {@link #events()}. Further
     * samples throw. Idempotent.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException(
                "TODO: close: cancel the loop's context, join its thread, then close the events channel, once");
    }
}
