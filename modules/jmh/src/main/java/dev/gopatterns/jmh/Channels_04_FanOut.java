package dev.gopatterns.jmh;

import java.util.Arrays;
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
 * Fan-out and fan-in: one producer feeds four workers over one channel, and the workers feed one collector over
 * another (1 → 4 → 1).
 *
 * <pre>{@code
 * // Go:
 * go func() { for i := 0; i < n; i++ { in <- items[i] }; close(in) }()
 * for w := 0; w < 4; w++ { go func() { for v := range in { out <- v } }() }
 * for i := 0; i < n; i++ { <-out }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value that goes all the way from the producer to the collector, that
 * is two channel hand-offs per value, with five senders or receivers contending on each end of the two channels.
 * Unlike {@link Channels_02_Throughput}, several receivers wait on {@code in} and several senders on {@code out} at
 * once, so what counts is how an implementation queues and wakes many waiters, not only one.
 *
 * <p><b>Why:</b> a worker pool fed by a channel and drained into one results channel is Go's most common way to
 * use several cores; it is the workload of {@code WorkerPool}.
 *
 * <p><b>How:</b> six long-lived workers per trial ({@link ThreadTeam}), platform or virtual as {@code threads} says:
 * the producer, four workers and the collector. Each invocation moves {@value #ITEMS} values, and JMH divides by
 * that. Go closes {@code in} to stop its workers; {@link Conduit} has no close (the JDK queues cannot), so the
 * producer sends one {@link #STOP} marker per worker after the values. The collector marks every value it receives
 * and fails the benchmark on a value seen twice or never seen: nothing may be lost or duplicated (the order across
 * workers is not defined, as in Go). The values are preallocated boxes, so the benchmark itself allocates nothing.
 *
 * <p>The harness's own cost (seven wake-ups per invocation, well under 100 us) is under 1% of any row: an
 * invocation moves 16,384 values at tens of ns or more each.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkFanOut} in {@code modules/jmh/go/chan_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_04 -p channel=gopatterns:16,jox:16}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Channels_04_FanOut {

    static final int ITEMS = 1 << 14;
    static final int WORKERS = 4;
    /** The end-of-batch marker: a box of its own, never one of the items. */
    static final Integer STOP = Integer.valueOf(-1_000_000); // outside the Integer cache: a distinct object

    /** {@code name:capacity}, see {@link Conduit}: unbuffered, then a buffer of 16, for both channels. */
    @Param({
        "gopatterns:0", "SynchronousQueue:0", "jox:0",
        "gopatterns:16", "ArrayBlockingQueue:16", "jox:16"
    })
    public String channel;

    @Param({"platform", "virtual"})
    public String threads;

    private ThreadTeam team;

    @Setup(Level.Trial)
    public void start() {
        Conduit<Integer> in = Conduit.make(channel);
        Conduit<Integer> out = Conduit.make(channel);
        Integer[] items = new Integer[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
        }
        ThreadTeam.Batch producer = () -> {
            for (Integer item : items) {
                in.send(item);
            }
            for (int w = 0; w < WORKERS; w++) {
                in.send(STOP);
            }
        };
        ThreadTeam.Batch worker = () -> {
            for (Integer v = in.receive(); v != STOP; v = in.receive()) {
                out.send(v);
            }
        };
        boolean[] seen = new boolean[ITEMS];
        ThreadTeam.Batch collector = () -> {
            Arrays.fill(seen, false);
            for (int i = 0; i < ITEMS; i++) {
                Integer v = out.receive();
                int k = v;
                if (k < 0 || k >= ITEMS || items[k] != v) {
                    throw new AssertionError("received " + v + ", which was never sent");
                }
                if (seen[k]) {
                    throw new AssertionError("value " + k + " received twice");
                }
                seen[k] = true;
            }
            // ITEMS values, none twice, all among the ITEMS sent: so every value arrived exactly once.
        };
        team = new ThreadTeam(threads, "fan-out", producer, worker, worker, worker, worker, collector);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void fanOutFanIn() throws Exception {
        team.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (team != null) { // null if start() failed
            team.close();
        }
    }
}
