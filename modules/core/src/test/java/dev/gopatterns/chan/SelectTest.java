package dev.gopatterns.chan;

import static dev.gopatterns.chan.Select.select;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Go's select rules. */
class SelectTest {

    private static <T> HChan<T> chan(int capacity) {
        return (HChan<T>) Channel.<T>make(capacity);
    }

    @Test
    @DisplayName("with two ready receive cases exactly one fires, and the other value stays in its channel")
    void exactlyOneOfTwoReadyFires() throws Exception {
        for (int round = 0; round < 200; round++) {
            Channel<String> a = Channel.buffered(1);
            Channel<String> b = Channel.buffered(1);
            a.send("a");
            b.send("b");
            String got = select(a.onReceive(v -> v), b.onReceive(v -> v));
            assertThat(a.length() + b.length()).as("values left after one select").isEqualTo(1);
            assertThat(got.equals("a") ? b.tryReceive() : a.tryReceive())
                    .isEqualTo(new Received.Value<>(got.equals("a") ? "b" : "a"));
        }
    }

    @Test
    @DisplayName("among ready cases the choice is uniformly random, as in Go (no case is starved by its position)")
    void randomChoiceAmongReadyCases() throws Exception {
        Channel<Integer> first = Channel.buffered(1);
        Channel<Integer> second = Channel.buffered(1);
        first.send(1);
        second.send(2);
        int n = 10_000;
        int firstChosen = 0;
        for (int i = 0; i < n; i++) {
            int which = select(first.onReceive(v -> 1), second.onReceive(v -> 2));
            if (which == 1) {
                firstChosen++;
                first.send(1);
            } else {
                second.send(2);
            }
        }
        // Binomial(10000, 0.5) has sd 50: 4500..5500 is 10 sd wide. A biased select lands far outside.
        assertThat(firstChosen).as("times the first case was chosen out of %d", n).isBetween(4_500, 5_500);
    }

