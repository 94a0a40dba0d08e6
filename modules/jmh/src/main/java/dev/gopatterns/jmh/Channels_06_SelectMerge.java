package dev.gopatterns.jmh;

import com.softwaremill.jox.Select;
import dev.gopatterns.chan.Channel;
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
 * Merge with select: two producers each feed their own channel, and one consumer takes whichever value is ready
 * first with a two-case select.
 *
 * <pre>{@code
 * // Go:
 * go func() { for i := 0; i < n/2; i++ { a <- items[i] } }()
 * go func() { for i := n/2; i < n; i++ { b <- items[i] } }()
 * for i := 0; i < n; i++ { select { case v := <-a: ...; case v := <-b: ... } }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value received through the select. Compared with
 * {@link Channels_02_Throughput}, each receive registers on two channels when it must wait and withdraws from the one
 * that did not fire: the price of select's bookkeeping, and of its fairness (when both are ready, one is chosen at
 * random, as in Go; jox also picks among ready clauses, see its {@code Select} javadoc).
 *
 * <p><b>Why:</b> select is what a channel library has that a queue does not. A consumer that merges several sources,
 * or that waits on a value and a cancellation at once, pays this on every receive.
 *
 * <p><b>Implementations:</b> {@code gopatterns} ({@code Select.select(a.onReceive(..), b.onReceive(..))}) and
 * {@code jox} ({@code Select.select(a.receiveClause(), b.receiveClause())}): the two with a select. The JDK queues
 * have none; a merge without select would be a different workload. The cases are built on every call, as user code
 * builds them, so their allocation is part of the cost.
 *
 * <p><b>How:</b> three long-lived workers per trial ({@link ThreadTeam}), platform or virtual as {@code threads}
 * says; each invocation moves {@value #ITEMS} values, half from each producer, and JMH divides by that. The
 * consumer checks that each producer's values arrive in that producer's order and that all {@value #ITEMS} arrive:
 * a lost, duplicated or reordered value fails the benchmark. The harness's own cost is under 1% of any row.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkSelectMerge} in {@code modules/jmh/go/chan_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_06 -p channel=gopatterns:0,jox:0}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Channels_06_SelectMerge {

    static final int ITEMS = 1 << 15;
    static final int HALF = ITEMS / 2;

    /** {@code name:capacity} of both input channels: gopatterns or jox, unbuffered or with a buffer of 16. */
    @Param({"gopatterns:0", "jox:0", "gopatterns:16", "jox:16"})
    public String channel;

    @Param({"platform", "virtual"})
    public String threads;

    private ThreadTeam team;

    /** The two inputs and a two-case select over them, for one implementation. */
    private sealed interface Merge {
        void sendA(Integer v) throws InterruptedException;

        void sendB(Integer v) throws InterruptedException;

        Integer selectEither() throws InterruptedException;
    }

    private record Gopatterns(Channel<Integer> a, Channel<Integer> b) implements Merge {
        public void sendA(Integer v) throws InterruptedException {
            a.send(v);
        }

        public void sendB(Integer v) throws InterruptedException {
            b.send(v);
        }

        public Integer selectEither() throws InterruptedException {
            return dev.gopatterns.chan.Select.select(a.onReceive(v -> v), b.onReceive(v -> v));
        }
    }

    private record Jox(com.softwaremill.jox.Channel<Integer> a, com.softwaremill.jox.Channel<Integer> b)
            implements Merge {
        public void sendA(Integer v) throws InterruptedException {
            a.send(v);
        }

        public void sendB(Integer v) throws InterruptedException {
            b.send(v);
        }

        public Integer selectEither() throws InterruptedException {
            return Select.select(a.receiveClause(), b.receiveClause());
        }
    }

    private static Merge make(String spec) {
        int colon = spec.lastIndexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        int capacity = colon < 0 ? -1 : Integer.parseInt(spec.substring(colon + 1));
        if (capacity < 0) {
            throw new IllegalArgumentException("channel spec must be name:capacity with capacity >= 0, was \""
                    + spec + "\"");
        }
        return switch (name) {
            case "gopatterns" -> new Gopatterns(Channel.make(capacity), Channel.make(capacity));
            case "jox" -> new Jox(joxChannel(capacity), joxChannel(capacity));
            default -> throw new IllegalArgumentException("Channels_06 needs a select: channel must be gopatterns:N"
                    + " or jox:N, was \"" + spec + "\"");
        };
    }

    private static com.softwaremill.jox.Channel<Integer> joxChannel(int capacity) {
        return capacity == 0
                ? com.softwaremill.jox.Channel.newRendezvousChannel()
                : com.softwaremill.jox.Channel.newBufferedChannel(capacity);
    }

    @Setup(Level.Trial)
    public void start() {
        Merge merge = make(channel);
        Integer[] items = new Integer[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
        }
        team = new ThreadTeam(threads, "select-merge",
                () -> {
                    for (int i = 0; i < HALF; i++) {
                        merge.sendA(items[i]);
                    }
                },
                () -> {
                    for (int i = HALF; i < ITEMS; i++) {
                        merge.sendB(items[i]);
                    }
                },
                () -> {
                    int nextA = 0;
                    int nextB = HALF;
                    for (int i = 0; i < ITEMS; i++) {
                        Integer v = merge.selectEither();
                        if (nextA < HALF && v == items[nextA]) {
                            nextA++;
                        } else if (nextB < ITEMS && v == items[nextB]) {
                            nextB++;
                        } else {
                            throw new AssertionError("received " + v + " but expected " + nextA + " (from a) or "
                                    + nextB + " (from b): a value was lost, duplicated or reordered");
                        }
                    }
                });
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void selectMerge() throws Exception {
        team.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (team != null) { // null if start() failed
            team.close();
        }
    }
}
