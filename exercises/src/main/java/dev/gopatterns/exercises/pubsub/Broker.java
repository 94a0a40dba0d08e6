package dev.gopatterns.exercises.pubsub;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.function.Predicate;

/**
 * Exercise `pubsub`: a broker that gives every published message to each of its subscribers.
 *
 * <p>The rules:
 * <ol>
 *   <li>{@code subscribe(ctx)} returns a channel with a buffer of {@code buffer} messages, which gets every message
 *       published from then on (with a filter: those it accepts), in order.
 *   <li>{@code publish(m)} never waits for a subscriber: one whose buffer is full does not get {@code m} (the
 *       message is dropped for it, as Go's {@code select} with a {@code default} does); the others still do.
 *   <li>When a subscriber's {@code ctx} ends, its channel is closed and it is removed from the broker.
 *   <li>No channel is closed while a publish may still send on it: publish, unsubscribe and close share one lock
 *       (or one owner thread), and the subscribers' map is touched only under it.
 *   <li>{@code close()} closes every subscriber's channel; after it, subscribe returns a closed channel and publish
 *       does nothing.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check pubsub}
 */
public final class Broker<T> implements AutoCloseable {

    /**
     * A broker whose subscribers each have a buffer of {@code buffer} messages.
     *
     * @throws IllegalArgumentException if {@code buffer} is negative
     */
    public Broker(int buffer) {
        // TODO: keep the buffer size; make the lock and the map of subscribers it guards
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
        throw new UnsupportedOperationException(
                "TODO: subscribe: make a buffered channel, add it to the map under the lock, and arrange"
                        + " (Context.afterFunc) to remove and close it, under the lock, when ctx ends");
    }

    /** Offers {@code message} to every subscriber whose filter accepts it, never waiting for one. */
    public void publish(T message) {
        throw new UnsupportedOperationException(
                "TODO: publish: under the lock, trySend the message to each subscriber whose filter accepts it");
    }

    /** How many subscribers the broker has now. */
    public int subscribers() {
        throw new UnsupportedOperationException("TODO: subscribers: the size of the map, under the lock");
    }

    /** Closes every subscriber's channel; later subscriptions get a closed channel. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException(
                "TODO: close: under the lock, mark the broker closed and close and remove every subscriber");
    }
}
