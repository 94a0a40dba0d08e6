package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** The directional views of {@link Channel#sendOnly()} and {@link Channel#receiveOnly()}. */
final class ChannelViews {

    private ChannelViews() {}

    /** Go's {@code chan<- T}: a view that cannot be cast back to a receiving channel. */
    record SendOnly<T>(Channel<T> target) implements SendChannel<T> {
        @Override
        public void send(T value) throws InterruptedException {
            target.send(value);
        }

        @Override
        public boolean trySend(T value) {
            return target.trySend(value);
        }

        @Override
        public boolean send(T value, Duration timeout, Clock clock) throws InterruptedException {
            return target.send(value, timeout, clock);
        }

        @Override
        public void close() {
            target.close();
        }

        @Override
        public int length() {
            return target.length();
        }

        @Override
        public int capacity() {
            return target.capacity();
        }

        @Override
        public <R> SelectCase<R> onSend(T value, Supplier<? extends R> then) {
            return target.onSend(value, then);
        }

        @Override
        public String toString() {
            return "SendOnly" + target;
        }
    }

    /** Go's {@code <-chan T}: a view that cannot be cast back to a sending channel. */
    record ReceiveOnly<T>(Channel<T> target) implements ReceiveChannel<T> {
        @Override
        public T receive() throws InterruptedException {
            return target.receive();
        }

        @Override
        public Received<T> receiveOrClosed() throws InterruptedException {
            return target.receiveOrClosed();
        }

        @Override
        public TryReceived<T> tryReceive() {
            return target.tryReceive();
        }

        @Override
        public TryReceived<T> receive(Duration timeout, Clock clock) throws InterruptedException {
            return target.receive(timeout, clock);
        }

        @Override
        public int length() {
            return target.length();
        }

        @Override
        public int capacity() {
            return target.capacity();
        }

        @Override
        public <R> SelectCase<R> onReceive(Function<? super T, ? extends R> then) {
            return target.onReceive(then);
        }

        @Override
        public <R> SelectCase<R> onReceiveOrClosed(Function<? super Received<T>, ? extends R> then) {
            return target.onReceiveOrClosed(then);
        }

        @Override
        public String toString() {
            return "ReceiveOnly" + target;
        }
    }
}
