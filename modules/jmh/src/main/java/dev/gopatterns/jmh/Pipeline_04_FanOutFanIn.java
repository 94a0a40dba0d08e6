package dev.gopatterns.jmh;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.FanIn;
import dev.gopatterns.pipeline.FanOut;
import dev.gopatterns.pipeline.Sources;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
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
 * Fan-out and fan-in, 1 → {@value #WORKERS} → 1: one source, four workers applying a trivial function, one consumer;
 * {@value #ITEMS} values per invocation. {@link Pipeline_02_ParallelMap} is the same shape with a microsecond of
 * work per value; this is the machinery alone.
 *
 * <pre>{@code
 * // Go (the twin BenchmarkFanOutFanIn in go/pipeline/pipeline_test.go):
 * in, out := make(chan int, buf), make(chan int, buf)
 * go func() { defer close(in); for i := 0; i < n; i++ { select { case in <- i: case <-done: return } } }()
 * var wg sync.WaitGroup
 * for w := 0; w < 4; w++ {
 *     wg.Add(1)
 *     go func() { defer wg.Done(); for v := range in { select { case out <- v + 1: case <-done: return } } }()
 * }
 * go func() { wg.Wait(); close(out) }()
 * for v := range out { check(v) }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value, source to consumer ({@code @OperationsPerInvocation}): two
 * hand-offs at least, with four workers competing for the first channel and feeding the second. The function maps
 * value i to the preallocated box i + 1 (no allocation, but a change the consumer can see), and the consumer checks
 * that every value arrives exactly once, mapped.
 *
 * <p>{@code variant}:
 * <ul>
 *   <li>{@code fanOut}: {@code Sources.generator} into {@code FanOut.fanOut(ctx, in, 4, f)}, one stage.
 *   <li>{@code workers+merge}: {@code FanOut.workers(ctx, in, 4, f)} into {@code FanIn.merge}: the article's
 *       composition, one more hand-off per value than {@code fanOut}.
 *   <li>{@code gopatterns:N}: the Go code above on {@code dev.gopatterns.chan.Channel}s of capacity N, each
 *       goroutine a virtual thread of the invocation's {@link BatchScope}; the close after the last worker is the
 *       task that waits for a {@code WaitGroup}, as in Go.
 *   <li>{@code jox:N}: the same on jox channels (a jox {@code done} channel as the token, see {@link JoxStage}).
 *   <li>{@code parallelStream}: {@code IntStream.range(..).parallel().mapToObj(f).forEach(check)} in a
 *       {@code ForkJoinPool(4)}: the baseline without channels.
 * </ul>
 * The library's stages are unbuffered; the capacity applies to the hand-written variants' two channels.
 *
 * <p>Adding a variant is one more {@code @Param} value and one more case in {@link #setUp()}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pipeline_04 -p variant=fanOut,gopatterns:0}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Pipeline_04_FanOutFanIn {

    static final int ITEMS = 1 << 14;
    static final int WORKERS = 4;

    @Param({"fanOut", "workers+merge", "gopatterns:0", "gopatterns:64", "jox:0", "jox:64", "parallelStream"})
    public String variant;

    /** One way to move [0, ITEMS) through the workers to the consumer, which checks them. */
    @FunctionalInterface
    interface Run {
        void fanOutFanIn() throws Exception;
    }

    private Run run;
    private ForkJoinPool forkJoin;
    /** items[i] is i; next[i] is i + 1, a different box: the function maps items[i] to next[i]. */
    private final Integer[] items = new Integer[ITEMS];
    private final Integer[] next = new Integer[ITEMS];
    private List<Integer> source;
    private Function<Integer, Integer> f;

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
            next[i] = i + 1;
        }
        source = Arrays.asList(items);
        f = v -> next[v];
        Spec spec = Spec.parse(variant);
        run = switch (spec.name()) {
            case "fanOut" -> this::fanOut;
            case "workers+merge" -> this::workersMerge;
            case "gopatterns" -> {
                int capacity = spec.requireCapacity();
                yield () -> gopatterns(capacity);
            }
            case "jox" -> {
                int capacity = spec.requireCapacity();
                yield () -> jox(capacity);
            }
            case "parallelStream" -> {
                forkJoin = new ForkJoinPool(WORKERS);
                yield () -> forkJoin.submit(() -> {
                    ExactlyOnce check = new ExactlyOnce(true);
                    IntStream.range(0, ITEMS).parallel().mapToObj(i -> f.apply(items[i])).forEach(check::accept);
                    check.checkAll();
                }).get();
            }
            default -> throw spec.unknown("Pipeline_04", "fanOut, workers+merge, gopatterns:N, jox:N, parallelStream");
        };
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void fanOutFanIn() throws Exception {
        run.fanOutFanIn();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (forkJoin != null) {
            forkJoin.close();
        }
    }

    /** The consumer's check: every value once, mapped (value v is next[v - 1]). */
    final class ExactlyOnce {
        private final boolean[] seen = new boolean[ITEMS];
        private final boolean concurrent;
        private final AtomicInteger concurrentCount = new AtomicInteger();
        private int received;

        /** @param concurrent whether several threads call accept (the parallel stream's forEach) */
        ExactlyOnce(boolean concurrent) {
            this.concurrent = concurrent;
        }

        void accept(Integer v) {
            int i = v - 1;
            if (i < 0 || i >= ITEMS || next[i] != v || seen[i]) {
                throw new AssertionError("received " + v + ": twice, unmapped or never sent");
            }
            seen[i] = true; // distinct slots per value: a plain write is enough even with several threads
            if (concurrent) {
                concurrentCount.incrementAndGet();
            } else {
                received++;
            }
        }

        void checkAll() {
            int n = concurrent ? concurrentCount.get() : received;
            if (n != ITEMS) {
                throw new AssertionError("received " + n + " values, sent " + ITEMS);
            }
        }
    }

    private void consume(BatchScope g, ReceiveChannel<Integer> out) throws InterruptedException {
        g.go(() -> {
            ExactlyOnce check = new ExactlyOnce(false);
            for (Integer v : out) {
                check.accept(v);
            }
            check.checkAll();
        });
    }

    private void fanOut() throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            consume(g, FanOut.fanOut(ctx, Sources.generator(ctx, source), WORKERS, f));
            g.await();
        }
    }

    private void workersMerge() throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            consume(g, FanIn.merge(ctx, FanOut.workers(ctx, Sources.generator(ctx, source), WORKERS, f)));
            g.await();
        }
    }

    private void gopatterns(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            Channel<Integer> in = Channel.make(capacity);
            Channel<Integer> out = Channel.make(capacity);
            g.go(() -> {
                try {
                    for (Integer v : items) {
                        ctx.send(in, v);
                    }
                } finally {
                    in.close();
                }
            });
            dev.gopatterns.sync.WaitGroup wg = new dev.gopatterns.sync.WaitGroup();
            for (int w = 0; w < WORKERS; w++) {
                wg.add(1);
                g.go(() -> {
                    try {
                        for (Integer v : in) {
                            ctx.send(out, f.apply(v));
                        }
                    } finally {
                        wg.done();
                    }
                });
            }
            g.go(() -> { // Go: go func() { wg.Wait(); close(out) }()
                wg.await();
                out.close();
            });
            consume(g, out);
            g.await();
        }
    }

    private void jox(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            com.softwaremill.jox.Channel<Object> done = com.softwaremill.jox.Channel.newRendezvousChannel();
            com.softwaremill.jox.Channel<Integer> in = JoxStage.make(capacity);
            com.softwaremill.jox.Channel<Integer> out = JoxStage.make(capacity);
            g.go(() -> {
                try {
                    for (Integer v : items) {
                        if (!JoxStage.send(in, v, done)) {
                            return;
                        }
                    }
                } finally {
                    in.done();
                }
            });
            dev.gopatterns.sync.WaitGroup wg = new dev.gopatterns.sync.WaitGroup();
            for (int w = 0; w < WORKERS; w++) {
                wg.add(1);
                g.go(() -> {
                    try {
                        for (Integer v; (v = JoxStage.receiveOrNull(in)) != null; ) {
                            if (!JoxStage.send(out, f.apply(v), done)) {
                                return;
                            }
                        }
                    } finally {
                        wg.done();
                    }
                });
            }
            g.go(() -> {
                wg.await();
                out.done();
            });
            g.go(() -> {
                try {
                    ExactlyOnce check = new ExactlyOnce(false);
                    for (Integer v; (v = JoxStage.receiveOrNull(out)) != null; ) {
                        check.accept(v);
                    }
                    check.checkAll();
                } finally {
                    done.done();
                }
            });
            g.await();
        }
    }
}
