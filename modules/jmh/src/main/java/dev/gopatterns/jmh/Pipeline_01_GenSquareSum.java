package dev.gopatterns.jmh;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.Context;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import dev.gopatterns.pipeline.Pipeline;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline of Go's "Pipelines and cancellation" article: gen, square, sum, three stages and two channels, over
 * {@value #ITEMS} numbers per invocation.
 *
 * <pre>{@code
 * // Go (the twin BenchmarkGenSquareSum in go/pipeline/pipeline_test.go):
 * gen := func(done <-chan struct{}, n int) <-chan int {
 *     out := make(chan int, buf)
 *     go func() { defer close(out); for i := 0; i < n; i++ { select { case out <- i: case <-done: return } } }()
 *     return out
 * }
 * sq := func(done <-chan struct{}, in <-chan int) <-chan int {
 *     out := make(chan int, buf)
 *     go func() { defer close(out); for v := range in { select { case out <- v * v: case <-done: return } } }()
 *     return out
 * }
 * for v := range sq(done, gen(done, n)) { sum += v }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per number that goes through all three stages
 * ({@code @OperationsPerInvocation}): two channel hand-offs, each a select over the send and the cancellation
 * token, plus the start of the stages' threads, once per invocation (a few microseconds, well under 1% of a batch).
 * The sum is checked against the closed form, so a lost or duplicated value fails the benchmark.
 *
 * <p>{@code variant}:
 * <ul>
 *   <li>{@code gopatterns:N}: the Go code above on {@code dev.gopatterns.chan.Channel}s of capacity N, each stage a
 *       virtual thread of the invocation's {@link BatchScope} (an {@code ErrGroup} with a deadline), each send
 *       {@code ctx.send(out, v)} (a select over the send and {@code ctx.done()}), each receive a {@code for} over
 *       the channel (Go's {@code range}). The sum runs in the scope too, as the twin's runs in a goroutine.
 *   <li>{@code jox:N}: the same code on jox 1.0.1 channels, the select being jox's
 *       {@code Select.selectOrClosed(out.sendClause(..), done.receiveClause())} and {@code done} a jox channel the
 *       consumer completes when it stops. jox's Flows are not used: no flows artifact for 1.0.1 resolves here.
 *   <li>{@code stream}, {@code parallelStream}: {@code LongStream.range(0, n).map(x -> x * x).sum()}, sequential
 *       and parallel (on the common pool: on 2 cores its parallelism is 1, plus the calling thread): what a Java
 *       programmer would write instead. Unboxed and without hand-offs, so these rows are the floor the channel
 *       rows are read against, not competitors.
 * </ul>
 * The channels carry boxed {@code Long}s (the square is a new box per value), the Go twin plain ints.
 *
 * <p>{@code pipeline:N} is the typed {@link Pipeline} API doing the same: its stages add the per-thread accounting and
 * the interrupt scope around each stage function call to the hand-written stages' channel hand-offs. Its terminal
 * call drains the output in the calling thread, so it is called from a virtual thread, as the hand-written sum
 * runs in one (from JMH's platform thread each hand-off to the sink would wake a platform thread).
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pipeline_01 -p variant=gopatterns:0,jox:0}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Pipeline_01_GenSquareSum {

    static final int ITEMS = 1 << 14;
    /** The sum of i * i for i in [0, ITEMS). */
    static final long EXPECTED = (long) (ITEMS - 1) * ITEMS * (2L * ITEMS - 1) / 6;

    @Param({"gopatterns:0", "gopatterns:64", "pipeline:0", "pipeline:64", "jox:0", "jox:64", "stream",
            "parallelStream"})
    public String variant;

    /** One way to compute the sum of squares of [0, ITEMS). */
    @FunctionalInterface
    interface Run {
        long sumOfSquares() throws Exception;
    }

    private Run run;

    @Setup(Level.Trial)
    public void setUp() {
        Spec spec = Spec.parse(variant);
        run = switch (spec.name()) {
            case "gopatterns" -> {
                int capacity = spec.requireCapacity();
                yield () -> gopatterns(capacity);
            }
            case "jox" -> {
                int capacity = spec.requireCapacity();
                yield () -> jox(capacity);
            }
            case "pipeline" -> {
                int capacity = spec.requireCapacity();
                yield () -> pipeline(capacity);
            }
            case "stream" -> () -> LongStream.range(0, ITEMS).map(x -> x * x).sum();
            case "parallelStream" -> () -> LongStream.range(0, ITEMS).parallel().map(x -> x * x).sum();
            default -> throw spec.unknown("Pipeline_01", "gopatterns:N, pipeline:N, jox:N, stream, parallelStream");
        };
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long genSquareSum() throws Exception {
        long sum = run.sumOfSquares();
        if (sum != EXPECTED) {
            throw new AssertionError("sum of squares was " + sum + ", expected " + EXPECTED
                    + ": a value was lost or duplicated");
        }
        return sum;
    }

    /** The typed API: the same three stages (source, map, the sink's fold), each channel of {@code capacity}. */
    static long pipeline(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            Iterable<Long> gen = () -> LongStream.range(0, ITEMS).boxed().iterator();
            long[] sum = new long[1];
            g.go(() -> { // the sink drains in its caller's thread: a virtual one, as the other variants' sum
                sum[0] = Pipeline.from(gen).buffer(capacity)
                        .map(v -> v * v).buffer(capacity)
                        .reduce(g.context(), 0L, Long::sum);
            });
            g.await();
            return sum[0];
        }
    }

    static long gopatterns(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            Channel<Long> nums = Channel.make(capacity);
            Channel<Long> squares = Channel.make(capacity);
            g.go(() -> { // gen
                try {
                    for (long i = 0; i < ITEMS; i++) {
                        ctx.send(nums, i);
                    }
                } finally {
                    nums.close();
                }
            });
            g.go(() -> { // sq
                try {
                    for (Long v : nums) {
                        ctx.send(squares, v * v);
                    }
                } finally {
                    squares.close();
                }
            });
            long[] sum = new long[1];
            g.go(() -> { // sum
                long s = 0;
                for (Long v : squares) {
                    s += v;
                }
                sum[0] = s;
            });
            g.await(); // the tasks' writes happen-before await returns
            return sum[0];
        }
    }

    static long jox(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            com.softwaremill.jox.Channel<Object> done = com.softwaremill.jox.Channel.newRendezvousChannel();
            com.softwaremill.jox.Channel<Long> nums = JoxStage.make(capacity);
            com.softwaremill.jox.Channel<Long> squares = JoxStage.make(capacity);
            g.go(() -> {
                try {
                    for (long i = 0; i < ITEMS; i++) {
                        if (!JoxStage.send(nums, i, done)) {
                            return;
                        }
                    }
                } finally {
                    nums.done();
                }
            });
            g.go(() -> {
                try {
                    for (Long v; (v = JoxStage.receiveOrNull(nums)) != null; ) {
                        if (!JoxStage.send(squares, v * v, done)) {
                            return;
                        }
                    }
                } finally {
                    squares.done();
                }
            });
            long[] sum = new long[1];
            g.go(() -> {
                try {
                    long s = 0;
                    for (Long v; (v = JoxStage.receiveOrNull(squares)) != null; ) {
                        s += v;
                    }
                    sum[0] = s;
                } finally {
                    done.done(); // Go: defer close(done)
                }
            });
            g.await();
            return sum[0];
        }
    }
}
