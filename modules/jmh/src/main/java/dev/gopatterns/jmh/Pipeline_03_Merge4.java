package dev.gopatterns.jmh;

import com.softwaremill.jox.ChannelDone;
import com.softwaremill.jox.ChannelError;
import com.softwaremill.jox.SelectClause;
import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.FanIn;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-in: {@value #PRODUCERS} producers, each with its own channel, merged into one consumer; {@value #ITEMS}
 * values per invocation, a quarter from each producer.
 *
 * <pre>{@code
 * // Go, merge (the twin BenchmarkMerge4/impl=merge in go/pipeline): a goroutine per input forwards to one out,
 * // and a last goroutine closes out after wg.Wait(), as in "Pipelines and cancellation".
 * // Go, select (BenchmarkMerge4/impl=select): the consumer selects over the four inputs itself,
 * // and sets an input to nil when it closes:
 * for open := 4; open > 0; {
 *     select {
 *     case v, ok := <-c0: if !ok { c0 = nil; open--; continue }; use(v)
 *     // ... c1, c2, c3 alike
 *     }
 * }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per value received by the consumer ({@code @OperationsPerInvocation}).
 * {@code merge} moves each value twice (producer to forwarder, forwarder to the consumer) through selects over the
 * hand-off and the context; {@code select} once, but through a four-case select. The consumer checks that each
 * producer's values arrive in that producer's order and that all arrive.
 *
 * <p>{@code variant} ({@code name:capacity}, the capacity of the producers' channels):
 * <ul>
 *   <li>{@code merge:N}: {@code FanIn.merge(ctx, c0, c1, c2, c3)} (its output is unbuffered, like every stage's).
 *   <li>{@code select:N}: the select loop above, {@code Select.select(c0.onReceiveOrClosed(..), ...)} with a closed
 *       input replaced by {@code Channel.nil()}, Go's idiom.
 *   <li>{@code jox:N}: the select loop on jox channels, {@code Select.selectOrClosed} over the receive clauses of the
 *       inputs still open (a jox select returns "done" if any of its channels is done, so a finished input is
 *       dropped from the list instead of being replaced by a nil channel). jox has no merge stage to compare with
 *       {@code merge} (its Flows are not available here). Not in the default list: with jox 1.0.1 the loop was seen to
 *       stop making progress (see the note at {@code variant}); run it by hand with {@code -p variant=jox:0,jox:64}.
 * </ul>
 * Producers are virtual threads of the invocation's {@link BatchScope} that send preallocated boxes and close
 * their channel.
 *
 * <p>Adding a variant is one more {@code @Param} value and one more case in {@link #setUp()}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pipeline_03 -p variant=merge:0,select:0}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Pipeline_03_Merge4 {

    static final int ITEMS = 1 << 14;
    static final int PRODUCERS = 4;
    static final int EACH = ITEMS / PRODUCERS;

    // jox:0 and jox:64 are not in the default list: in the first full run (2026-12-02) jox:0 stopped making progress
    // in its second warm-up iteration (two producers spinning in jox's done(), two blocked in send, the consumer parked
    // in selectOrClosed; jox 1.0.1), past the BatchScope deadline, which jox's calls do not observe. A suite that can
    // hang cannot be smoked in CI. Run them by hand: -p variant=jox:0,jox:64.
    @Param({"merge:0", "merge:64", "select:0", "select:64"})
    public String variant;

    /** One way to merge the producers' values into the consumer, which checks them. */
    @FunctionalInterface
    interface Run {
        void mergeAll() throws Exception;
    }

    private Run run;
    /** items[i] is i: producer p sends items[p * EACH .. (p + 1) * EACH). */
    private final Integer[] items = new Integer[ITEMS];

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < ITEMS; i++) {
            items[i] = i;
        }
        Spec spec = Spec.parse(variant);
        int capacity = spec.requireCapacity();
        run = switch (spec.name()) {
            case "merge" -> () -> merge(capacity);
            case "select" -> () -> select(capacity);
            case "jox" -> () -> jox(capacity);
            default -> throw spec.unknown("Pipeline_03", "merge:N, select:N, jox:N");
        };
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public void merge4() throws Exception {
        run.mergeAll();
    }

    /** The consumer's check: each producer's values in its order, all of them. */
    static final class PerProducerOrder {
        private final int[] next = new int[PRODUCERS];
        private int received;

        PerProducerOrder() {
            for (int p = 0; p < PRODUCERS; p++) {
                next[p] = p * EACH;
            }
        }

        void accept(int v) {
            int p = v / EACH;
            if (p < 0 || p >= PRODUCERS || v != next[p]) {
                throw new AssertionError("received " + v + ", expected one of " + java.util.Arrays.toString(next)
                        + ": a value was lost, duplicated or reordered within its producer");
            }
            next[p]++;
            received++;
        }

        void checkAll() {
            if (received != ITEMS) {
                throw new AssertionError("received " + received + " values, sent " + ITEMS);
            }
        }
    }

    private List<Channel<Integer>> producers(BatchScope g, int capacity) throws InterruptedException {
        List<Channel<Integer>> inputs = new ArrayList<>(PRODUCERS);
        for (int p = 0; p < PRODUCERS; p++) {
            Channel<Integer> c = Channel.make(capacity);
            inputs.add(c);
            int from = p * EACH;
            g.go(() -> {
                try {
                    for (int i = from; i < from + EACH; i++) {
                        c.send(items[i]);
                    }
                } finally {
                    c.close();
                }
            });
        }
        return inputs;
    }

    private void merge(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            List<Channel<Integer>> inputs = producers(g, capacity);
            g.go(() -> {
                PerProducerOrder check = new PerProducerOrder();
                for (Integer v : FanIn.<Integer>merge(ctx, inputs)) {
                    check.accept(v);
                }
                check.checkAll();
            });
            g.await();
        }
    }

    private void select(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            List<Channel<Integer>> inputs = producers(g, capacity);
            g.go(() -> {
                PerProducerOrder check = new PerProducerOrder();
                Channel<Integer> c0 = inputs.get(0), c1 = inputs.get(1), c2 = inputs.get(2), c3 = inputs.get(3);
                for (int open = PRODUCERS; open > 0; ) {
                    // -1..-4: input 0..3 closed (no value is negative)
                    Integer v = Select.select(
                            c0.onReceiveOrClosed(r -> value(r, -1)), c1.onReceiveOrClosed(r -> value(r, -2)),
                            c2.onReceiveOrClosed(r -> value(r, -3)), c3.onReceiveOrClosed(r -> value(r, -4)));
                    if (v >= 0) {
                        check.accept(v);
                        continue;
                    }
                    open--;
                    switch (v.intValue()) { // Go: c = nil, so the select never picks it again
                        case -1 -> c0 = Channel.nil();
                        case -2 -> c1 = Channel.nil();
                        case -3 -> c2 = Channel.nil();
                        default -> c3 = Channel.nil();
                    }
                }
                check.checkAll();
            });
            g.await();
        }
    }

    /** The received box itself (no new box per value), or the closed marker. */
    private static Integer value(Received<Integer> r, Integer closed) {
        return r instanceof Received.Value<Integer>(Integer v) ? v : closed;
    }

    private void jox(int capacity) throws Exception {
        try (BatchScope g = new BatchScope()) {
            List<com.softwaremill.jox.Channel<Integer>> inputs = new ArrayList<>(PRODUCERS);
            for (int p = 0; p < PRODUCERS; p++) {
                com.softwaremill.jox.Channel<Integer> c = JoxStage.make(capacity);
                inputs.add(c);
                int from = p * EACH;
                g.go(() -> {
                    try {
                        for (int i = from; i < from + EACH; i++) {
                            c.send(items[i]);
                        }
                    } finally {
                        c.done();
                    }
                });
            }
            g.go(() -> {
                PerProducerOrder check = new PerProducerOrder();
                List<com.softwaremill.jox.Channel<Integer>> open = new ArrayList<>(inputs);
                while (!open.isEmpty()) {
                    @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array: jox's select takes varargs
                    SelectClause<Integer>[] clauses = new SelectClause[open.size()];
                    for (int i = 0; i < clauses.length; i++) {
                        clauses[i] = open.get(i).receiveClause();
                    }
                    Object r = com.softwaremill.jox.Select.selectOrClosed(clauses);
                    switch (r) {
                        case Integer v -> check.accept(v);
                        case ChannelDone d -> open.remove(d.channel());
                        case ChannelError e -> throw e.toException();
                        default -> throw new IllegalStateException("unexpected select result " + r);
                    }
                }
                check.checkAll();
            });
            g.await();
        }
    }
}
