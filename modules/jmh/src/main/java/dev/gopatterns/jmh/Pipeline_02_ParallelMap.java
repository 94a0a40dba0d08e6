package dev.gopatterns.jmh;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.FanIn;
import dev.gopatterns.pipeline.FanOut;
import dev.gopatterns.pipeline.Sequenced;
import dev.gopatterns.pipeline.Sources;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import dev.gopatterns.pipeline.Pipeline;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A parallel map at parallelism {@value #PARALLELISM}: {@value #ITEMS} values per invocation, each through a
 * function of about a microsecond of CPU, with the results delivered in input order or in any order.
 *
 * <pre>{@code
 * // Go, ordered: the channel-of-channels idiom (the twin BenchmarkParallelMap/ordered in go/pipeline):
 * order := make(chan chan int, 4)                   // at most 4 results outstanding, in input order
 * go func() { defer close(order); for v := range in { rc := make(chan int, 1); order <- rc; jobs <- job{v, rc} } }()
 * // 4 workers: for j := range jobs { j.rc <- f(j.v) }
 * for rc := range order { use(<-rc) }
 * // Go, unordered (BenchmarkParallelMap/unordered): 4 workers range over in, send f(v) to one out.
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value, source to consumer ({@code @OperationsPerInvocation}). The
 * function is {@code Blackhole.consumeCPU(}{@value Pool_01_PerJobOverhead#ONE_MICROSECOND_TOKENS}{@code )}, the
 * microsecond of {@link Pool_01_PerJobOverhead} (measured alone in every run by {@link Pool_02_WorkAlone}, and here
 * by {@code sequential}); on 2 cores the ideal is half of {@code sequential}, and the distance from it is what
 * keeping 4 workers fed costs. The consumer checks every result: in order (value i arrives i-th as f(i)) for the
 * ordered variants, by its sum for the unordered ones.
 *
 * <p>{@code variant}:
 * <ul>
 *   <li>{@code fanOut} (unordered): {@code Sources.generator} into {@code FanOut.fanOut(ctx, in, 4, f)}.
 *   <li>{@code mergeSequenced} (ordered): {@code Sources.generator}, {@code Sequenced.numbered},
 *       {@code FanOut.workers(ctx, numbered, 4, s -> s.with(f(s.value())))} and
 *       {@code FanIn.mergeSequenced(ctx, }{@value #REORDER_WINDOW}{@code , workers)}: the window equals the
 *       channel-of-channels' outstanding results, so both bound the reordering alike.
 *   <li>{@code channelOfChannels} (ordered): the Go idiom above on {@code dev.gopatterns.chan.Channel}s, each
 *       goroutine a virtual thread of the invocation's {@link BatchScope}.
 *   <li>{@code parallelStream:unordered}, {@code parallelStream:ordered}: {@code LongStream.range(..).parallel()}
 *       {@code .unordered().map(f).sum()} and {@code .map(f).forEachOrdered(check)}, run in a
 *       {@code ForkJoinPool(4)} (the common pool's parallelism is 1 on 2 cores).
 *   <li>{@code sequential}: {@code f} in a loop on the benchmark thread: the work alone.
 * </ul>
 * The library's stages (generator, numbered, workers, merge) are unbuffered, as every stage of
 * {@code dev.gopatterns.pipeline} is; the idiom's {@code jobs} channel is too, and its result channels hold one.
 *
 * <p>{@code pipeline:unordered} and {@code pipeline:ordered} are the typed {@link Pipeline} API's
 * {@code mapUnordered(4, f)} and {@code mapOrdered(4, f)} (the channel-of-channels idiom inside), summed by its sink.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pipeline_02 -p variant=fanOut,mergeSequenced}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Pipeline_02_ParallelMap {

    static final int ITEMS = 1 << 13;
    static final int PARALLELISM = 4;
    static final int REORDER_WINDOW = 4;
    /** The sum of f(i) = i + 1 for i in [0, ITEMS). */
    static final long EXPECTED = (long) ITEMS * (ITEMS + 1) / 2;

    @Param({"fanOut", "mergeSequenced", "channelOfChannels", "pipeline:unordered", "pipeline:ordered",
            "parallelStream:unordered", "parallelStream:ordered", "sequential"})
    public String variant;

    /** One way to map [0, ITEMS) through f and check the results; returns their sum. */
    @FunctionalInterface
    interface Run {
        long mapAll() throws Exception;
    }

    private Run run;
    private ForkJoinPool forkJoin;
    /** The values, boxed once: the source sends no new boxes. */
    private List<Long> values;

    /** About a microsecond of CPU, then x + 1 (so an unmapped value fails the check). */
    static long f(long x) {
        Blackhole.consumeCPU(Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS);
        return x + 1;
    }

    @Setup(Level.Trial)
    public void setUp() {
        values = LongStream.range(0, ITEMS).boxed().toList();
        run = switch (variant) {
            case "fanOut" -> this::fanOut;
            case "mergeSequenced" -> this::mergeSequenced;
            case "channelOfChannels" -> this::channelOfChannels;
            case "pipeline:unordered" -> () -> { // the terminal call from a virtual thread, as fanOut's consumer
                try (BatchScope g = new BatchScope()) {
                    long[] sum = new long[1];
                    g.go(() -> sum[0] = Pipeline.from(values).mapUnordered(PARALLELISM, (c, v) -> f(v))
                            .reduce(g.context(), 0L, Long::sum));
                    g.await();
                    return sum[0];
                }
            };
            case "pipeline:ordered" -> () -> {
                try (BatchScope g = new BatchScope()) {
                    Ordered check = new Ordered();
                    g.go(() -> Pipeline.from(values).mapOrdered(PARALLELISM, (c, v) -> f(v))
                            .forEach(g.context(), check::accept));
                    g.await();
                    return check.sum();
                }
            };
            case "parallelStream:unordered" -> {
                forkJoin = new ForkJoinPool(PARALLELISM);
                yield () -> forkJoin.submit(() -> LongStream.range(0, ITEMS).parallel().unordered()
                        .map(Pipeline_02_ParallelMap::f).sum()).get();
            }
            case "parallelStream:ordered" -> {
                forkJoin = new ForkJoinPool(PARALLELISM);
                yield () -> forkJoin.submit(() -> {
                    Ordered check = new Ordered();
                    LongStream.range(0, ITEMS).parallel().map(Pipeline_02_ParallelMap::f).forEachOrdered(check::accept);
                    return check.sum();
                }).get();
            }
            case "sequential" -> () -> {
                long s = 0;
                for (long i = 0; i < ITEMS; i++) {
                    s += f(i);
                }
                return s;
            };
            default -> throw Spec.parse(variant).unknown("Pipeline_02", "fanOut, mergeSequenced, channelOfChannels,"
                    + " pipeline:unordered, pipeline:ordered,"
                    + " parallelStream:unordered, parallelStream:ordered, sequential");
        };
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long parallelMap() throws Exception {
        long sum = run.mapAll();
        if (sum != EXPECTED) {
            throw new AssertionError("sum of results was " + sum + ", expected " + EXPECTED
                    + ": a value was lost, duplicated or not mapped");
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (forkJoin != null) {
            forkJoin.close();
        }
    }

    /** The consumer of the ordered variants: value i must arrive i-th, as f(i). */
    static final class Ordered {
        private long next;
        private long sum;

        void accept(long v) {
            if (v != next + 1) {
                throw new AssertionError("expected f(" + next + ") = " + (next + 1) + " at position " + next
                        + ", received " + v + ": out of order, lost or unmapped");
            }
            next++;
            sum += v;
        }

        long sum() {
            return sum;
        }
    }

    private long fanOut() throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            long[] sum = new long[1];
            g.go(() -> {
                ReceiveChannel<Long> results = FanOut.fanOut(ctx, Sources.generator(ctx, values), PARALLELISM,
                        (Long v) -> f(v));
                long s = 0;
                for (Long r : results) {
                    s += r;
                }
                sum[0] = s;
            });
            g.await();
            return sum[0];
        }
    }

    private long mergeSequenced() throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            long[] sum = new long[1];
            g.go(() -> {
                ReceiveChannel<Sequenced<Long>> numbered = Sequenced.numbered(ctx, Sources.generator(ctx, values));
                List<ReceiveChannel<Sequenced<Long>>> workers = FanOut.workers(ctx, numbered, PARALLELISM,
                        (Sequenced<Long> s) -> s.with(f(s.value())));
                Ordered check = new Ordered();
                for (Long r : FanIn.mergeSequenced(ctx, REORDER_WINDOW, workers)) {
                    check.accept(r);
                }
                sum[0] = check.sum();
            });
            g.await();
            return sum[0];
        }
    }

    /** A value and the one-slot channel its result goes to. */
    private record Job(Long value, Channel<Long> result) {}

    private long channelOfChannels() throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            Channel<Long> in = Channel.make(0);
            Channel<Job> jobs = Channel.make(0);
            Channel<Channel<Long>> order = Channel.make(REORDER_WINDOW);
            g.go(() -> { // gen
                try {
                    for (Long v : values) {
                        ctx.send(in, v);
                    }
                } finally {
                    in.close();
                }
            });
            g.go(() -> { // dispatcher: the result channel goes into order before the job goes to a worker
                try {
                    for (Long v : in) {
                        Channel<Long> rc = Channel.make(1);
                        ctx.send(order, rc);
                        ctx.send(jobs, new Job(v, rc));
                    }
                } finally {
                    order.close();
                    jobs.close();
                }
            });
            for (int w = 0; w < PARALLELISM; w++) {
                g.go(() -> {
                    for (Job j : jobs) {
                        j.result().send(f(j.value())); // never blocks: the channel holds one, and gets one
                    }
                });
            }
            long[] sum = new long[1];
            g.go(() -> {
                Ordered check = new Ordered();
                for (Channel<Long> rc : order) {
                    check.accept(rc.receive()); // Go: <-rc
                }
                sum[0] = check.sum();
            });
            g.await();
            return sum[0];
        }
    }
}
