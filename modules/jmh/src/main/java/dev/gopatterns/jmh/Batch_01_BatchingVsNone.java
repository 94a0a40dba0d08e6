package dev.gopatterns.jmh;

import dev.gopatterns.batch.Batcher;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a {@link Batcher} buys in front of a backend whose every call has a fixed cost, and what it costs in latency
 * when the load is too light to fill its batches. The backend is simulated with {@link Blackhole#consumeCPU}: a call
 * with {@code n} items burns {@code perCall + n * perItem} tokens (2000 + 50 per item by default, a few
 * microseconds for one item), so one call of 64 items costs what 2.5 calls of one item cost.
 *
 * <pre>{@code
 * // Go: one request per item                    // here, batching = none:
 * res, err := backend.Get(ctx, []int64{id})      //   backend(List.of(item), perCall, perItem)
 * // Go: a batching goroutine (see Batcher)      // here, batching = batcher:16:100us:
 * res, err := batcher.Get(ctx, id)               //   batcher.call(ctx, item)
 * }</pre>
 *
 * <p><b>What is measured:</b>
 * <ul>
 *   <li>{@code callers16}, {@code callers64}: throughput, items per second, with 16 or 64 callers each calling in
 *       a loop; an operation is one caller's item getting its result. The secondary result {@code backendCalls}
 *       is how many backend calls per second those items took, so items per backend call is the mean size of the
 *       batch an item rode in.
 *   <li>{@code oneCaller}: the average time of one call, in microseconds, with a single caller: the latency cost of
 *       batching when batches never fill. Each item then waits {@code maxWait} before its batch of one is sent, so
 *       the row is bounded below by {@code maxWait}, plus the timer's lateness, one backend call and the hand-offs.
 *   <li>{@code parkNanos}: {@link LockSupport#parkNanos} for 100 us or 1 ms on JMH's thread, the control: how late
 *       a timed wait wakes on this machine. The batcher's dispatcher waits for {@code maxWait} with the same park.
 * </ul>
 * {@code batching} is {@code none} (each caller calls the backend itself, one item per call, any number at once),
 * {@code batcher:MAXSIZE} or {@code batcher:MAXSIZE:MAXWAIT} (a {@code Batcher} with that {@code maxSize} and
 * {@code maxWait}, {@code 100us} or {@code 1ms}; {@code maxWait} means nothing at {@code maxSize} 1, where every
 * item is sent at once, so that row is the batcher's own cost). One parameter, not three, so that JMH runs only
 * the combinations that differ. The batcher runs at most {@value #CONCURRENCY} batches at once, as many as the
 * machine has cores: the simulated backend is the machine's CPU, so both modes have the same capacity.
 *
 * <p><b>How:</b> the callers are long-lived workers ({@link ThreadTeam}), platform or virtual threads as
 * {@code threads} says; each invocation has every caller make its share of {@value #TEAM_ITEMS} calls (or
 * {@value #ONE_CALLER_CALLS} for the one caller), and JMH divides by that ({@code @OperationsPerInvocation}). Not
 * JMH's own threads with {@code @Threads(64)}: they are platform threads, and as virtual threads
 * ({@code -Djmh.executor=VIRTUAL}) the {@code none} callers never block, so two of them hold both carriers in JMH's
 * ramp-up loop, waiting for 62 others that never get one (it hung; with 16 it reported four times what two cores can
 * do). The harness costs N + 1 wake-ups per invocation (see ThreadTeam), under 2% of the shortest invocation here;
 * each invocation also ends with the last callers' partial batch waiting up to {@code maxWait}, at most 1 ms of an
 * invocation of 20 ms or more. The batcher's dispatcher and batch runners are its own virtual threads.
 *
 * <p><b>Checked:</b> every item is unique ({@code caller << 40 | sequence}) and the backend answers
 * {@link #answer(long)}, a bijection, with the item's index in its batch; every caller checks that the value it got
 * is the answer to its own item and fails the run otherwise, so a result handed to the wrong caller, lost or
 * duplicated fails loudly. At the end of each trial the batcher is closed and must have sent exactly as many items
 * as the callers made calls, in no failed batch, with nothing pending.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement), like {@link Resilience_01_BreakerOverhead}; 38
 * rows, about 12 minutes. A caller stuck for 10 s past the start of an iteration is interrupted ({@code @Timeout})
 * and fails the run instead of hanging it.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Batch_01 -p batching=none,batcher:16:100us
 * -p threads=virtual}
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Timeout(time = 10)
public class Batch_01_BatchingVsNone {

    /** Batches at once: the 2 cores of the machine the report comes from, the capacity {@code none} has too. */
    static final int CONCURRENCY = 2;
    /** Calls per invocation of {@code callers16} and {@code callers64}: 800 or 200 per caller. */
    static final int TEAM_ITEMS = 12_800;
    /** Calls per invocation of {@code oneCaller}. */
    static final int ONE_CALLER_CALLS = 1_000;

    /** One item's result: the backend's answer and where the item was in its batch. */
    record Result(long value, int index) {}

    /** The backend's answer to {@code item}: a bijection, so an answer to any other item differs. */
    static long answer(long item) {
        return item * 0x9E3779B97F4A7C15L + 1;
    }

    /** The backend: one call, any number of items, {@code perCall + items * perItem} tokens of CPU. */
    static List<Result> backend(List<Long> items, int perCall, int perItem) {
        Blackhole.consumeCPU(perCall + (long) perItem * items.size());
        List<Result> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new Result(answer(items.get(i)), i));
        }
        return out;
    }

    /** The backend and, unless {@code batching=none}, the batcher every caller goes through; made per trial. */
    @State(Scope.Benchmark)
    public static class Backend {
        @Param({"none", "batcher:1", "batcher:16:100us", "batcher:16:1ms", "batcher:64:100us", "batcher:64:1ms"})
        public String batching;

        /** Tokens of CPU every backend call costs, whatever its size. */
        @Param({"2000"})
        public int perCall;

        /** Tokens of CPU each item adds to a call. */
        @Param({"50"})
        public int perItem;

        Batcher<Long, Result> batcher; // null: none
        final LongAdder calls = new LongAdder();

        @Setup(Level.Trial)
        public void make() {
            if (perCall < 0 || perItem < 0) {
                throw new IllegalArgumentException("perCall and perItem must be >= 0, were " + perCall + ", " + perItem);
            }
            String[] p = batching.split(":");
            if (p[0].equals("none") && p.length == 1) {
                return;
            }
            if (!p[0].equals("batcher") || p.length < 2 || p.length > 3) {
                throw new IllegalArgumentException("batching must be none, batcher:MAXSIZE or batcher:MAXSIZE:MAXWAIT"
                        + " (MAXWAIT 100us or 1ms), was \"" + batching + "\"");
            }
            int maxSize = Integer.parseInt(p[1]);
            if (p.length == 2 && maxSize != 1) {
                throw new IllegalArgumentException("batching " + batching + " needs a maxWait: batcher:MAXSIZE:MAXWAIT"
                        + " (only batcher:1, where every item is sent at once, goes without)");
            }
            // At maxSize 1 the timer never runs: every item fills its batch. The builder still wants a maxWait.
            Duration maxWait = p.length == 2 ? Duration.ofMillis(1) : duration(p[2]);
            int c = perCall;
            int i = perItem;
            batcher = Batcher.<Long, Result>builder((ctx, items) -> backend(items, c, i))
                    .name("bench").maxSize(maxSize).maxWait(maxWait).concurrency(CONCURRENCY).build();
        }

        /** Checks, after the callers' teams have ended, that the batcher sent every item it was given. */
        @TearDown(Level.Trial)
        public void check() {
            if (batcher == null) {
                return;
            }
            batcher.close();
            Batcher.Metrics m = batcher.metrics();
            if (m.items() != calls.sum() || m.failedBatches() != 0 || m.pending() != 0) {
                throw new AssertionError("the batcher sent " + m.items() + " items for " + calls.sum() + " calls, "
                        + m.failedBatches() + " batches failed, " + m.pending() + " items pending after close: " + m);
            }
        }
    }

    static Duration duration(String s) {
        return switch (s) {
            case "100us" -> Duration.ofNanos(100_000);
            case "1ms" -> Duration.ofMillis(1);
            default -> throw new IllegalArgumentException("maxWait must be 100us or 1ms, was \"" + s + "\"");
        };
    }

    /** One caller: its own numbered items, checked one by one. Used by its worker thread only. */
    static final class Caller {
        private final Backend b;
        private final Context ctx = Context.background();
        private final long idBits;
        private long seq;

        Caller(Backend b, int id) {
            this.b = b;
            this.idBits = (long) id << 40;
        }

        /** {@code n} calls; adds them, and the backend calls they were first in, to the counts. */
        void calls(int n, LongAdder backendCalls) throws Exception {
            long firsts = 0;
            for (int k = 0; k < n; k++) {
                long item = idBits | seq++;
                Result r = b.batcher == null ? backend(List.of(item), b.perCall, b.perItem).getFirst()
                        : b.batcher.call(ctx, item);
                if (r.value() != answer(item)) {
                    throw new AssertionError("caller " + (idBits >>> 40) + " sent item " + item + " and got "
                            + r.value() + ", not its answer " + answer(item) + ": a result went to the wrong caller");
                }
                if (r.index() == 0) {
                    firsts++;
                }
            }
            b.calls.add(n);
            backendCalls.add(firsts);
        }
    }

    /** The callers of one trial: one worker per caller, 1, 16 or 64 as the benchmark method's name says. */
    @State(Scope.Benchmark)
    public static class Callers {
        @Param({"platform", "virtual"})
        public String threads;

        ThreadTeam team;
        final LongAdder backendCalls = new LongAdder();

        @Setup(Level.Trial)
        public void start(Backend b, BenchmarkParams params) {
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            int n;
            int each;
            switch (method) {
                case "oneCaller" -> {
                    n = 1;
                    each = ONE_CALLER_CALLS;
                }
                case "callers16", "callers64" -> {
                    n = Integer.parseInt(method.substring("callers".length()));
                    each = TEAM_ITEMS / n;
                }
                default -> throw new IllegalStateException("no callers for benchmark " + method);
            }
            ThreadTeam.Batch[] batches = new ThreadTeam.Batch[n];
            for (int i = 0; i < n; i++) {
                Caller c = new Caller(b, i + 1);
                batches[i] = () -> c.calls(each, backendCalls);
            }
            team = new ThreadTeam(threads, "caller", batches);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            team.close();
        }

        /** One invocation: every caller makes its calls; the backend calls they took go to {@code n}, if any. */
        void run(BackendCalls n) throws Exception {
            team.runBatch();
            long made = backendCalls.sumThenReset();
            if (n != null) {
                n.backendCalls += made;
            }
        }
    }

    /** Backend calls made, as a rate like the primary result: items per second ÷ this = items per backend call. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class BackendCalls {
        public long backendCalls;

        @Setup(Level.Iteration)
        public void reset() {
            backendCalls = 0;
        }
    }

    /** The control: how long a timed park of 100 us or 1 ms takes here. */
    @State(Scope.Thread)
    public static class Park {
        @Param({"100us", "1ms"})
        public String wait;

        long nanos;

        @Setup(Level.Trial)
        public void make() {
            nanos = duration(wait).toNanos();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(ONE_CALLER_CALLS)
    public void oneCaller(Callers c) throws Exception {
        c.run(null);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TEAM_ITEMS)
    public void callers16(Callers c, BackendCalls n) throws Exception {
        c.run(n);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TEAM_ITEMS)
    public void callers64(Callers c, BackendCalls n) throws Exception {
        c.run(n);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void parkNanos(Park p) {
        LockSupport.parkNanos(p.nanos);
    }
}