    @Test
    @DisplayName("the default case fires only when no other case is ready, and then nothing is consumed")
    void defaultCase() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        assertThat(select(ch.onReceive(v -> "got " + v), Select.defaultCase(() -> "nothing"))).isEqualTo("nothing");
        ch.send("x");
        assertThat(select(ch.onReceive(v -> "got " + v), Select.defaultCase(() -> "nothing"))).isEqualTo("got x");
        assertThat(select(ch.onSend("y", () -> "sent"), Select.defaultCase(() -> "full"))).isEqualTo("sent");
        assertThat(select(ch.onSend("z", () -> "sent"), Select.defaultCase(() -> "full"))).isEqualTo("full");
        assertThat(ch.receive()).isEqualTo("y");
    }

    @Test
    @DisplayName("selectNow is select with a default case that declares no InterruptedException")
    void selectNow() {
        Channel<String> ch = Channel.buffered(1);
        assertThat(Select.selectNow(() -> "none", ch.onReceive(v -> v))).isEqualTo("none");
        assertThat(ch.trySend("x")).isTrue();
        assertThat(Select.selectNow(() -> "none", ch.onReceive(v -> v))).isEqualTo("x");
        assertThatThrownBy(() -> Select.selectNow(() -> 1, Select.defaultCase(() -> 2)))
                .hasMessage("select may have at most one default case");
    }

    @Test
    @DisplayName("the timeout case fires when its clock passes the deadline, and leaves no registration behind")
    void timeoutFires() throws Exception {
        HChan<String> ch = chan(0);
        FakeClock clock = new FakeClock();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("selector", () -> select(
                    ch.onReceive(v -> v),
                    Select.after(Duration.ofSeconds(2), clock, () -> "timeout")));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            assertThat(ch.waitingReceivers()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));
            assertThat(r).isNotDone();
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isEqualTo("timeout");
        }
        assertThat(ch.waitingReceivers()).as("nodes left in the channel after the timeout").isZero();
        assertThat(ch.trySend("late")).as("nobody may still be receiving").isFalse();
    }

    @Test
    @DisplayName("the shortest of several timeout cases wins; a zero timeout fires at once when nothing is ready")
    void shortestTimeoutWins() throws Exception {
        FakeClock clock = new FakeClock();
        Channel<String> ch = Channel.unbuffered();
        assertThat(select(ch.onReceive(v -> v), Select.after(Duration.ZERO, clock, () -> "zero"))).isEqualTo("zero");
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("selector", () -> select(
                    Select.after(Duration.ofSeconds(5), clock, () -> "long"),
                    ch.onReceive(v -> v),
                    Select.after(Duration.ofSeconds(1), clock, () -> "short")));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isEqualTo("short");
        }
    }

    @CapacitySweep
    @DisplayName("a blocked select wakes for the one channel that becomes ready and unregisters from the others")
    void blockedSelectWakes(int capacity) throws Exception {
        HChan<Integer> a = chan(capacity);
        HChan<Integer> b = chan(capacity);
        HChan<Integer> c = chan(capacity);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("selector", () -> select(
                    a.onReceive(v -> "a" + v), b.onReceive(v -> "b" + v), c.onReceive(v -> "c" + v)));
            Await.until("the select to wait on all three channels",
                    () -> a.waitingReceivers() + b.waitingReceivers() + c.waitingReceivers() == 3);
            b.send(7);
            assertThat(r.get()).isEqualTo("b7");
        }
        assertThat(a.waitingReceivers() + b.waitingReceivers() + c.waitingReceivers()).isZero();
        assertThat(a.length() + b.length() + c.length()).isZero();
    }

    @CapacitySweep
    @DisplayName("a send case hands its value to a waiting receiver, or into the buffer")
    void sendCase(int capacity) throws Exception {
        HChan<String> ch = chan(capacity);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> receiver = threads.submit("receiver", ch::receive);
            if (capacity == 0) {
                Await.until("the receiver to wait", () -> ch.waitingReceivers() == 1);
            }
            assertThat(select(ch.onSend("v", () -> "sent"))).isEqualTo("sent");
            assertThat(receiver.get()).isEqualTo("v");
        }
    }

    @Test
    @DisplayName("a closed channel's receive case is ready: onReceiveOrClosed gets Closed, onReceive throws")
    void closedReceiveCaseIsReady() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        Channel<String> never = Channel.unbuffered();
        ch.close();
        Received<String> r = select(ch.onReceiveOrClosed(x -> x), never.onReceiveOrClosed(x -> x));
        assertThat(r).isEqualTo(Received.closed());
        assertThatThrownBy(() -> select(ch.onReceive(x -> x))).isInstanceOf(ChannelClosedException.class);
    }

    @Test
    @DisplayName("close wakes a select blocked on receive with Closed")
    void closeWakesBlockedSelect() throws Exception {
        HChan<String> ch = chan(0);
        HChan<String> other = chan(0);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Received<String>> r = threads.submit("selector",
                    () -> select(ch.onReceiveOrClosed(x -> x), other.onReceiveOrClosed(x -> x)));
            Await.until("the select to wait", () -> ch.waitingReceivers() == 1);
            ch.close();
            assertThat(r.get()).isEqualTo(Received.closed());
        }
        assertThat(other.waitingReceivers()).isZero();
    }

    @Test
    @DisplayName("a send case on a closed channel makes select fail with \"send on closed channel\", blocked or not")
    void sendCaseOnClosed() throws Exception {
        HChan<String> ch = chan(0);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ChannelClosedException> r = threads.submitExpecting("selector", ChannelClosedException.class,
                    () -> select(ch.onSend("x", () -> "sent")));
            Await.until("the select to wait", () -> ch.waitingSenders() == 1);
            ch.close();
            assertThat(r.get()).hasMessage("send on closed channel");
        }
        assertThatThrownBy(() -> select(ch.onSend("x", () -> 1), Select.defaultCase(() -> 2)))
                .hasMessage("send on closed channel");
    }

    @Test
    @DisplayName("a select that sends and receives on the same unbuffered channel never matches itself")
    void sameChannelBothWays() throws Exception {
        HChan<String> ch = chan(0);
        assertThat(select(ch.onSend("x", () -> "sent"), ch.onReceive(v -> "received " + v),
                Select.defaultCase(() -> "blocked"))).isEqualTo("blocked");
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("selector",
                    () -> select(ch.onSend("mine", () -> "sent"), ch.onReceive(v -> "received " + v)));
            Await.until("the select to wait on both ends", () -> ch.waitingSenders() == 1 && ch.waitingReceivers() == 1);
            assertThat(r).isNotDone();
            assertThat(ch.receive()).as("another thread receives the select's value").isEqualTo("mine");
            assertThat(r.get()).isEqualTo("sent");
        }
        assertThat(ch.waitingSenders() + ch.waitingReceivers()).isZero();
    }

    @Test
    @DisplayName("two selects on opposite ends of one unbuffered channel exchange every value exactly once")
    void selectMeetsSelect() throws Exception {
        Channel<Integer> ch = Channel.unbuffered();
        Channel<Integer> idle = Channel.unbuffered();
        int n = 5_000;
        try (TestThreads threads = TestThreads.virtual()) {
            threads.start("sending select", () -> {
                for (int i = 0; i < n; i++) {
                    int v = i;
                    select(ch.onSend(v, () -> true), idle.onReceive(x -> false));
                }
            });
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                got.add(select(ch.onReceive(v -> v), idle.onReceive(v -> -1)));
            }
            assertThat(got).hasSize(n).doesNotHaveDuplicates().allMatch(v -> v >= 0 && v < n);
            assertThat(got).isSorted();
        }
    }

    @Test
    @DisplayName("cases on the nil channel are never ready: with a default the default fires")
    void nilChannelCases() throws Exception {
        Channel<String> nil = Channel.nil();
        assertThat(select(nil.onReceive(v -> "got"), nil.onSend("x", () -> "sent"), Select.defaultCase(() -> "none")))
                .isEqualTo("none");
        Channel<String> real = Channel.buffered(1);
        real.send("r");
        String got = select(nil.onReceive(v -> v), real.onReceive(v -> v));
        assertThat(got).isEqualTo("r");
    }

    @Test
    @DisplayName("select with no cases, or only nil-channel cases, blocks until interrupted (Go's select {})")
    void emptySelectBlocksForever() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> empty = threads.submit("empty select", () -> {
                try {
                    select();
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            Future<Boolean> nilOnly = threads.submit("nil select", () -> {
                try {
                    select(Channel.<String>nil().onReceive(v -> v));
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            for (Thread t : threads.threads()) {
                Await.blocked(t);
                t.interrupt();
            }
            assertThat(empty.get()).isTrue();
            assertThat(nilOnly.get()).isTrue();
        }
    }

    @Test
    @DisplayName("misuse fails naming the rule: two default cases, timeouts on different clocks, a null case")
    void misuse() {
        Channel<String> ch = Channel.unbuffered();
        assertThatThrownBy(() -> select(Select.defaultCase(() -> 1), Select.defaultCase(() -> 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("select may have at most one default case");
        assertThatThrownBy(() -> select(Select.after(Duration.ofSeconds(1), new FakeClock(), () -> 1),
                Select.after(Duration.ofSeconds(1), new FakeClock(), () -> 2), Select.defaultCase(() -> 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same clock");
        assertThatThrownBy(() -> select(ch.onReceive(v -> v), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("a case list built at run time works like varargs (Go's reflect.Select)")
    void dynamicCases() throws Exception {
        List<Channel<Integer>> inputs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inputs.add(Channel.buffered(1));
        }
        inputs.get(3).send(33);
        List<SelectCase<Integer>> cases = new ArrayList<>();
        for (Channel<Integer> in : inputs) {
            cases.add(in.onReceive(v -> v));
        }
        assertThat(Select.<Integer>select(cases)).isEqualTo(33);
    }

    @Test
    @DisplayName("a handler runs after the channel locks are released, so it may use the same channel")
    void handlerRunsOutsideLocks() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        ch.send("first");
        String r = select(ch.onReceive(v -> {
            try {
                ch.send("from handler");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return v;
        }));
        assertThat(r).isEqualTo("first");
        assertThat(ch.receive()).isEqualTo("from handler");
    }
}
