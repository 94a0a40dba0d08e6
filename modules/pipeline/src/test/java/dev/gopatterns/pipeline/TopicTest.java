package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopicTest {

    private static final Context BG = Context.background();

    private static Integer[] range(int from, int to) {
        return IntStream.range(from, to).boxed().toArray(Integer[]::new);
    }

    @CapacitySweep
    void everySubscriberGetsEveryValueInPublishOrder(int buffer) throws Exception {
        try (TestThreads threads = TestThreads.virtual();
             Topic<Integer> topic = Topic.create(buffer, Topic.SlowSubscriber.BLOCK)) {
            List<Future<List<Integer>>> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Topic.Subscription<Integer> sub = topic.subscribe();
                got.add(threads.submit("subscriber-" + i, () -> drain(sub.channel())));
            }
            for (int v = 0; v < 300; v++) {
                assertThat(topic.publish(BG, v)).isEqualTo(3);
            }
            topic.close(); // each subscriber's loop ends
            for (Future<List<Integer>> f : got) {
                assertThat(f.get()).containsExactly(range(0, 300));
            }
        }
    }

    @Test
    void blockMakesThePublisherWaitForASlowSubscriberUntilItsContextEnds() throws Exception {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG);
             Topic<Integer> topic = Topic.create(1, Topic.SlowSubscriber.BLOCK)) {
            Topic.Subscription<Integer> slow = topic.subscribe();
            assertThat(topic.publish(ctx, 1)).isOne(); // fills the buffer
            Future<ContextCanceledException> waiting = threads.submitExpecting("publisher",
                    ContextCanceledException.class, () -> topic.publish(ctx, 2));
            Await.blocked(threads.threads().getFirst());
            ctx.cancel();
            assertThat(waiting.get()).isNotNull();
            topic.close();
            assertThat(drain(slow.channel())).containsExactly(1);
            assertThat(slow.dropped()).isZero();
        }
    }

    @Test
    void aSlowSubscriberLeavingReleasesTheBlockedPublisher() throws Exception {
        try (TestThreads threads = TestThreads.virtual();
             Topic<Integer> topic = Topic.create(0, Topic.SlowSubscriber.BLOCK)) {
            Topic.Subscription<Integer> slow = topic.subscribe();
            Future<Integer> publish = threads.submit("publisher", () -> topic.publish(BG, 7));
            Await.blocked(threads.threads().getFirst());
            slow.close();
            assertThat(publish.get()).as("delivered to nobody").isZero();
            assertThat(drain(slow.channel())).isEmpty();
            assertThat(topic.subscribers()).isZero();
        }
    }

    @Test
    void dropNewestNeverWaitsAndCountsPerSubscriber() throws InterruptedException {
        try (Topic<Integer> topic = Topic.create(2, Topic.SlowSubscriber.DROP_NEWEST)) {
            Topic.Subscription<Integer> slow = topic.subscribe();
            Topic.Subscription<Integer> fast = topic.subscribe();
            List<Integer> fastGot = new ArrayList<>();
            for (int v = 0; v < 5; v++) {
                topic.publish(BG, v);
                fastGot.add(fast.channel().receive());
            }
            assertThat(fastGot).containsExactly(0, 1, 2, 3, 4);
            assertThat(fast.dropped()).isZero();
            topic.close();
            assertThat(drain(slow.channel())).as("the buffer kept the first two").containsExactly(0, 1);
            assertThat(slow.dropped()).isEqualTo(3);
        }
    }

    @Test
    void dropOldestNeverWaitsAndKeepsTheNewest() throws InterruptedException {
        try (Topic<Integer> topic = Topic.create(2, Topic.SlowSubscriber.DROP_OLDEST)) {
            Topic.Subscription<Integer> slow = topic.subscribe();
            for (int v = 0; v < 5; v++) {
                assertThat(topic.publish(BG, v)).isOne();
            }
            topic.close();
            assertThat(drain(slow.channel())).containsExactly(3, 4);
            assertThat(slow.dropped()).isEqualTo(3);
        }
    }

    @CapacitySweep
    void unsubscribingNeverLosesOrDuplicatesForTheOthers(int buffer) throws Exception {
        try (TestThreads threads = TestThreads.virtual();
             Topic<Integer> topic = Topic.create(buffer, Topic.SlowSubscriber.BLOCK)) {
            Topic.Subscription<Integer> a = topic.subscribe();
            Topic.Subscription<Integer> b = topic.subscribe();
            Topic.Subscription<Integer> leaver = topic.subscribe();
            Future<List<Integer>> gotA = threads.submit("a", () -> drain(a.channel()));
            Future<List<Integer>> gotB = threads.submit("b", () -> drain(b.channel()));
            Future<List<Integer>> gotLeaver = threads.submit("leaver", () -> {
                List<Integer> got = new ArrayList<>();
                while (got.size() < 50 && leaver.channel().receiveOrClosed() instanceof Received.Value<Integer>(var v)) {
                    got.add(v);
                }
                leaver.close(); // while the publisher is running
                got.addAll(drain(leaver.channel()));
                return got;
            });
            for (int v = 0; v < 1000; v++) {
                topic.publish(BG, v);
            }
            topic.close();
            assertThat(gotA.get()).containsExactly(range(0, 1000));
            assertThat(gotB.get()).containsExactly(range(0, 1000));
            List<Integer> left = gotLeaver.get();
            assertThat(left).as("a prefix, in order, no duplicate").hasSizeGreaterThanOrEqualTo(50)
                    .containsExactly(range(0, left.size()));
        }
    }

    @Test
    void publishesRacingSubscribeAndUnsubscribeNeverSendOnAClosedChannel() throws Exception {
        for (Topic.SlowSubscriber policy : Topic.SlowSubscriber.values()) {
            try (TestThreads threads = TestThreads.virtual();
                 Topic<Integer> topic = Topic.create(1, policy)) {
                Topic.Subscription<Integer> reader = topic.subscribe();
                Future<List<Integer>> read = threads.submit("reader", () -> drain(reader.channel()));
                List<Future<Void>> writers = new ArrayList<>();
                writers.add(threads.start("churn", () -> {
                    for (int i = 0; i < 2000; i++) {
                        Topic.Subscription<Integer> s = topic.subscribe();
                        s.channel().tryReceive();
                        s.close();
                        // what is left: its buffer (1), and under BLOCK a value from each publish that was waiting
                        // to hand one over as it left (it may still win that select); never more, never a repeat
                        assertThat(drain(s.channel())).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates();
                    }
                }));
                for (int p = 0; p < 2; p++) {
                    int base = p * 5000;
                    writers.add(threads.start("publisher-" + p, () -> {
                        for (int v = base; v < base + 5000; v++) {
                            topic.publish(BG, v);
                        }
                    }));
                }
                for (Future<Void> w : writers) {
                    w.get();
                }
                topic.close();
                List<Integer> got = read.get();
                assertThat(got).as(policy.name()).doesNotHaveDuplicates();
                // every value entered the reader's buffer or was dropped (DROP_NEWEST), and left it by a receive or
                // an eviction (DROP_OLDEST), each counted once: nothing vanished and nothing was counted twice
                assertThat(got.size() + reader.dropped()).as(policy.name()).isEqualTo(10_000);
                if (policy == Topic.SlowSubscriber.BLOCK) {
                    assertThat(reader.dropped()).isZero();
                }
            } // TestThreads: no "send on closed channel" in any thread
        }
    }

    @Test
    void closingTheTopicClosesEverySubscriberOnceAndIsIdempotent() throws InterruptedException {
        Topic<String> topic = Topic.create(4, Topic.SlowSubscriber.BLOCK);
        Topic.Subscription<String> a = topic.subscribe();
        Topic.Subscription<String> b = topic.subscribe();
        topic.publish(BG, "x");
        b.close();
        topic.close();
        topic.close();
        a.close(); // after the topic closed it: no second close of its channel
        assertThat(drain(a.channel())).containsExactly("x");
        assertThat(drain(b.channel())).containsExactly("x");
        assertThatThrownBy(() -> topic.publish(BG, "y")).hasMessage("publish on closed topic");
        assertThatThrownBy(topic::subscribe).hasMessage("subscribe on closed topic");
    }

    @Test
    void aSubscriberSeesOnlyWhatIsPublishedAfterItSubscribed() throws InterruptedException {
        try (Topic<Integer> topic = Topic.create(8, Topic.SlowSubscriber.BLOCK)) {
            assertThat(topic.publish(BG, 1)).as("nobody subscribed: delivered to nobody").isZero();
            Topic.Subscription<Integer> s = topic.subscribe();
            topic.publish(BG, 2);
            assertThat(s.channel().tryReceive()).isEqualTo(new Received.Value<>(2));
            assertThat(s.channel().tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        }
    }

    @Test
    void dropPoliciesNeedABuffer() {
        assertThatThrownBy(() -> Topic.create(0, Topic.SlowSubscriber.DROP_OLDEST))
                .hasMessage("subscriber buffer must be >= 1 for DROP_OLDEST, was 0");
        assertThatThrownBy(() -> Topic.create(-1, Topic.SlowSubscriber.BLOCK))
                .hasMessage("subscriber buffer must be >= 0 for BLOCK, was -1");
    }
}
