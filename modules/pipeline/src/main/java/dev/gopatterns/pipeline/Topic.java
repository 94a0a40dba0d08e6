package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publish/subscribe: every value published on the topic goes to every subscriber, each through its own bounded
 * channel, with an explicit rule, chosen when the topic is made, for a subscriber whose buffer is full.
 *
 * <pre>{@code
 * try (Topic<Event> events = Topic.create(64, Topic.SlowSubscriber.DROP_OLDEST);
 *      Topic.Subscription<Event> sub = events.subscribe()) {
 *     events.publish(ctx, e);                     // never waits: a full buffer loses its oldest event
 *     for (Event e : sub.channel()) { ... }       // ends when sub or the topic is closed
 *     sub.dropped();                              // how many this subscriber lost
 * }
 * }</pre>
 *
 * <p>Go equivalent: Go has no built-in pub/sub. The usual idiom is a fan-out to a set of subscriber channels,
 * often run by a broker goroutine that owns the set:
 * <pre>{@code
 * for msg := range publish {
 *     for ch := range subs {
 *         select {
 *         case ch <- msg:
 *         default:          // drop for a slow subscriber; or plain `ch <- msg` to block the publisher
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A subscriber receives every value of every {@code publish} that began after {@code subscribe} returned and
 *       ended before the subscription was closed, once, in the order of the publishes (for publishes from one
 *       thread; concurrent publishes reach each subscriber in some order), except the values its policy drops and
 *       those of a BLOCK publish whose context ended first. A publish running while a subscriber joins or leaves
 *       reaches it or not, and never twice.
 *   <li>The slow-subscriber policy: {@link SlowSubscriber#BLOCK} makes {@code publish} wait for room in each
 *       buffer (backpressure), until {@code ctx} ends or that subscriber leaves; {@link SlowSubscriber#DROP_NEWEST}
 *       and {@link SlowSubscriber#DROP_OLDEST} never wait, and count every value they drop per subscriber
 *       ({@link Subscription#dropped()}).
 *   <li>Each subscriber's channel is closed exactly once: when its subscription or the topic is closed (by the
 *       {@code publish} delivering to it at that moment, as it finishes, if there is one: so closing never waits
 *       and a publish never sends on a closed channel). Closing a subscription does not affect what the others
 *       receive.
 *   <li>No threads: the publisher's own thread does the fan-out, so there is nothing to leak or shut down.
 *   <li>Memory consistency effects: actions in a thread prior to {@code publish} happen-before a subscriber's
 *       receive of that value.
 * </ul>
 *
 * <p>Where it differs from Go: there is no broker goroutine; subscribers are held in a copy-on-write list and the
 * publisher delivers, so a subscribe or unsubscribe never waits for a publish. Closing the topic is idempotent (as
 * every {@link AutoCloseable} here), where closing a Go channel twice panics; publishing or subscribing on a closed
 * topic fails with "publish on closed topic" / "subscribe on closed topic".
 *
 * @param <T> the value type
 */
public final class Topic<T> implements AutoCloseable {

    /*
     * The one race is a publish delivering to a subscriber whose channel is being closed: a naive close would make
     * that send throw "send on closed channel". Each subscriber's state is one int: the number of publishes
     * delivering to it right now, plus a CLOSING bit. A publish enters only while CLOSING is clear (a CAS) and
     * leaves with a decrement; close sets CLOSING and closes the subscriber's `gone` channel, which wakes a
     * publish blocked in a BLOCK send to it. The channel is closed by whoever brings the state to exactly
     * CLOSING with no publish inside: close itself if none was inside, else the last publish to leave. That
     * transition happens once (nobody enters after CLOSING is set, so the count falls to zero once), so the
     * channel is closed exactly once, after every send to it.
     *
     * DROP_OLDEST evicts with tryReceive and retries trySend. It may race the subscriber's own receive (the
     * subscriber took the oldest first: then the retry finds room, and nothing was dropped) or another
     * publisher's eviction; each value evicted is counted once, by the thread that took it.
     */

    /** What {@code publish} does when a subscriber's buffer is full. */
    public enum SlowSubscriber {
        /** The publisher waits for room: backpressure. The wait ends when {@code ctx} ends or the subscriber leaves. */
        BLOCK,
        /** The value being published is dropped for that subscriber, and counted. */
        DROP_NEWEST,
        /** The oldest value in that subscriber's buffer is dropped, and counted, to make room. */
        DROP_OLDEST
    }

    private final int buffer;
    private final SlowSubscriber policy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written under lock (copy on write); read without it by publish. */
    private volatile List<Subscription<T>> subscribers = List.of();
    /** Guarded by lock. */
    private boolean closed;

    private Topic(int buffer, SlowSubscriber policy) {
        this.buffer = buffer;
        this.policy = policy;
    }

    /**
     * A topic whose subscribers each have a buffer of {@code buffer} values.
     *
     * @throws IllegalArgumentException if {@code buffer < 0}, or {@code buffer < 1} with a DROP policy (a value
     *                                  can only be dropped from a buffer)
     */
    public static <T> Topic<T> create(int buffer, SlowSubscriber policy) {
        Objects.requireNonNull(policy, "policy");
        int min = policy == SlowSubscriber.BLOCK ? 0 : 1;
        if (buffer < min) {
            throw new IllegalArgumentException("subscriber buffer must be >= " + min + " for " + policy
                    + ", was " + buffer);
        }
        return new Topic<>(buffer, policy);
    }

    /**
     * A new subscriber: values published from now on arrive on its {@link Subscription#channel()}.
     *
     * @throws IllegalStateException if the topic is closed ("subscribe on closed topic")
     */
    public Subscription<T> subscribe() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("subscribe on closed topic");
            }
            Subscription<T> s = new Subscription<>(this, Channel.make(buffer));
            List<Subscription<T>> next = new ArrayList<>(subscribers);
            next.add(s);
            subscribers = List.copyOf(next);
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers {@code value} to every current subscriber, in subscription order, following the topic's policy.
     *
     * @return how many subscribers it was delivered to (put in their buffers; under DROP_OLDEST a later publish may
     *         still evict it)
     * @throws IllegalStateException if the topic is closed ("publish on closed topic")
     * @throws dev.gopatterns.context.ContextException under BLOCK, if {@code ctx} is or becomes done first: the value
     *                                  then reached the subscribers before the slow one, and no others
     */
    public int publish(Context ctx, T value) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(value, "value");
        ctx.throwIfDone();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("publish on closed topic");
            }
        } finally {
            lock.unlock();
        }
        int delivered = 0;
        for (Subscription<T> s : subscribers) {
            if (s.enter()) {
                try {
                    if (s.deliver(ctx, value, policy)) {
                        delivered++;
                    }
                } finally {
                    s.leave();
                }
            }
        }
        return delivered;
    }

    /** The number of current subscribers. */
    public int subscribers() {
        return subscribers.size();
    }

    /**
     * Closes the topic and every subscriber's channel (each once); a publish blocked on a slow subscriber returns.
     * Idempotent; never waits.
     */
    @Override
    public void close() {
        List<Subscription<T>> all;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            all = subscribers;
            subscribers = List.of();
        } finally {
            lock.unlock();
        }
        all.forEach(Subscription::end);
    }

    private void remove(Subscription<T> s) {
        lock.lock();
        try {
            List<Subscription<T>> next = new ArrayList<>(subscribers);
            if (next.remove(s)) {
                subscribers = List.copyOf(next);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One subscriber: its channel, its drop count, and its close (unsubscribe).
     *
     * @param <T> the value type
     */
    public static final class Subscription<T> implements AutoCloseable {

        private static final int CLOSING = 1 << 30;

        private final Topic<T> topic;
        private final Channel<T> channel;
        /** Closed when the subscription ends: wakes a publish blocked sending to it. */
        private final Channel<Void> gone = Channel.unbuffered();
        private final AtomicBoolean ended = new AtomicBoolean();
        /** Publishes delivering to this subscriber now, plus CLOSING once it is ending. */
        private final AtomicInteger state = new AtomicInteger();
        private final AtomicLong dropped = new AtomicLong();

        private Subscription(Topic<T> topic, Channel<T> channel) {
            this.topic = topic;
            this.channel = channel;
        }

        /** The values published to this subscriber; closed, once, when it or the topic is closed. */
        public ReceiveChannel<T> channel() {
            return channel.receiveOnly();
        }

        /** How many values its policy dropped for this subscriber so far (always 0 under BLOCK). */
        public long dropped() {
            return dropped.get();
        }

        /** Unsubscribes: no later publish reaches it, and its channel is closed. Idempotent; never waits. */
        @Override
        public void close() {
            topic.remove(this);
            end();
        }

        private void end() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            gone.close();
            if (state.getAndAdd(CLOSING) == 0) {
                channel.close(); // nobody inside: close now
            }
        }

        /** A publish enters, unless the subscription is ending. */
        private boolean enter() {
            for (;;) {
                int s = state.get();
                if (s >= CLOSING) {
                    return false;
                }
                if (state.compareAndSet(s, s + 1)) {
                    return true;
                }
            }
        }

        private void leave() {
            if (state.decrementAndGet() == CLOSING) {
                channel.close(); // the last publish inside an ending subscription closes it
            }
        }

        /** Call only between enter and leave. True if the value was put in the buffer. */
        private boolean deliver(Context ctx, T value, SlowSubscriber policy) throws InterruptedException {
            switch (policy) {
                case DROP_NEWEST -> {
                    if (channel.trySend(value)) {
                        return true;
                    }
                    dropped.incrementAndGet();
                    return false;
                }
                case DROP_OLDEST -> {
                    while (!channel.trySend(value)) {
                        if (channel.tryReceive() instanceof Received.Value<T>) {
                            dropped.incrementAndGet();
                        }
                    }
                    return true;
                }
                default -> {
                    if (ctx.isDone() || ended.get()) {
                        ctx.throwIfDone();
                        return false;
                    }
                    int what = Select.select(channel.onSend(value, () -> 1),
                            gone.onReceiveOrClosed(r -> 2), ctx.onDone(() -> 0));
                    if (what == 0) {
                        ctx.throwIfDone();
                    }
                    return what == 1;
                }
            }
        }
    }
}
