package dev.gopatterns.context;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A cancellation token with a deadline and request-scoped values: Go's {@code context.Context}.
 *
 * <p>A context is created from a parent and ends when it is cancelled, when its deadline passes, or when its parent
 * ends, whichever comes first. Work that should stop when the context ends either checks {@link #isDone()} /
 * {@link #throwIfDone()}, waits on {@link #done()} in a {@link dev.gopatterns.chan.Select select}, uses the
 * context-aware channel operations ({@link #send}, {@link #receive}), or runs under {@link #call}, which turns the
 * end of the context into an interrupt of the working thread.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Cancelling a context cancels all its descendants, at once and before {@code cancel} returns; a child never
 *       outlives the cancellation of an ancestor, even if it is created concurrently with it.
 *   <li>Cancel is idempotent, safe from any thread, and does not wait for the work to stop.
 *   <li>A cancelled child detaches from its parent, so a long-lived parent does not accumulate dead children.
 *   <li>No thread per context: deadlines share the clock's one timer thread.
 *   <li>Memory consistency effects: actions in a thread prior to cancelling a context happen-before actions in
 *       another thread after it observes the context (or a descendant) as done.
 * </ul>
 *
 * <p>Where it differs from Go: contexts carry the {@link Clock} their deadlines are measured on, inherited from the
 * root ({@link #background(Clock)} for tests); values are looked up by a typed {@link Key}; {@code Err()} is
 * {@link #err()}, an {@code Optional} of an exception type, rather than a nullable error.
 */
public sealed interface Context permits AbstractContext, CancellableContext {

    // ------------------------------------------------------------------------------------------------- roots

    /** The root context: never cancelled, no deadline, no values, the system clock. Go: {@code context.Background()}. */
    static Context background() {
        return BackgroundCtx.SYSTEM;
    }

    /** A root context whose deadlines are measured on {@code clock}; use a {@link dev.gopatterns.clock.FakeClock} in tests. */
    static Context background(Clock clock) {
        return new BackgroundCtx(Objects.requireNonNull(clock, "clock"), "context.Background(" + clock + ")");
    }

    /** A root context for code that has not been given one yet. Go: {@code context.TODO()}. */
    static Context todo() {
        return BackgroundCtx.TODO;
    }

    // ----------------------------------------------------------------------------------------------- derived

    /** A child that is cancelled by its {@code cancel()} or when the parent ends. Go: {@code context.WithCancel}. */
    static CancellableContext withCancel(Context parent) {
        return CancelCtx.withCancel(parent);
    }

    /**
     * The same as {@link #withCancel}: every {@link CancellableContext} can be cancelled with a cause.
     * Go: {@code context.WithCancelCause}.
     */
    static CancellableContext withCancelCause(Context parent) {
        return CancelCtx.withCancel(parent);
    }

    /**
     * A child that also ends with {@link DeadlineExceededException} when {@code parent.clock()} reaches
     * {@code deadlineNanos} (on that clock's {@link Clock#nanoTime()} scale). If the parent's deadline is earlier,
     * it is the same as {@link #withCancel}. Go: {@code context.WithDeadline}.
     */
    static CancellableContext withDeadline(Context parent, long deadlineNanos) {
        return TimerCtx.withDeadline(parent, deadlineNanos, null);
    }

    /** {@link #withDeadline} whose {@link #cause()} is {@code cause} when the deadline passes. Go: {@code WithDeadlineCause}. */
    static CancellableContext withDeadlineCause(Context parent, long deadlineNanos, Throwable cause) {
        return TimerCtx.withDeadline(parent, deadlineNanos, cause);
    }

    /** {@code withDeadline(parent, now + timeout)} on the parent's clock. Go: {@code context.WithTimeout}. */
    static CancellableContext withTimeout(Context parent, Duration timeout) {
        return withTimeoutCause(parent, timeout, null);
    }

    /** {@link #withTimeout} whose {@link #cause()} is {@code cause} when it times out. Go: {@code WithTimeoutCause}. */
    static CancellableContext withTimeoutCause(Context parent, Duration timeout, Throwable cause) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(timeout, "timeout");
        return TimerCtx.withDeadline(parent,
                Clock.deadlineAfter(parent.clock().nanoTime(), Clock.toNanosSaturated(timeout)), cause);
    }

    /** A child that carries {@code key = value}. Go: {@code context.WithValue}. */
    static <V> Context withValue(Context parent, Key<V> key, V value) {
        return new ValueCtx<>(parent, key, value);
    }

    /**
     * A child that keeps the parent's values and clock but is never cancelled, has no deadline, and does not end
     * when the parent ends. Go: {@code context.WithoutCancel}.
     */
    static Context withoutCancel(Context parent) {
        return BackgroundCtx.withoutCancel(parent);
    }

    /**
     * Arranges for {@code f} to run in a new virtual thread once {@code ctx} is done (at once if it already is).
     * Go: {@code context.AfterFunc}.
     *
     * @return the stop function: {@link Stop#stop()} returns {@code true} if it prevented {@code f} from running
     */
    static Stop afterFunc(Context ctx, Runnable f) {
        return AfterFunc.register(ctx, f, false);
    }

    /** The handle returned by {@link #afterFunc}. */
    @FunctionalInterface
    interface Stop {
        /**
         * Disarms the function. Returns {@code true} if this call stopped it from being run, {@code false} if it has
         * already been started or stopped. Does not wait for a started function to finish.
         */
        boolean stop();
    }

    /**
     * Runs {@code task} in the current thread, interrupting the thread if {@code ctx} ends first. The interrupt is
     * the bridge from Go-style cancellation to Java's blocking calls: any interruptible wait inside the task
     * ({@code receive}, {@code sleep}, {@code Future.get}, I/O on interruptible channels) returns promptly.
     *
     * <p>If the task ends with {@link InterruptedException} (or {@link dev.gopatterns.chan.UncheckedInterruptedException})
     * because the context ended, {@code call} throws a new {@link ContextException} of the same kind as
     * {@link #err()}, with the context's {@link #cause()} as its cause and the interrupt exception attached as
     * suppressed: the interrupt
     * was the context's, so it is converted, not lost. An interrupt from anyone else, while the context is live,
     * propagates unchanged. However the task ends, an interrupt the context delivered and the task did not consume
     * is cleared before {@code call} returns, so it cannot strike the caller's next blocking call (an outside
     * interrupt arriving in that same instant is indistinguishable from it and is cleared too).
     *
     * @throws ContextException if {@code ctx} is already done, or ends and the task stops with an interrupt
     */
    static <T> T call(Context ctx, Callable<T> task) throws Exception {
        return Interrupter.call(ctx, task);
    }

    // ------------------------------------------------------------------------------------------------ queries

    /**
     * A channel that is closed when this context is done; nothing is ever sent on it. For a context that can never
     * be cancelled it is the {@linkplain dev.gopatterns.chan.Channel#nil() nil channel}. Go: {@code ctx.Done()}.
     */
    ReceiveChannel<Void> done();

    /**
     * A {@link dev.gopatterns.chan.Select} case that fires when this context is done. Go: {@code case <-ctx.Done():}.
     */
    default <R> SelectCase<R> onDone(Supplier<? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return done().onReceiveOrClosed(closed -> then.get());
    }

    /** Empty while the context is live; then why it ended. Go: {@code ctx.Err()}. */
    Optional<ContextException> err();

    /**
     * Empty while the context is live; then the cause given to the cancel that ended it, or {@link #err()} if none
     * was given. Go: {@code context.Cause(ctx)}.
     */
    Optional<Throwable> cause();

    /** Whether the context has ended. */
    default boolean isDone() {
        return err().isPresent();
    }

    /** Throws {@link #err()} if the context has ended; the usual first line of a cancellable step. */
    default void throwIfDone() {
        Optional<ContextException> e = err();
        if (e.isPresent()) {
            throw e.get();
        }
    }

    /** The deadline on {@link #clock()}'s nanoTime scale, if any. Go: {@code ctx.Deadline()}. */
    OptionalLong deadline();

    /** The clock this context's deadlines are measured on, inherited from its root. */
    Clock clock();

    /** The value for {@code key} in this context or its nearest ancestor that has one. Go: {@code ctx.Value(key)}. */
    <V> Optional<V> value(Key<V> key);

    // --------------------------------------------------------------------- context-aware channel operations

    /**
     * Sends {@code value} on {@code ch}, unless {@code ctx} ends first.
     * Go: {@code select { case ch <- v: case <-ctx.Done(): return ctx.Err() }}. A context that is already done when
     * {@code send} is called is checked first, so nothing is sent after a cancellation that happened before the
     * call. If the context ends during the call while the channel is also ready, either may win, as in Go.
     *
     * @throws ContextException if {@code ctx} is or becomes done before the value is sent
     */
    default <T> void send(SendChannel<T> ch, T value) throws InterruptedException {
        throwIfDone();
        boolean sent = Select.select(ch.onSend(value, () -> true), onDone(() -> false));
        if (!sent) {
            throwIfDone();
        }
    }

    /**
     * Receives from {@code ch}, unless {@code ctx} ends first.
     *
     * @return the value or {@link dev.gopatterns.chan.Received.Closed}
     * @throws ContextException if {@code ctx} is or becomes done before a value is received
     */
    default <T> Received<T> receive(ReceiveChannel<T> ch) throws InterruptedException {
        throwIfDone();
        Received<T> r = Select.select(
                ch.onReceiveOrClosed(x -> x), onDone(() -> null));
        if (r == null) {
            throwIfDone();
        }
        return r;
    }

    // --------------------------------------------------------------------------------------------- keys

    /**
     * A typed key for {@link #withValue}. Keys compare by identity, so two libraries' keys never collide, as with
     * Go's unexported key types.
     */
    final class Key<V> {
        private final String name;

        private Key(String name) {
            this.name = name;
        }

        /** A new key, distinct from every other; {@code name} is for {@code toString} only. */
        public static <V> Key<V> of(String name) {
            return new Key<>(Objects.requireNonNull(name, "name"));
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
