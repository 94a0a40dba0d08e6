package dev.gopatterns.exercises.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `pubsub`: what {@link Broker} must do. The test subscribes, publishes and reads itself. To open the
 * windows in which a broker goes wrong, it gives a subscriber a filter that holds the publish inside the broker
 * (the filter runs in the publisher's thread) while it cancels a subscriber or subscribes another, and lets the
 * publish go on only once that has happened or is parked waiting for the broker: the race happens every run. Every
 * wait is bounded; nothing sleeps. Every thread the broker starts must have ended when a test returns.
 *
 * <p>How to run: {@code ./learn check pubsub}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `pubsub`: a broker with a buffered channel per subscriber")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("every subscriber gets every message its filter accepts, in the order published")
    void everySubscriberGetsEveryMessage() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try (Broker<String> broker = new Broker<>(4)) {
            ReceiveChannel<String> a = broker.subscribe(ctx);
            ReceiveChannel<String> b = broker.subscribe(ctx);
            ReceiveChannel<String> x = broker.subscribe(ctx, m -> m.startsWith("x"));
            for (String m : List.of("m1", "x2", "m3")) {
                publish(broker, m);
            }
            assertThat(List.of(buffered(a), buffered(b))).as("every subscriber gets every message, in the order"
                    + " published").containsExactly(List.of("m1", "x2", "m3"), List.of("m1", "x2", "m3"));
            assertThat(buffered(x)).as("a subscriber with a filter gets only the messages its filter accepts")
                    .containsExactly("x2");
            assertThat(broker.subscribers()).as("subscribers()").isEqualTo(3);
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("a slow subscriber misses the messages its full buffer cannot take, and holds up nobody")
    void aSlowSubscriberDoesNotBlockTheOthers() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try (Broker<String> broker = new Broker<>(2)) {
            ReceiveChannel<String> slow = broker.subscribe(ctx); // never read until the end
            ReceiveChannel<String> fast = broker.subscribe(ctx);
            for (int i = 1; i <= 5; i++) {
                String m = "m" + i;
                publish(broker, m);
                assertThat(fast.tryReceive()).as("the subscriber that keeps up gets %s", m)
                        .isEqualTo(new Received.Value<>(m));
            }
            assertThat(buffered(slow)).as("the slow subscriber's buffer holds 2: it gets the first 2 messages and"
                    + " misses the rest (dropped for it, as a select with a default does)").containsExactly("m1", "m2");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(3)
    @DisplayName("when a subscriber's ctx ends, its channel is closed and it is removed from the broker")
    void aCancelledSubscriberIsClosedAndRemoved() throws Exception {
        CancellableContext ctxA = Context.withCancel(Context.background());
        CancellableContext ctxB = Context.withCancel(Context.background());
        try (Broker<String> broker = new Broker<>(4)) {
            ReceiveChannel<String> a = broker.subscribe(ctxA);
            ReceiveChannel<String> b = broker.subscribe(ctxB);
            publish(broker, "m1");
            ctxA.cancel();
            List<String> got = Background.within(ONE_SECOND, "reads a", () -> drain(a),
                    () -> "a subscriber's channel was not closed 1 s after its ctx was cancelled: a subscriber's"
                            + " channel must be closed once its ctx ends (Context.afterFunc(ctx, ...)), or its range"
                            + " waits for ever");
            assertThat(got).as("what the cancelled subscriber had in its buffer is still read before the close")
                    .containsExactly("m1");
            Eventually.until(() -> broker.subscribers() == 1, () -> "the broker to have 1 subscriber after the"
                    + " other's ctx ended (it has " + broker.subscribers() + "): cancelled subscribers must be"
                    + " removed from the broker, or it keeps every channel it ever made");
            try {
                publish(broker, "m2");
            } catch (ChannelClosedException e) {
                throw new AssertionError("publish failed after a subscriber was cancelled: cancelled subscribers"
                        + " must be removed from the broker when their channel is closed, or the next publish sends"
                        + " on a closed channel", e);
            }
            assertThat(buffered(b)).as("the subscriber still there gets every message").containsExactly("m1", "m2");
        } finally {
            ctxA.cancel();
            ctxB.cancel();
        }
    }

    @Test
    @Order(4)
    @DisplayName("a subscriber cancelled while a publish is delivering to it is closed only after that publish")
    void unsubscribeNeverClosesAChannelAPublishIsSendingOn() throws Exception {
        CancellableContext ctxA = Context.withCancel(Context.background());
        Gate gate = new Gate();
        LiveThreads threads = LiveThreads.mark();
        try (Broker<String> broker = new Broker<>(4)) {
            ReceiveChannel<String> a = broker.subscribe(ctxA, gate::hold);
            try (Background<Void> publisher = Background.start("publishes", () -> {
                broker.publish("m");
                return null;
            })) {
                Eventually.until(() -> gate.entered() == 1, () -> "publish to call the subscriber's filter");
                // The publish has picked a's channel and not sent yet. Now a's subscriber goes away.
                ctxA.cancel();
                Eventually.until(() -> a.tryReceive() instanceof Received.Closed<String>
                                || parkedInBroker(threads) >= 2,
                        () -> "the unsubscribe (after ctx ended) to close a's channel, or to wait for the publish");
                gate.open();
                try {
                    publisher.await(ONE_SECOND, () -> "publish did not return within 1 s after its filter returned");
                } catch (ChannelClosedException e) {
                    throw new AssertionError("publish sent on a channel unsubscribe had closed (send on closed"
                            + " channel): a's ctx ended while a publish was delivering to a, and the unsubscribe"
                            + " closed a's channel at once. Close a subscriber's channel only under the lock publish"
                            + " holds while it delivers (or in the one thread that sends)", e);
                }
            }
            List<String> got = Background.within(ONE_SECOND, "reads a", () -> drain(a),
                    () -> "a's channel was not closed 1 s after the publish its ctx raced had returned");
            assertThat(got).as("a was still subscribed when the publish picked it: it gets the message, then its"
                    + " channel is closed").containsExactly("m");
        } finally {
            ctxA.cancel();
            gate.open();
        }
    }

    @Test
    @Order(5)
    @DisplayName("a subscribe while a publish is going through the subscribers waits for it, and the map stays whole")
    void theSubscribersMapIsGuarded() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Gate gate = new Gate();
        try (Broker<String> broker = new Broker<>(4)) {
            ReceiveChannel<String> a = broker.subscribe(ctx, gate::hold);
            ReceiveChannel<String> b = broker.subscribe(ctx, gate::hold);
            try (Background<Void> publisher = Background.start("publishes", () -> {
                broker.publish("m");
                return null;
            })) {
                // The subscribe starts only once the publish is inside its first filter, in the middle of going
                // through the subscribers: so "m" is on its way before the third subscriber exists.
                Eventually.until(() -> gate.entered() == 1, () -> "publish to call a subscriber's filter");
                Background<ReceiveChannel<String>> subscriber = Background.start("subscribes",
                        () -> broker.subscribe(ctx));
                Eventually.until(() -> subscriber.isDone() || parked(subscriber.thread()),
                        () -> "the second thread's subscribe to return, or to wait for the publish");
                gate.open();
                try {
                    publisher.await(ONE_SECOND, () -> "publish did not return within 1 s after its filters returned");
                } catch (ConcurrentModificationException e) {
                    throw new AssertionError("the broker's map of subscribers was changed while publish was going"
                            + " through it (ConcurrentModificationException): a subscribe in another thread added to"
                            + " it. Touch the map only under one lock, held by subscribe, publish, unsubscribe and"
                            + " close (or only in one owner thread)", e);
                }
                ReceiveChannel<String> c;
                try (subscriber) {
                    c = subscriber.await(ONE_SECOND, () -> "subscribe did not return within 1 s after the publish it"
                            + " waited for had ended");
                }
                assertThat(broker.subscribers()).as("subscribers() after 3 subscriptions").isEqualTo(3);
                publish(broker, "n");
                assertThat(buffered(c)).as("the third subscriber gets what is published after it subscribed")
                        .containsExactly("n");
            }
            assertThat(List.of(buffered(a), buffered(b))).containsExactly(List.of("m", "n"), List.of("m", "n"));
        } finally {
            ctx.cancel();
            gate.open();
        }
    }

    @Test
    @Order(6)
    @DisplayName("close closes every subscriber's channel; after it, subscribe gets a closed channel")
    void closeClosesEverySubscriber() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        try {
            Broker<String> broker = new Broker<>(4);
            ReceiveChannel<String> a = broker.subscribe(ctx);
            ReceiveChannel<String> b = broker.subscribe(ctx);
            publish(broker, "m");
            broker.close();
            for (ReceiveChannel<String> ch : List.of(a, b)) {
                assertThat(Background.within(ONE_SECOND, "reads a subscriber", () -> drain(ch),
                        () -> "a subscriber's channel was not closed 1 s after the broker was closed: close must"
                                + " close every subscriber's channel")).containsExactly("m");
            }
            assertThat(broker.subscribers()).as("subscribers() after close").isZero();
            ReceiveChannel<String> late = broker.subscribe(ctx);
            assertThat(late.tryReceive()).as("subscribe after close returns a closed channel")
                    .isInstanceOf(Received.Closed.class);
            publish(broker, "after"); // does nothing, and must not fail
            ctx.cancel(); // the subscribers' ctx ends after the broker closed them: nothing to do, nothing fails
            broker.close(); // idempotent
        } finally {
            ctx.cancel();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static void publish(Broker<String> broker, String m) throws Exception {
        Background.within(ONE_SECOND, "publishes " + m, () -> {
            broker.publish(m);
            return null;
        }, () -> "publish(" + m + ") did not return within 1 s: publish blocked on a slow subscriber whose buffer"
                + " was full. A subscriber that does not keep up must not hold up the others: drop the message for"
                + " it (trySend, or a select with a default)");
    }

    /** What is in a channel's buffer now, without waiting. */
    private static List<String> buffered(ReceiveChannel<String> ch) {
        List<String> got = new ArrayList<>();
        while (ch.tryReceive() instanceof Received.Value<String>(String v)) {
            got.add(v);
        }
        return got;
    }

    private static List<String> drain(ReceiveChannel<String> ch) throws InterruptedException {
        List<String> got = new ArrayList<>();
        while (ch.receiveOrClosed() instanceof Received.Value<String>(String v)) {
            got.add(v);
        }
        return got;
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** How many threads running the broker's code are parked. */
    private static long parkedInBroker(LiveThreads threads) {
        return threads.runningCodeOf(Broker.class).stream().filter(LiveThreads.Live::parked).count();
    }

    /** A filter that holds the first call (a publish, inside the broker) until the test opens it. */
    private static final class Gate {
        private final Channel<Void> open = Channel.make(0);
        private final AtomicInteger entered = new AtomicInteger();

        boolean hold(String message) {
            if (entered.incrementAndGet() == 1) {
                try {
                    open.receiveOrClosed();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }

        int entered() {
            return entered.get();
        }

        void open() {
            try {
                open.close();
            } catch (ChannelClosedException alreadyOpen) {
                // opened before
            }
        }
    }
}
