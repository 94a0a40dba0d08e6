package dev.gopatterns.exercises.ordered_parallel_map;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.Context;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code ./learn bench ordered_parallel_map}: your {@code OrderedMap.orderedMap} beside the reference's. Each
 * invocation sends {@value #ITEMS} numbers, in order, on an unbuffered channel, maps them {@code parallelism} at a
 * time with a function of a small fixed cost ({@code Blackhole.consumeCPU(}{@value #WORK}{@code )}, a fraction
 * of a microsecond), and drains the output; the score is nanoseconds per item.
 *
 * <p>What it shows: the price of keeping the order. The function is cheap, so the score is mostly the stage's own
 * hand-offs: each item also costs a channel of its own for its result and a pass through the reorder window. On two
 * cores more parallelism than 2 cannot make a CPU-bound function faster; what the parameter shows is whether the
 * stage's cost stays flat as the window grows. A map that is much slower than the reference usually waits for each
 * result before it dispatches the next value (no parallelism whatever the parameter), polls a channel in a loop,
 * or keeps its results in a sorted map under a lock.
 * The invocation checks that the results come out whole and in the input's order, so a map that drops items or
 * sends them in completion order cannot look fast.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class OrderedMapBench {

    static final int ITEMS = 4096;
    static final int WORK = 100;

    @Param({"1", "2", "4"})
    public int parallelism;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long orderedMap() throws InterruptedException {
        Channel<Integer> in = Channel.make(0);
        Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) {
                    in.send(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                in.close();
            }
        });
        long expected = 0;
        for (long r : OrderedMap.orderedMap(Context.background(), in.receiveOnly(), parallelism,
                (Context ctx, Integer v) -> {
                    Blackhole.consumeCPU(WORK);
                    return (long) v;
                })) {
            if (r != expected) {
                throw new IllegalStateException("result " + expected + " came out as " + r
                        + ": the map must keep the input's order");
            }
            expected++;
        }
        if (expected != ITEMS) {
            throw new IllegalStateException("the map returned " + expected + " results of " + ITEMS + " items");
        }
        return expected;
    }
}
