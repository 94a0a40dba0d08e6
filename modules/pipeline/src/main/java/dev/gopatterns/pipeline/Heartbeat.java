package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.Ticker;
import dev.gopatterns.time.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Go's heartbeat ("Concurrency in Go", chapter 5): a stage that applies {@code fn} to each value of its input and,
 * besides its results, sends pulses that say "I am alive" on a second channel; and the {@linkplain #watchdog
 * watchdog} that reads those pulses and reports the worker unhealthy when they stop.
 *
 * <p>Two kinds of pulse, as in the book:
 * <ul>
 *   <li>{@link #every}: a pulse every {@code interval} on the context's clock while the stage waits for input or
 *       waits to hand a result over. While {@code fn} runs there is no pulse: a worker stuck in {@code fn} goes
 *       silent, which is exactly what the watchdog is for.
 *   <li>{@link #perUnit}: a pulse at the start of each unit of work, before {@code fn} is applied to the value.
 * </ul>
 * A pulse is the clock's {@link Clock#nanoTime()} when it was sent. <b>A pulse never blocks the work</b>: it is
 * sent with a non-blocking send, and a pulse that finds the pulse channel full is dropped.
 *
 * <pre>{@code
 * // Go (the book's doWork):
 * sendPulse := func() {
 *     select {
 *     case heartbeat <- struct{}{}:
 *     default:                      // nobody listening: drop the pulse, never wait
 *     }
 * }
 * for {
 *     select {
 *     case <-done:
 *         return
 *     case <-pulse:                 // a time.Tick(pulseInterval)
 *         sendPulse()
 *     case r := <-workGen:
 *         sendResult(r)             // selects on pulse too while it waits for the consumer
 *     }
 * }
 *
 * // Java:
 * Heartbeat<R> hb = Heartbeat.every(ctx, interval, in, fn);
 * ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(ctx, hb.pulses(), interval.multipliedBy(2));
 * Select.select(hb.results().onReceive(r -> use(r)), unhealthy.onReceive(silence -> restart()));
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>The pulse channel holds one pulse. A pulse that finds it full is dropped, so a heartbeat that nobody reads
 *       costs nothing and never delays a result; the one pulse held is the latest-but-unread, as with a
 *       {@link Ticker}'s channel.
 *   <li>The results come in input order, unbuffered. Both outputs are closed, each exactly once, by the stage's
 *       one thread as the last thing it does: when the input closes, when {@code ctx} ends (also while blocked
 *       sending a result to a consumer that stopped reading), or when {@code fn} throws. So the pulse channel
 *       closing means "the worker ended", which the watchdog tells apart from "the worker went silent".
 *   <li>{@link #every} stops its ticker when the stage ends: no timer is left on the clock.
 *   <li>Memory consistency effects: a send into {@code in} happens-before {@code fn} is applied to that value,
 *       which happens-before the receive of its result; actions of the stage before a pulse happen-before the
 *       receive of that pulse.
 * </ul>
 *
 * <p>Where it differs from Go: the book's interval heartbeat is unbuffered, so a pulse reaches only a reader that
 * is waiting at that instant; here the channel holds one pulse, so a reader that arrives late still sees that the
 * worker was alive (the per-unit heartbeat is buffered 1 in the book too). Pulses carry the clock's time instead of
 * {@code struct{}{}}, because a channel here carries no null.
 *
 * @param <R> the result type
 */
public final class Heartbeat<R> {

    /*
     * The interval stage is the book's doWork with its two loops folded into one: the thread either waits for a
     * value (select: input | tick | done) or waits to hand a result over (select: results <- r | tick | done). A
     * tick in either wait becomes a trySend on the pulse channel, never a blocking send. fn runs between the two
     * waits, in the stage's thread, and no tick is taken while it runs: the ticker's channel keeps one tick (the
     * others are dropped by the Ticker), so a long fn yields at most one late pulse after it returns.
     */

    private final ReceiveChannel<Long> pulses;
    private final ReceiveChannel<R> results;

    private Heartbeat(ReceiveChannel<Long> pulses, ReceiveChannel<R> results) {
        this.pulses = pulses;
        this.results = results;
    }

    /**
     * Starts a worker that applies {@code fn} to each value of {@code in} and pulses every {@code interval} on
     * {@code ctx.clock()} while it waits (for input, or for its consumer). One thread; the ticker is a task on the
     * clock, not a thread.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static <T, R> Heartbeat<R> every(Context ctx, Duration interval, ReceiveChannel<? extends T> in,
                                            Function<? super T, ? extends R> fn) {
        check(ctx, in, fn);
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive, was " + interval);
        }
        Channel<Long> pulses = Channel.buffered(1);
        Channel<R> results = Stages.output();
        Clock clock = ctx.clock();
        Stages.run("heartbeat", () -> {
            Ticker ticker = Ticker.every(clock, interval);
            try {
                ReceiveChannel<Long> ticks = ticker.channel();
                for (;;) {
                    if (ctx.isDone()) {
                        return;
                    }
                    Received<T> got = Select.select(
                            in.onReceiveOrClosed(r -> r instanceof Received.Value<? extends T>(T v)
                                    ? new Received.Value<T>(v) : Received.<T>closed()),
                            ticks.onReceive(t -> null),
                            ctx.onDone(Received::<T>closed));
                    if (got == null) {
                        pulses.trySend(clock.nanoTime()); // Go: select { case heartbeat <- struct{}{}: default: }
                        continue;
                    }
                    if (!(got instanceof Received.Value<T>(T v))) {
                        return; // input closed, or ctx ended
                    }
                    R r = fn.apply(v);
                    for (;;) { // the book's sendResult: keep pulsing while the consumer is not ready
                        if (ctx.isDone()) {
                            return;
                        }
                        int what = Select.select(
                                results.onSend(r, () -> 1), ticks.onReceive(t -> 2), ctx.onDone(() -> 0));
                        if (what == 1) {
                            break;
                        }
                        if (what == 0) {
                            return;
                        }
                        pulses.trySend(clock.nanoTime());
                    }
                }
            } finally {
                ticker.stop();
            }
        }, results, pulses);
        return new Heartbeat<>(pulses.receiveOnly(), results.receiveOnly());
    }

    /**
     * Starts a worker that applies {@code fn} to each value of {@code in} and pulses once at the start of each unit
     * of work, before {@code fn} is applied. One thread.
     */
    public static <T, R> Heartbeat<R> perUnit(Context ctx, ReceiveChannel<? extends T> in,
                                              Function<? super T, ? extends R> fn) {
        check(ctx, in, fn);
        Channel<Long> pulses = Channel.buffered(1);
        Channel<R> results = Stages.output();
        Clock clock = ctx.clock();
        Stages.run("heartbeat-perUnit", () -> {
            while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
                pulses.trySend(clock.nanoTime()); // never blocks: dropped if the last pulse is unread
                if (!Stages.send(ctx, results, fn.apply(v))) {
                    return;
                }
            }
        }, results, pulses);
        return new Heartbeat<>(pulses.receiveOnly(), results.receiveOnly());
    }

    /**
     * The watchdog: reads {@code pulses} and, if none arrives for {@code timeout} on {@code ctx.clock()}, sends the
     * length of the silence on its output once, then closes it. The timeout runs from the start of the watchdog,
     * then from each pulse it receives. If {@code pulses} closes (the worker ended) or {@code ctx} ends, the output
     * is closed without a report. One thread, which ends with the output; it consumes the pulses, so give it the
     * pulse channel and read the results yourself.
     *
     * <p>Go: the book's consumer loop, {@code select { case <-heartbeat: case <-time.After(timeout): unhealthy }},
     * which is also the heart of its steward. A steward that restarts the worker starts a new watchdog on the new
     * worker's pulses.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static ReceiveChannel<Duration> watchdog(Context ctx, ReceiveChannel<?> pulses, Duration timeout) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(pulses, "pulses");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, was " + timeout);
        }
        Channel<Duration> unhealthy = Stages.output();
        Clock clock = ctx.clock();
        Stages.run("watchdog", () -> {
            long last = clock.nanoTime();
            Timer timer = Timer.start(clock, timeout);
            try {
                for (;;) {
                    if (ctx.isDone()) {
                        return;
                    }
                    int what = Select.select(
                            pulses.onReceiveOrClosed(r -> r instanceof Received.Value<?> ? 1 : 0),
                            timer.channel().onReceive(t -> 2),
                            ctx.onDone(() -> 0));
                    switch (what) {
                        case 1 -> {
                            last = clock.nanoTime();
                            timer.reset(timeout); // Go 1.23 semantics: no stale firing after reset
                        }
                        case 2 -> {
                            Stages.send(ctx, unhealthy, Duration.ofNanos(clock.nanoTime() - last));
                            return;
                        }
                        default -> {
                            return; // the worker ended, or ctx did
                        }
                    }
                }
            } finally {
                timer.stop();
            }
        }, unhealthy);
        return unhealthy.receiveOnly();
    }

    /** The pulses: the clock's time of each, at most one held. Closed when the worker ends. */
    public ReceiveChannel<Long> pulses() {
        return pulses;
    }

    /** The results, in input order. */
    public ReceiveChannel<R> results() {
        return results;
    }

    private static void check(Context ctx, ReceiveChannel<?> in, Function<?, ?> fn) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fn, "fn");
    }
}
