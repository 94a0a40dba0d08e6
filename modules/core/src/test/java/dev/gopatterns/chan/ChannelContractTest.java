package dev.gopatterns.chan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Go's channel rules, checked for every capacity in {@link CapacitySweep}. */
class ChannelContractTest {

    private static HChan<Integer> chan(int capacity) {
        return (HChan<Integer>) Channel.<Integer>make(capacity);
    }

    @CapacitySweep
    @DisplayName("values arrive in the order they were sent")
    void fifo(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        int n = 2_000;
        try (TestThreads threads = TestThreads.virtual()) {
            threads.start("sender", () -> {
                for (int i = 0; i < n; i++) {
                    ch.send(i);
                }
                ch.close();
            });
            List<Integer> got = new ArrayList<>();
            for (int v : ch) {
                got.add(v);
            }
            assertThat(got).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        }
    }

    @CapacitySweep
    @DisplayName("trySend succeeds exactly capacity times on an idle channel, then reports not ready")
    void trySendFillsTheBuffer(int capacity) {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(ch.trySend(i)).as("trySend #%d into a buffer of %d", i, capacity).isTrue();
        }
        assertThat(ch.trySend(-1)).as("trySend into a full buffer (no receiver waiting)").isFalse();
        assertThat(ch.length()).isEqualTo(capacity);
        assertThat(ch.capacity()).isEqualTo(capacity);
    }

    @CapacitySweep
    @DisplayName("a send blocks while the buffer is full and no receiver waits, and completes when one receives")
    void sendBlocksUntilThereIsRoom(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            ch.send(i);
        }
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> sender = threads.start("sender", () -> ch.send(capacity));
            Await.until("the sender to wait in the channel's send queue", () -> ch.waitingSenders() == 1);
            assertThat(sender).isNotDone();
            assertThat(ch.receive()).as("the oldest value comes out first").isEqualTo(0);
            sender.get();
        }
        for (int i = 1; i <= capacity; i++) {
            assertThat(ch.receive()).isEqualTo(i);
        }
        assertThat(ch.tryReceive()).isEqualTo(TryReceived.notReady());
    }

    @Test
    @DisplayName("an unbuffered send completes only when a receiver has taken the value (rendezvous)")
    void unbufferedIsARendezvous() throws Exception {
        HChan<String> ch = (HChan<String>) Channel.<String>unbuffered();
        assertThat(ch.trySend("nobody listens")).isFalse();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> receiver = threads.submit("receiver", ch::receive);
            Await.until("the receiver to wait", () -> ch.waitingReceivers() == 1);
            assertThat(ch.trySend("hello")).as("a waiting receiver makes trySend succeed").isTrue();
            assertThat(receiver.get()).isEqualTo("hello");
        }
        assertThat(ch.length()).isZero();
    }

    @CapacitySweep
    @DisplayName("receive from a closed channel first drains buffered values, then reports Closed without blocking")
    void closedChannelDrainsThenReportsClosed(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            ch.send(i);
        }
        ch.close();
        for (int i = 0; i < capacity; i++) {
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Value<>(i));
        }
        assertThat(ch.receiveOrClosed()).isInstanceOf(Received.Closed.class);
        assertThat(ch.tryReceive()).isInstanceOf(Received.Closed.class);
        assertThat(ch.receive(Duration.ofDays(1))).isInstanceOf(Received.Closed.class);
        assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class)
                .hasMessageStartingWith("receive from closed channel");
        assertThat(ch.receiveOrClosed()).as("Closed again: closing is permanent").isEqualTo(Received.closed());
    }

    @CapacitySweep
    @DisplayName("send on a closed channel fails with \"send on closed channel\"")
    void sendOnClosed(int capacity) {
        HChan<Integer> ch = chan(capacity);
        ch.close();
        assertThatThrownBy(() -> ch.send(1)).isInstanceOf(ChannelClosedException.class)
                .hasMessage("send on closed channel");
        assertThatThrownBy(() -> ch.trySend(1)).hasMessage("send on closed channel");
        assertThatThrownBy(() -> ch.send(1, Duration.ofSeconds(1))).hasMessage("send on closed channel");
    }

    @CapacitySweep
    @DisplayName("closing twice fails with \"close of closed channel\"")
    void closeTwice(int capacity) {
        HChan<Integer> ch = chan(capacity);
        ch.close();
        assertThatThrownBy(ch::close).isInstanceOf(ChannelClosedException.class).hasMessage("close of closed channel");
    }

    @CapacitySweep
    @DisplayName("null is rejected with a message that says why")
    void nullRejected(int capacity) {
        HChan<Integer> ch = chan(capacity);
        assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null is not a channel value");
        assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ch.onSend(null, () -> 1)).isInstanceOf(NullPointerException.class);
    }

    @CapacitySweep
    @DisplayName("close wakes every blocked receiver with Closed")
    void closeWakesAllReceivers(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        try (TestThreads threads = TestThreads.virtual()) {
            List<Future<Received<Integer>>> receivers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                receivers.add(threads.submit("receiver-" + i, ch::receiveOrClosed));
            }
            Await.until("4 receivers to wait", () -> ch.waitingReceivers() == 4);
            ch.close();
            for (Future<Received<Integer>> r : receivers) {
                assertThat(r.get()).isEqualTo(Received.closed());
            }
        }
        assertThat(ch.waitingReceivers()).isZero();
    }

    @CapacitySweep
    @DisplayName("close makes every blocked sender fail, and their values are not delivered")
    void closeFailsBlockedSenders(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            ch.send(i);
        }
        try (TestThreads threads = TestThreads.virtual()) {
            List<Future<ChannelClosedException>> senders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int v = 100 + i;
                senders.add(threads.submitExpecting("sender-" + i, ChannelClosedException.class, () -> ch.send(v)));
            }
            Await.until("3 senders to wait", () -> ch.waitingSenders() == 3);
            ch.close();
            for (Future<ChannelClosedException> s : senders) {
                assertThat(s.get()).as("a sender blocked when the channel closed")
                        .isInstanceOf(ChannelClosedException.class).hasMessage("send on closed channel");
            }
        }
        List<Integer> drained = ch.stream().toList();
        assertThat(drained).as("only the values buffered before close").containsExactlyElementsOf(
                IntStream.range(0, capacity).boxed().toList());
    }

    @CapacitySweep
    @DisplayName("tryReceive reports NotReady on an open empty channel and never blocks")
    void tryReceiveOnEmpty(int capacity) {
        HChan<Integer> ch = chan(capacity);
        assertThat(ch.tryReceive()).isEqualTo(TryReceived.notReady());
        if (capacity > 0) {
            ch.trySend(7);
            assertThat(ch.tryReceive()).isEqualTo(new Received.Value<>(7));
        }
    }

    @CapacitySweep
    @DisplayName("a timed receive gives up when its clock passes the timeout, and leaves nothing queued")
    void timedReceiveTimesOut(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        FakeClock clock = new FakeClock();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<TryReceived<Integer>> r = threads.submit("receiver", () -> ch.receive(Duration.ofSeconds(5), clock));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(4));
            assertThat(r).as("4 s of a 5 s timeout").isNotDone();
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isEqualTo(TryReceived.notReady());
        }
        assertThat(ch.waitingReceivers()).isZero();
    }

    @CapacitySweep
    @DisplayName("a timed receive returns the value that arrives before the timeout")
    void timedReceiveGetsValue(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        FakeClock clock = new FakeClock();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<TryReceived<Integer>> r = threads.submit("receiver", () -> ch.receive(Duration.ofSeconds(5), clock));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            ch.send(42);
            assertThat(r.get()).isEqualTo(new Received.Value<>(42));
        }
    }

    @CapacitySweep
    @DisplayName("a timed send gives up when its clock passes the timeout, and the value is not delivered")
    void timedSendTimesOut(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            ch.send(i);
        }
        FakeClock clock = new FakeClock();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> s = threads.submit("sender", () -> ch.send(-1, Duration.ofMillis(10), clock));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofMillis(10));
            assertThat(s.get()).isFalse();
        }
        assertThat(ch.waitingSenders()).isZero();
        assertThat(ch.length()).isEqualTo(capacity);
        assertThat(ch.send(1, Duration.ZERO, clock)).as("a zero timeout on a full channel").isFalse();
    }

    @CapacitySweep
    @DisplayName("for-each and stream() receive until the channel is closed and drained")
    void rangeUntilClosed(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        try (TestThreads threads = TestThreads.virtual()) {
            threads.start("generator", () -> {
                for (int i = 1; i <= 100; i++) {
                    ch.send(i);
                }
                ch.close();
            });
            assertThat(ch.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5050);
        }
        assertThat(ch.iterator().hasNext()).isFalse();
    }

    @Test
    @DisplayName("capacity rules: make(-1) and buffered(0) fail naming the rule")
    void capacityRules() {
        assertThatThrownBy(() -> Channel.make(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 0, was -1");
        assertThatThrownBy(() -> Channel.buffered(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use unbuffered() for 0");
        assertThat(Channel.unbuffered().capacity()).isZero();
        assertThat(Channel.buffered(3).capacity()).isEqualTo(3);
    }

    @Test
    @DisplayName("directional views send or receive only, and cannot be cast back")
    void directionalViews() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        SendChannel<String> out = ch.sendOnly();
        ReceiveChannel<String> in = ch.receiveOnly();
        assertThat(out).isNotInstanceOf(ReceiveChannel.class).isNotInstanceOf(Channel.class);
        assertThat(in).isNotInstanceOf(SendChannel.class).isNotInstanceOf(Channel.class);
        out.send("a");
        assertThat(out.length()).isEqualTo(1);
        assertThat(in.receive()).isEqualTo("a");
        out.close();
        assertThat(in.receiveOrClosed()).isEqualTo(Received.closed());
        assertThat(in.capacity()).isEqualTo(2);
    }

    @Test
    @DisplayName("the nil channel is never ready: try forms fail, timed forms time out, close fails")
    void nilChannel() throws Exception {
        Channel<String> nil = Channel.nil();
        assertThat(nil.trySend("x")).isFalse();
        assertThat(nil.tryReceive()).isEqualTo(TryReceived.notReady());
        FakeClock clock = new FakeClock();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<TryReceived<String>> r = threads.submit("receiver", () -> nil.receive(Duration.ofSeconds(1), clock));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isEqualTo(TryReceived.notReady());
        }
        assertThatThrownBy(nil::close).isInstanceOf(ChannelClosedException.class).hasMessage("close of nil channel");
        assertThat(nil.length()).isZero();
        assertThat(nil.capacity()).isZero();
    }

    @CapacitySweep
    @DisplayName("actions before a send are visible after the matching receive (happens-before)")
    void happensBefore(int capacity) throws Exception {
        HChan<int[]> ch = (HChan<int[]>) Channel.<int[]>make(capacity);
        try (TestThreads threads = TestThreads.platform()) {
            threads.start("writer", () -> {
                for (int i = 0; i < 1_000; i++) {
                    int[] box = new int[1];
                    box[0] = i; // plain write, published only by the send
                    ch.send(box);
                }
                ch.close();
            });
            int expected = 0;
            for (int[] box : ch) {
                assertThat(box[0]).isEqualTo(expected++);
            }
        }
    }
}
