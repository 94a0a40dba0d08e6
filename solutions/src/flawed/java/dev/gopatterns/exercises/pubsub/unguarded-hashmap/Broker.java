/*
 * Flawed solution of exercise `pubsub`.
 * Mistake: the subscribers are a plain HashMap that subscribe, publish and the unsubscribe threads all touch with no lock and no owner thread.
 * Verdict: the broker's map of subscribers was changed while publish was going through it
 */
package dev.gopatterns.exercises.pubsub;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

public final class Broker<T> implements AutoCloseable {

    private record Subscriber<T>(Predicate<? super T> filter, Context.Stop unsubscribeOnDone) {}

    private final int buffer;
    private final Map<Channel<T>, Subscriber<T>> subscribers = new HashMap<>();
    private boolean closed;

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
        for (Map.Entry<Channel<T>, Subscriber<T>> e : subscribers.entrySet()) {
            if (e.getValue().filter().test(message)) {
                e.getKey().trySend(message);
            }
        }
    }

    public int subscribers() {
        return subscribers.size();
    }

    @Override
    public void close() {
        closed = true;
        for (Map.Entry<Channel<T>, Subscriber<T>> e : subscribers.entrySet()) {
            e.getValue().unsubscribeOnDone().stop();
            e.getKey().close();
        }
        subscribers.clear();
    }

    private void unsubscribe(Channel<T> ch) {
        Subscriber<T> gone = subscribers.remove(ch);
        if (gone != null) {
            ch.close();
        }
    }
}
