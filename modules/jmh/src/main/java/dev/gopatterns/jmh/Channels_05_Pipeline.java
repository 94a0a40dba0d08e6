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
 * A pipeline of three stages connected by two channels: a source, a stage that maps each value, and a sink.
 *
 * <pre>{@code
 * // Go:
 * go func() { for i := 0; i < n; i++ { a <- items[i] } }()          // stage 1: source
 * go func() { for i := 0; i < n; i++ { b <- next[(<-a).i] } }()     // stage 2: map
 * for i := 0; i < n; i++ { <-b }                                     // stage 3: sink
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value that passes through all three stages: two hand-offs per value,
 * with the middle stage both a receiver and a sender. On 2 cores three stages cannot all run at once, so this also
 * measures how well an implementation lets a stage that must wait give its core to the stage it waits for.
 *
 * <p><b>Why:</b> the pipeline is the idiom channels were made for ("Go Concurrency Patterns: Pipelines"), and the
 * workload of {@code Pipeline}. {@link Channels_02_Throughput} is its one-stage case.
 *
 * <p><b>How:</b> three long-lived workers per trial ({@link ThreadTeam}), platform or virtual as {@code threads}
 * says; each invocation moves {@value #ITEMS} values and JMH divides by that. The middle stage maps value {@code i}
 * to the preallocated box {@code next[i]} (no allocation, but a real change the sink can see), and the sink checks
 * that value {@code i} arrives {@code i}-th as {@code next[i]}: a lost, duplicated, reordered or unmapped value fails
 * the benchmark. The harness's own cost (four wake-ups per invocation) is under 1% of any row.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkPipeline} in {@code modules/jmh/go/chan_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_05 -p threads=virtual}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Channels_05_Pipeline {

    static final int ITEMS = 1 << 15;

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
        Conduit<Integer> a = Conduit.make(channel);
        Conduit<Integer> b = Conduit.make(channel);
        Integer[] items = new Integer[ITEMS];
        Integer[] next = new Integer[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
            next[i] = i + 1; // never the box items[i]: an unmapped value fails the sink's identity check
        }
        team = new ThreadTeam(threads, "pipeline",
                () -> {
                    for (Integer item : items) {
                        a.send(item);
                    }
                },
                () -> {
                    for (int i = 0; i < ITEMS; i++) {
                        b.send(next[a.receive()]);
                    }
                },
                () -> {
                    for (int i = 0; i < ITEMS; i++) {
                        Integer v = b.receive();
                        if (v != next[i]) {
                            throw new AssertionError("expected mapped value " + next[i] + " at position " + i
                                    + " but received " + v + ": a value was lost, duplicated, reordered or unmapped");
                        }
                    }
                });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void pipeline() throws Exception {
        team.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (team != null) { // null if start() failed
            team.close();
        }
    }
}
