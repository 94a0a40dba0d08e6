package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** Go's nil channel: never ready. See {@link Channel#nil()}. */
final class NilChannel<T> implements Channel<T> {

    private static final NilChannel<?> INSTANCE = new NilChannel<>();

    @SuppressWarnings("unchecked")
    static <T> NilChannel<T> instance() {
        return (NilChannel<T>) INSTANCE;
    }

    private NilChannel() {}

    /** Blocks until interrupted, or until the timeout if {@code timed}; never completes. */
    private static void blockForever(boolean timed, Duration timeout, Clock clock) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = timed ? Clock.deadlineAfter(clock.nanoTime(), Clock.toNanosSaturated(timeout)) : 0L;
        if (new Waiter().await(timed, deadline, clock, false) == Waiter.Outcome.INTERRUPTED) {
            throw new InterruptedException();
        }
    }

    @Override
    public void send(T value) throws InterruptedException {
        HChan.requireValue(value);
        blockForever(false, null, null);
        throw new AssertionError("unreachable");
    }

    @Override
    public boolean trySend(T value) {
        HChan.requireValue(value);
        return false;
    }

    @Override
    public boolean send(T value, Duration timeout, Clock clock) throws InterruptedException {
        HChan.requireValue(value);
        blockForever(true, Objects.requireNonNull(timeout, "timeout"), Objects.requireNonNull(clock, "clock"));
        return false;
    }

    @Override
    public void close() {
        throw ChannelClosedException.closeOfNil();
    }

    @Override
    public T receive() throws InterruptedException {
        blockForever(false, null, null);
        throw new AssertionError("unreachable");
    }

    @Override
    public Received<T> receiveOrClosed() throws InterruptedException {
        blockForever(false, null, null);
        throw new AssertionError("unreachable");
    }

    @Override
    public TryReceived<T> tryReceive() {
        return TryReceived.notReady();
    }

    @Override
    public TryReceived<T> receive(Duration timeout, Clock clock) throws InterruptedException {
        blockForever(true, Objects.requireNonNull(timeout, "timeout"), Objects.requireNonNull(clock, "clock"));
        return TryReceived.notReady();
    }

    @Override
    public int length() {
        return 0;
    }

    @Override
    public int capacity() {
        return 0;
    }

    @Override
    public <R> SelectCase<R> onSend(T value, Supplier<? extends R> then) {
        HChan.requireValue(value);
        Objects.requireNonNull(then, "handler");
        return SelectCase.never(SelectCase.Kind.SEND);
    }

    @Override
    public <R> SelectCase<R> onReceive(Function<? super T, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return SelectCase.never(SelectCase.Kind.RECEIVE);
    }

    @Override
    public <R> SelectCase<R> onReceiveOrClosed(Function<? super Received<T>, ? extends R> then) {
        Objects.requireNonNull(then, "handler");
        return SelectCase.never(SelectCase.Kind.RECEIVE_OR_CLOSED);
    }

    @Override
    public SendChannel<T> sendOnly() {
        return new ChannelViews.SendOnly<>(this);
    }

    @Override
    public ReceiveChannel<T> receiveOnly() {
        return new ChannelViews.ReceiveOnly<>(this);
    }

    @Override
    public String toString() {
        return "Channel.nil()";
    }
}
