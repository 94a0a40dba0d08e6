package dev.gopatterns.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of one producer and one consumer streaming values through one channel as fast as they can.
 *
 * <pre>{@code
 * // Go:
 * go func() { for i := 0; i < n; i++ { ch <- items[i] } }()
 * for i := 0; i < n; i++ { <-ch }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value moved from producer to consumer (the inverse of throughput).
 * Unlike {@link Channels_01_PingPong}, the producer does not wait for an answer, so a buffer lets the two threads
 * run ahead of each other and amortise wake-ups: with capacity 1024 a well-behaved implementation blocks once per
 * many values, and the cost per value approaches that of the lock or CAS on the hot path. Unbuffered, every value is
 * a rendezvous, and the cost is that of a hand-off, as in ping-pong.
 *
 * <p><b>Why:</b> a pipeline stage is this loop. The capacity rows (1, 16, 1024) show how much buffering buys, and
 * the comparison with {@code ArrayBlockingQueue} (the same lock-and-ring design, without close or select) and jox
 * (a lock-free segment-based design) shows what this implementation's design costs.
 *
 * <p><b>How:</b> two long-lived worker threads per trial ({@link ThreadPair}), platform or virtual as
 * {@code threads} says; each benchmark invocation moves {@value #ITEMS} values and JMH divides by that. The values
 * are preallocated boxed integers, so the benchmark itself allocates nothing (what an implementation allocates is
 * part of its cost), and the consumer checks each value against the one expected next: a lost, duplicated or
 * reordered value fails the benchmark.
 *
 * <p>The harness's own cost, about 35 us per invocation on platform threads and 10 us on virtual ones (measured on
 * 2 cores), adds about 0.5 ns and 0.15 ns per value: about 1% of the fastest buffered row. An unbuffered row on
 * platform threads pays an OS wake-up per value, so one of its invocations can take a second or more; JMH then runs
 * one invocation per iteration, which is fine for an average.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkThroughput} in {@code modules/jmh/go/chan_test.go}, and with
 * {@link Channels_03_ProducerConsumerGroup}, which measures the same platform-thread rows with JMH's own threads.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_02 -p channel=gopatterns:1024,jox:1024}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Channels_02_Throughput {

    static final int ITEMS = 1 << 16;

    /** {@code name:capacity}, see {@link Conduit}: unbuffered rendezvous, then buffers of 1, 16 and 1024. */
    @Param({
        "gopatterns:0", "SynchronousQueue:0", "LinkedTransferQueue:0", "jox:0",
        "gopatterns:1", "ArrayBlockingQueue:1", "jox:1",
        "gopatterns:16", "ArrayBlockingQueue:16", "jox:16",
        "gopatterns:1024", "ArrayBlockingQueue:1024", "jox:1024"
    })
    public String channel;

    @Param({"platform", "virtual"})
    public String threads;

    private ThreadPair pair;

    @Setup(Level.Trial)
    public void start() {
        Conduit<Integer> ch = Conduit.make(channel);
        Integer[] items = new Integer[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i; // distinct boxes: the consumer's identity check catches any mix-up
        }
        pair = new ThreadPair(threads, "throughput",
                () -> {
                    for (Integer item : items) {
                        ch.send(item);
                    }
                },
                () -> {
                    for (int i = 0; i < ITEMS; i++) {
                        Integer v = ch.receive();
                        if (v != items[i]) {
                            throw new AssertionError("expected value " + i + " but received " + v
                                    + ": a value was lost, duplicated or reordered");
                        }
                    }
                });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void transfer() throws Exception {
        pair.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (pair != null) { // null if start() failed
            pair.close();
        }
    }
}
