package dev.gopatterns.time;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * A thread that runs an action on every tick of a {@link Ticker}, until it is {@linkplain #close closed}, its parent
 * context ends, or the action says its owner is over by throwing {@link IllegalStateException}: the sampling loop of
 * an autoscaler, an alert evaluator, a health prober.
 *
 * <pre>{@code
 * try (TickerLoop loop = TickerLoop.start("alerts", clock, Duration.ofSeconds(10), Context.background(clock),
 *         alerts::evaluate)) {
 *     ...
 * }   // close: cancels the loop and waits for its thread
 * }</pre>
 *
 * <p>Ticks follow {@link Ticker}'s rules: an action slower than the interval makes the ticks it overlapped drop, so
 * runs never pile up or overlap. An action that throws anything but {@code IllegalStateException} ends the loop and
 * goes to the thread's uncaught-exception handler. {@link #close()} waits, uninterruptibly, for the thread to end (it
 * ends at its next select, or when the running action returns), and re-asserts an interrupt that arrived meanwhile.
 *
 * <p>Go equivalent: {@code go func() { t := time.NewTicker(d); defer t.Stop(); for { select { case <-t.C: f();
 * case <-ctx.Done(): return } } }()}, plus the {@code WaitGroup} that a Go owner needs to wait for it.
 * Memory consistency effects: actions in a thread prior to {@code start} happen-before the first action; the actions
 * of the loop's thread happen-before {@code close} returns.
 */
public final class TickerLoop implements AutoCloseable {

    private final CancellableContext ctx;
    private final Thread thread;

    private TickerLoop(CancellableContext ctx, Thread thread) {
        this.ctx = ctx;
        this.thread = thread;
    }

    /**
     * Starts the loop's virtual thread, called {@code name}: {@code action} runs every {@code interval} on
     * {@code clock} (the first run one interval from now) until {@link #close()}, or until {@code parent} ends.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public static TickerLoop start(String name, Clock clock, Duration interval, Context parent, Runnable action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(action, "action");
        Ticker ticker = Ticker.every(clock, interval); // checks the interval here, in the caller
        CancellableContext ctx = Context.withCancel(parent);
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                while (Select.select(ticker.channel().onReceive(tick -> true), ctx.onDone(() -> false))) {
                    action.run();
                }
            } catch (InterruptedException | IllegalStateException stopped) {
                // interrupted from outside, or the owner is closed or shut down: the loop ends
            } finally {
                ticker.stop();
            }
        });
        t.start();
        return new TickerLoop(ctx, t);
    }

    /** Whether the loop's thread is still running. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops the loop and waits for its thread to end. Idempotent; may be called from any thread but the loop's. */
    @Override
    public void close() {
        ctx.cancel();
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("ticker loop: close from its own action would wait for itself");
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
