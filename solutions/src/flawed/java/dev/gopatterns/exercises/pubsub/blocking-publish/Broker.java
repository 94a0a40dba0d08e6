/*
 * Flawed solution of exercise `pubsub`.
 * Mistake: publish sends to each subscriber with a blocking send, so one slow subscriber holds up every other.
 * Verdict: publish blocked on a slow subscriber
 */
package dev.gopatterns.exercises.pubsub;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

public final class Broker<T> implements AutoCloseable {

    private record Subscriber<T>(Predicate<? super T> filter, Context.Stop unsubscribeOnDone) {}

    private final int buffer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. In subscription order. */
    private final Map<Channel<T>, Subscriber<T>> subscribers = new LinkedHashMap<>();
    /** Guarded by lock. */
    private boolean closed;

    /**
     * A broker whose subscribers each have a buffer of {@code buffer} messages.
     *
     * @throws IllegalArgumentException if {@code buffer} is negative
     */
    public Broker(int buffer) {
        if (buffer < 0) {
            throw new IllegalArgumentException("buffer must be >= 0, was " + buffer);
        }
        this.buffer = buffer;
    }

    /** {@link #subscribe(Context, Predicate)} to every message. */
    public ReceiveChannel<T> subscribe(Context ctx) {
        return subscribe(ctx, m -> true);
    }

    /**
     * A channel that gets the messages published from now on that {@code filter} accepts, in order, until
     * {@code ctx} ends or the broker is closed; then it is closed. {@code filter} runs in the publisher's thread.
     */
    public ReceiveChannel<T> subscribe(Context ctx, Predicate<? super T> filter) {
        Channel<T> ch = Channel.make(buffer);
        lock.lock();
        try {
            if (closed) {
                ch.close();
            } else {
                // The after-func runs in a thread of its own, and waits for the lock: it cannot find the map
                // without ch, because ch is put in before the lock is released.
                subscribers.put(ch, new Subscriber<>(filter, Context.afterFunc(ctx, () -> unsubscribe(ch))));
            }
        } finally {
            lock.unlock();
        }
        return ch.receiveOnly();
    }

    /**
     * Offers {@code message} to every subscriber whose filter accepts it. Never waits for a subscriber: one whose
     * buffer is full does not get this message (Go: {@code select { case ch <- m: default: }}). After
     * {@link #close} it does nothing.
     */
    public void publish(T message) {
        lock.lock();
        try {
            for (Map.Entry<Channel<T>, Subscriber<T>> e : subscribers.entrySet()) {
                if (e.getValue().filter().test(message)) {
                    try {
                        e.getKey().send(message); // every subscriber gets every message
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many subscribers the broker has now. */
    public int subscribers() {
        lock.lock();
        try {
            return subscribers.size();
        } finally {
            lock.unlock();
        }
    }

    /** Closes every subscriber's channel; later subscriptions get a closed channel. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Map.Entry<Channel<T>, Subscriber<T>> e : subscribers.entrySet()) {
                e.getValue().unsubscribeOnDone().stop();
                e.getKey().close();
            }
            subscribers.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and closes {@code ch}, if it is still subscribed: under the lock, so no publish is sending on it. */
    private void unsubscribe(Channel<T> ch) {
        lock.lock();
        try {
            if (subscribers.remove(ch) != null) {
                ch.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
