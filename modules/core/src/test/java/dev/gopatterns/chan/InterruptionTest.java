package dev.gopatterns.chan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.Clock;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The interruption policy of docs/interruption.md. */
class InterruptionTest {

    private static <T> HChan<T> chan(int capacity) {
        return (HChan<T>) Channel.<T>make(capacity);
    }

    @CapacitySweep
    @DisplayName("a blocking receive entered with the interrupt flag set throws at once and takes nothing")
    void receiveChecksFlagFirst(int capacity) throws Exception {
        HChan<Integer> ch = chan(Math.max(1, capacity));
        ch.send(1);
        Thread.currentThread().interrupt();
        assertThatThrownBy(ch::receive).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the flag is cleared by the throw, as in the JDK").isFalse();
        assertThat(ch.length()).as("the value is still there").isEqualTo(1);
    }

    @CapacitySweep
    @DisplayName("a blocking send entered with the interrupt flag set throws at once and sends nothing")
    void sendChecksFlagFirst(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> ch.send(1)).isInstanceOf(InterruptedException.class);
        assertThat(ch.length()).isZero();
        assertThat(ch.tryReceive()).isEqualTo(TryReceived.notReady());
    }

    @CapacitySweep
    @DisplayName("interrupting a blocked receive throws InterruptedException and dequeues the receiver")
    void interruptBlockedReceive(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> r = threads.submit("receiver", () -> {
                try {
                    ch.receive();
                    return false;
                } catch (InterruptedException e) {
                    return !Thread.currentThread().isInterrupted();
                }
            });
            Await.until("the receiver to wait", () -> ch.waitingReceivers() == 1);
            threads.threads().getFirst().interrupt();
            assertThat(r.get()).as("InterruptedException thrown, flag cleared").isTrue();
        }
        assertThat(ch.waitingReceivers()).as("no half-done registration left behind").isZero();
        assertThat(ch.trySend(5)).as("a later send must not go to the departed receiver").isEqualTo(capacity > 0);
    }

    @CapacitySweep
    @DisplayName("interrupting a blocked send throws InterruptedException and the value is not delivered")
    void interruptBlockedSend(int capacity) throws Exception {
        HChan<Integer> ch = chan(capacity);
        for (int i = 0; i < capacity; i++) {
            ch.send(i);
        }
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> s = threads.submit("sender", () -> {
                try {
                    ch.send(-1);
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            Await.until("the sender to wait", () -> ch.waitingSenders() == 1);
            threads.threads().getFirst().interrupt();
            assertThat(s.get()).isTrue();
        }
        assertThat(ch.waitingSenders()).isZero();
        assertThat(ch.stream().limit(capacity).toList()).doesNotContain(-1);
        assertThat(ch.tryReceive()).isEqualTo(TryReceived.notReady());
    }

    @Test
    @DisplayName("interrupting a blocked select throws and dequeues it from every channel")
    void interruptBlockedSelect() throws Exception {
        HChan<Integer> a = chan(0);
        HChan<Integer> b = chan(1);
        b.send(0); // b is full, so the send case waits too
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> r = threads.submit("selector", () -> {
                try {
                    Select.select(a.onReceive(v -> v), b.onSend(1, () -> 1));
                    return false;
                } catch (InterruptedException e) {
                    return true;
                }
            });
            Await.until("the select to wait", () -> a.waitingReceivers() == 1 && b.waitingSenders() == 1);
            threads.threads().getFirst().interrupt();
            assertThat(r.get()).isTrue();
        }
        assertThat(a.waitingReceivers() + b.waitingSenders()).isZero();
        assertThat(b.length()).isEqualTo(1);
    }

    @Test
    @DisplayName("a select with a default case never blocks, so it ignores the interrupt flag and leaves it set")
    void nonBlockingFormsIgnoreTheFlag() throws Exception {
        Channel<Integer> ch = Channel.buffered(1);
        Thread.currentThread().interrupt();
        try {
            assertThat(Select.select(ch.onReceive(v -> v), Select.defaultCase(() -> -1))).isEqualTo(-1);
            assertThat(ch.trySend(1)).isTrue();
            assertThat(ch.tryReceive()).isEqualTo(new Received.Value<>(1));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    @DisplayName("a wakeup that beat the interrupt keeps its value, and the interrupt flag is re-asserted")
    void wakeupBeatsInterrupt() {
        // Deterministic version of the race: the counterpart claims and completes the waiter before the owner
        // notices its interrupt.
        HChan<String> ch = chan(0);
        Waiter w = new Waiter();
        Node n = new Node(w, ch, false, 0, null);
        assertThat(w.tryClaim()).isTrue();
        n.item = "value";
        w.complete(n);
        Thread.currentThread().interrupt();
        assertThat(w.await(false, 0L, null, true)).isEqualTo(Waiter.Outcome.FIRED);
        assertThat(n.item).isEqualTo("value");
        assertThat(Thread.interrupted()).as("the interrupt is not swallowed").isTrue();
    }

    @Test
    @DisplayName("an interrupt during a claim in progress waits for the claimer, keeps the value, re-asserts the flag")
    void interruptWhileClaimed() throws Exception {
        HChan<String> ch = chan(0);
        try (TestThreads threads = TestThreads.platform()) {
            Waiter[] box = new Waiter[1];
            Node[] node = new Node[1];
            java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(1);
            Future<String> owner = threads.submit("owner", () -> {
                box[0] = new Waiter();
                node[0] = new Node(box[0], ch, false, 0, null);
                created.countDown();
                Waiter.Outcome o = box[0].await(false, 0L, Clock.system(), false);
                return o + " " + node[0].item + " " + Thread.currentThread().isInterrupted();
            });
            created.await();
            assertThat(box[0].tryClaim()).isTrue(); // claimed, not yet complete
            Thread ownerThread = threads.threads().getFirst();
            ownerThread.interrupt();
            Await.blocked(ownerThread); // it must wait for the claimer, not cancel
            node[0].item = "kept";
            box[0].complete(node[0]);
            java.util.concurrent.locks.LockSupport.unpark(ownerThread);
            assertThat(owner.get()).isEqualTo("FIRED kept true");
        }
    }

    @Test
    @DisplayName("for-each cannot throw InterruptedException: it throws UncheckedInterruptedException, flag set")
    void iteratorInterrupt() throws Exception {
        Channel<Integer> ch = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("ranger", () -> {
                try {
                    for (int ignored : ch) {
                        return "received";
                    }
                    return "closed";
                } catch (UncheckedInterruptedException e) {
                    return "unchecked, flag " + Thread.currentThread().isInterrupted();
                }
            });
            Thread t = threads.threads().getFirst();
            Await.blocked(t);
            t.interrupt();
            assertThat(r.get()).isEqualTo("unchecked, flag true");
        }
    }
}
