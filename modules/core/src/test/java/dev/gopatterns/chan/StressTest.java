package dev.gopatterns.chan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bounded multi-threaded stress: many threads on few cores, every value accounted for exactly once.
 * Each test is bounded in size (not in time) and checks conservation, not speed; speed is for the JMH module.
 */
@HangTimeout(seconds = 60)
class StressTest {

    private static final int SENDERS = 4;
    private static final int RECEIVERS = 4;
    private static final int PER_SENDER = 100_000; // 400,000 values per run

    @ParameterizedTest(name = "capacity {0}, virtual threads {1}")
    @CsvSource({"0,true", "1,true", "16,true", "1024,true", "0,false", "1,false", "1024,false"})
    void everyValueIsReceivedExactlyOnce(int capacity, boolean virtual) throws Exception {
        Channel<Integer> ch = Channel.make(capacity);
        int total = SENDERS * PER_SENDER;
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        try (TestThreads threads = TestThreads.of(virtual)) {
            List<Future<Void>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int base = s * PER_SENDER;
                senders.add(threads.start("sender-" + s, () -> {
                    for (int i = 0; i < PER_SENDER; i++) {
                        ch.send(base + i);
                    }
                }));
            }
            for (int r = 0; r < RECEIVERS; r++) {
                threads.start("receiver-" + r, () -> {
                    for (int v : ch) {
                        seen.incrementAndGet(v);
                    }
                });
            }
            for (Future<Void> s : senders) {
                s.get();
            }
            ch.close();
        }
        for (int v = 0; v < total; v++) {
            assertThat(seen.get(v)).as("times value %d was received", v).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "capacity {0}, virtual threads {1}")
    @CsvSource({"0,true", "1,true", "16,false"})
    void closeRacingSendsLosesNothing(int capacity, boolean virtual) throws Exception {
        // Senders send until the channel is closed under them; every send that returned normally must be
        // received exactly once, and a send that failed must deliver nothing.
        for (int round = 0; round < 20; round++) {
            Channel<Integer> ch = Channel.make(capacity);
            int perSender = 2_000;
            AtomicIntegerArray sent = new AtomicIntegerArray(SENDERS * perSender);
            AtomicIntegerArray received = new AtomicIntegerArray(SENDERS * perSender);
            try (TestThreads threads = TestThreads.of(virtual)) {
                LongAdder accepted = new LongAdder();
                for (int s = 0; s < SENDERS; s++) {
                    int base = s * perSender;
                    threads.start("sender-" + s, () -> {
                        try {
                            for (int i = 0; i < perSender; i++) {
                                ch.send(base + i);
                                sent.set(base + i, 1);
                                accepted.increment();
                            }
                        } catch (ChannelClosedException expected) {
                            // the closer won; this value was not delivered
                        }
                    });
                }
                for (int r = 0; r < 2; r++) {
                    threads.start("receiver-" + r, () -> {
                        for (int v : ch) {
                            received.incrementAndGet(v);
                        }
                    });
                }
                threads.start("closer", () -> {
                    Await.until("1,000 values sent", () -> accepted.sum() >= 1_000);
                    ch.close();
                });
            }
            for (int v = 0; v < sent.length(); v++) {
                if (sent.get(v) == 1) {
                    assertThat(received.get(v)).as("a value whose send returned must arrive once: %d", v).isEqualTo(1);
                } else {
                    assertThat(received.get(v)).as("a value whose send failed or never ran must not arrive: %d", v)
                            .isZero();
                }
            }
        }
    }

    @ParameterizedTest(name = "capacity {0}, virtual threads {1}")
    @CsvSource({"0,true", "1,true", "0,false"})
    void selectsMergeWithoutLossOrDuplication(int capacity, boolean virtual) throws Exception {
        // Fan-in through select: 2 producers on two channels, 3 selecting consumers, one selecting closer of a
        // "quit" channel. Every value is taken exactly once, by exactly one select case.
        Channel<Integer> left = Channel.make(capacity);
        Channel<Integer> right = Channel.make(capacity);
        Channel<Integer> quit = Channel.unbuffered();
        int perProducer = 20_000;
        AtomicIntegerArray seen = new AtomicIntegerArray(2 * perProducer);
        try (TestThreads threads = TestThreads.of(virtual)) {
            Future<Void> p1 = threads.start("left producer", () -> {
                for (int i = 0; i < perProducer; i++) {
                    left.send(i);
                }
            });
            Future<Void> p2 = threads.start("right producer", () -> {
                for (int i = 0; i < perProducer; i++) {
                    int v = perProducer + i;
                    // the producer also selects: send, or give up if told to quit (never happens before done)
                    Select.select(right.onSend(v, () -> true), quit.onReceiveOrClosed(r -> false));
                }
            });
            for (int c = 0; c < 3; c++) {
                threads.start("consumer-" + c, () -> {
                    boolean more = true;
                    while (more) {
                        more = Select.select(
                                left.onReceive(v -> {
                                    seen.incrementAndGet(v);
                                    return true;
                                }),
                                right.onReceive(v -> {
                                    seen.incrementAndGet(v);
                                    return true;
                                }),
                                quit.onReceiveOrClosed(r -> false));
                    }
                });
            }
            p1.get();
            p2.get();
            // Drain what is still buffered before telling consumers to quit: wait until both channels are empty.
            Await.until("the consumers to drain both channels", () -> left.length() + right.length() == 0);
            quit.close();
        }
        for (int v = 0; v < seen.length(); v++) {
            assertThat(seen.get(v)).as("times value %d was received", v).isEqualTo(1);
        }
    }
}
