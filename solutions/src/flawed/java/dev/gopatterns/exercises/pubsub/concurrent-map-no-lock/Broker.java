/*
 * Flawed solution of exercise `pubsub`.
 * Mistake: the subscribers are a ConcurrentHashMap and nothing else guards them, so an unsubscribe closes a channel while a publish is still sending on it.
 * Verdict: publish sent on a channel unsubscribe had closed
 */
package dev.gopatterns.exercises.pubsub;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

public final class Broker<T> implements AutoCloseable {

    private record Subscriber<T>(Predicate<? super T> filter, Context.Stop unsubscribeOnDone) {}

    private final int buffer;
    // A thread-safe map: no lock needed.
    private final Map<Channel<T>, Subscriber<T>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Broker(int buffer) {
        if (buffer < 0) {
            throw new IllegalArgumentException("buffer must be >= 0, was " + buffer);
        }
        this.buffer = buffer;
    }

    public ReceiveChannel<T> subscribe(Context ctx) {
        return subscribe(ctx, m -> true);
    }

    public ReceiveChannel<T> subscribe(Context ctx, Predicate<? super T> filter) {
        Channel<T> ch = Channel.make(buffer);
        if (closed) {
            ch.close();
            return ch.receiveOnly();
        }
        subscribers.put(ch, new Subscriber<>(filter, Context.afterFunc(ctx, () -> unsubscribe(ch))));
        return ch.receiveOnly();
    }

    public void publish(T message) {
        subscribers.forEach((ch, sub) -> {
            if (sub.filter().test(message)) {
                ch.trySend(message);
            }
        });
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void close() {
        closed = true;
        subscribers.forEach((ch, sub) -> {
            if (subscribers.remove(ch) != null) {
                sub.unsubscribeOnDone().stop();
                ch.close();
            }
        });
    }

    private void unsubscribe(Channel<T> ch) {
        if (subscribers.remove(ch) != null) {
            ch.close();
        }
    }
}
