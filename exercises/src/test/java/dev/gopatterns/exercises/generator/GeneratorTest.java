package dev.gopatterns.exercises.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.LearnerCall;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `generator`: what {@link Generator#generate} and {@link Generator#collect} must do. The generator's threads come
 * from a {@link ThreadFactory} the test hands in, so the test can see how many there were and whether they ended.
 * No test sleeps: each blocking step runs in a thread of the test's own and is given at most a second.
 *
 * <p>How to run: {@code ./learn check generator}
 */
@HangTimeout(seconds = 5)
@DisplayName("Exercise `generator`: generator and range")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class GeneratorTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** How long collect is given to block: a blocking receive parks within microseconds. */
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    // -------------------------------------------------------------------------------------------- the consumer

    @Test
    @Order(1)
    @DisplayName("collect ranges until the channel is closed, and returns what it received, in order")
    void collectRangesUntilClosed() throws Exception {
        Channel<Integer> ch = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            threads.start("sender", () -> {
                for (int i = 1; i <= 3; i++) {
                    ch.send(i);
                }
                ch.close();
            });
            try {
                List<Integer> got = withinASecond(() -> Generator.collect(ch), () -> "collect did not return within 1 s"
                        + " of the channel being closed: range over the channel (for (T v : in)), which stops"
                        + " when it is closed");

                assertThat(got).as("collect must return every value received, in order").containsExactly(1, 2, 3);
            } finally {
                stop(threads);
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("values sent before close are still received after it")
    void valuesBufferedBeforeCloseAreReceived() throws Exception {
        Channel<String> ch = Channel.buffered(3);
        ch.send("x");
        ch.send("y");
        ch.send("z");
        ch.close();

        List<String> got = withinASecond(() -> Generator.collect(ch), () -> "collect did not return within 1 s");

        assertThat(got).as("a closed channel still delivers the values sent before close; the range ends only"
                + " when the channel is closed and drained").containsExactly("x", "y", "z");
    }

    @Test
    @Order(3)
    @DisplayName("ranging over a channel that is already closed and empty collects nothing")
    void closedAndEmpty() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        ch.close();

        List<String> got = withinASecond(() -> Generator.collect(ch), () -> "collect did not return within 1 s on a"
                + " channel that was already closed");

        assertThat(got).as("a closed, empty channel has nothing to give").isEmpty();
    }

    @Test
    @Order(4)
    @DisplayName("collect waits for the next value blocked in a receive: it does not spin or poll")
    void collectBlocksWhileItWaits() throws Exception {
        Channel<String> ch = Channel.unbuffered();
        try (LearnerCall<List<String>> collect = LearnerCall.<List<String>>start("calls collect",
                () -> Generator.collect(ch)).releaseWith(ch::close)) {
            LearnerCall.Waiting w = collect.awaitParked(TWO_SECONDS, () -> true);
            switch (w.seen()) {
                case PARKED, PARKED_ELSEWHERE -> { }
                case DONE -> fail("collect returned " + collect.await(ONE_SECOND, () -> "unreachable: it is done")
                        + " before anything was sent or the channel closed: the range ends only at the close");
                case SPINNING -> fail("collect spins instead of blocking: while no value came, its thread kept"
                        + " running for " + TWO_SECONDS.toSeconds() + " s (" + w.cpuMillis() + " ms of CPU). A loop"
                        + " over tryReceive burns a processor; range over the channel (for (T v : in)): each step is"
                        + " a receive, which parks the thread until a value or the close comes");
                case POLLING -> fail("collect polls instead of blocking: while no value came, its thread kept"
                        + " waking up from short timed waits for " + TWO_SECONDS.toSeconds() + " s (a sleep between"
                        + " tryReceive calls). A value waits for the next nap, and the thread never rests; range over"
                        + " the channel (for (T v : in)): its receive parks until a value or the close comes");
            }

            boolean taken = ch.send("late", ONE_SECOND, Clock.system());
            assertThat(taken).as("collect was waiting, but did not take the value sent to it").isTrue();
            ch.close();
            assertThat(collect.await(ONE_SECOND, () -> "collect did not return within 1 s of the close"))
                    .as("collect must return the value that came after it started waiting").containsExactly("late");
        }
    }

    // ------------------------------------------------------------------------------------------- the generator

    @Test
    @Order(5)
    @DisplayName("generate returns at once, before anyone receives")
    void generateReturnsAtOnce() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1, 2, 3), threads);

            assertThat(in).as("generate must return a channel, not null").isNotNull();
        }
    }

    @Test
    @Order(6)
    @DisplayName("the consumer receives every value, in order")
    void everyValueInOrder() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<String> in = generate(List.of("a", "b", "c", "d", "e"), threads);

            List<String> got = withinASecond(() -> Generator.collect(in), () -> "collect did not return within 1 s."
                    + " It returns only when the channel is closed: does the generator close it after the last"
                    + " value?");

            assertThat(got).as("collect must return every value the generator sent, in the order sent")
                    .containsExactly("a", "b", "c", "d", "e");
        }
    }

    @Test
    @Order(7)
    @DisplayName("the generator closes its channel after the last value")
    void closesAfterTheLastValue() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1, 2, 3), threads);
            for (int expected = 1; expected <= 3; expected++) {
                int n = expected;
                Received<Integer> got = withinASecond(in::receiveOrClosed, () -> "value " + n + " of 3 never came:"
                        + " the generator must send every value it was given");
                assertThat(got).as("value %d of 3: the channel was closed before every value had been sent", n)
                        .isEqualTo(new Received.Value<>(n));
            }

            Received<Integer> after = withinASecond(in::receiveOrClosed, () -> "the generator must close its channel"
                    + " after the last value: the consumer was still waiting 1 s after receiving all 3 values");

            assertThat(after).as("after the last value the channel must report Closed; it delivered more values"
                    + " than the generator was given").isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(8)
    @DisplayName("the generator sends from one thread of its own, which ends after closing the channel")
    void theGeneratorThreadEnds() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1, 2, 3), threads);
            withinASecond(() -> Generator.collect(in), () -> "collect did not return within 1 s: does the generator"
                    + " close its channel after the last value?");

            assertThat(threads.made).as("generate must start exactly one thread, and make it with the"
                    + " ThreadFactory it is given (threads.newThread(...), then start())").hasSize(1);
            Thread generator = threads.made.getFirst();
            generator.join(Duration.ofSeconds(1));
            assertThat(generator.isAlive()).as("the generator's thread was still running 1 s after it closed the"
                    + " channel. Once the values are sent and the channel is closed, it has nothing left to do:"
                    + " it must end").isFalse();
        }
    }

    @Test
    @Order(9)
    @DisplayName("generate returns only the receiving end, so its callers cannot send or close")
    void returnsTheReceivingEndOnly() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1), threads);

            assertThat(in).as("generate must return a receive-only view (channel.receiveOnly()): sending and"
                    + " closing are the generator's job alone, as Go's <-chan T says")
                    .isNotInstanceOf(SendChannel.class);
        }
    }

    @Test
    @Order(10)
    @DisplayName("the channel is unbuffered, so the generator runs in step with its consumer")
    void unbuffered() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1, 2), threads);

            assertThat(in.capacity()).as("generate must make an unbuffered channel (Channel.unbuffered()), so that"
                    + " each send waits for the consumer, like Go's make(chan T)").isZero();
        }
    }

    @Test
    @Order(11)
    @DisplayName("with no values, the channel is closed at once and ranging over it collects nothing")
    void emptyRange() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<String> in = generate(List.of(), threads);

            List<String> got = withinASecond(() -> Generator.collect(in), () -> "ranging over the channel of an empty"
                    + " generator did not end within 1 s: with nothing to send, the generator must still close"
                    + " its channel");

            assertThat(got).as("there was nothing to send, so there is nothing to collect").isEmpty();
        }
    }

    @Test
    @Order(12)
    @DisplayName("a generator interrupted in the middle still closes its channel, and keeps its interrupt flag")
    void interruptedGeneratorStillCloses() throws Exception {
        try (Threads threads = new Threads()) {
            ReceiveChannel<Integer> in = generate(List.of(1, 2, 3), threads);
            Received<Integer> first = withinASecond(in::receiveOrClosed, () -> "value 1 of 3 never came: the"
                    + " generator must send every value it was given");
            assertThat(first).as("the first value").isEqualTo(new Received.Value<>(1));
            assertThat(threads.made).as("generate must start exactly one thread, and make it with the"
                    + " ThreadFactory it is given (threads.newThread(...), then start())").hasSize(1);
            Thread generator = threads.made.getFirst();
            Await.blocked(generator); // waiting for a receiver to take value 2, which nobody will

            generator.interrupt();

            List<Integer> rest = withinASecond(() -> Generator.collect(in), () -> "the generator must close its"
                    + " channel also when its thread is interrupted: the consumer was still waiting 1 s after the"
                    + " generator was interrupted. Close it in a finally (Go's defer close(out)), which runs however"
                    + " the sending ends");
            assertThat(rest).as("an interrupted generator stops sending: nothing was taken after value 1")
                    .isEmpty();
            generator.join(ONE_SECOND);
            assertThat(generator.isAlive()).as("the generator's thread was still running 1 s after it was"
                    + " interrupted and closed its channel: it must stop sending and end").isFalse();
            assertThat(threads.endedInterrupted.get(generator)).as("the generator's thread ended with its interrupt"
                    + " flag cleared: it caught the InterruptedException and dropped it. Restore it"
                    + " (Thread.currentThread().interrupt()) before the thread ends, so whoever owns the thread can"
                    + " see that it was asked to stop").isEqualTo(Boolean.TRUE);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The thread factory handed to the generator: it records every thread it makes, and on close interrupts and
     * joins any still running, so a test never leaves a learner's thread behind.
     */
    static final class Threads implements ThreadFactory, AutoCloseable {
        final List<Thread> made = new CopyOnWriteArrayList<>();
        /** For each thread that ended: whether its interrupt flag was set when the generator's task returned. */
        final Map<Thread, Boolean> endedInterrupted = new ConcurrentHashMap<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = Thread.ofVirtual().name("generator").unstarted(() -> {
                try {
                    task.run();
                } finally {
                    endedInterrupted.put(Thread.currentThread(), Thread.currentThread().isInterrupted());
                }
            });
            made.add(t);
            return t;
        }

        @Override
        public void close() {
            try {
                for (Thread t : made) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag, stop joining
            }
        }
    }

    /** Calls generate, failing in plain words if it does not return at once. */
    private static <T> ReceiveChannel<T> generate(List<T> values, Threads threads) throws Exception {
        return withinASecond(() -> Generator.generate(values, threads), () -> "generate must return the channel at"
                + " once and send from a thread it starts: it was still blocked 1 s later. On an unbuffered"
                + " channel a send waits for a receiver, and nobody can receive before generate has returned");
    }

    /** Runs {@code action} in a thread of the test's own for at most a second; see {@link Background}. */
    private static <T> T withinASecond(Callable<T> action, Supplier<String> ifStillWaiting) throws Exception {
        return Background.within(ONE_SECOND, "test step", action, ifStillWaiting);
    }

    /** Interrupts what the test started: a no-op if it has finished, a release if the code under test failed. */
    private static void stop(TestThreads threads) {
        threads.threads().forEach(Thread::interrupt);
    }
}
