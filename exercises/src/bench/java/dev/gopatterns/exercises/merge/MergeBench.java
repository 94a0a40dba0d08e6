package dev.gopatterns.exercises.merge;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.List;
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

/**
 * {@code ./learn bench merge}: your {@code Merge.merge} beside the reference's. Each invocation starts
 * {@code inputs} producers (virtual threads, each sending its share of {@value #TOTAL} values on its own
 * unbuffered channel and closing it), merges their channels and drains the result; the score is nanoseconds per
 * value received.
 *
 * <p>What makes a merge slow here: a forwarder that takes turns with the others (a lock, or reading the inputs
 * one after another), a busy loop that competes with the producers for the two cores, or a close that waits on
 * a timer. The invocation also checks that every value arrived, so a merge that drops values cannot look fast.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class MergeBench {

    static final int TOTAL = 1 << 14;

    @Param({"2", "8"})
    public int inputs;

    @Benchmark
    @OperationsPerInvocation(TOTAL)
    public long merge() throws InterruptedException {
        int each = TOTAL / inputs;
        List<Channel<Integer>> channels = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            Channel<Integer> c = Channel.make(0);
            channels.add(c);
            Thread.ofVirtual().start(() -> {
                try {
                    for (int v = 0; v < each; v++) {
                        c.send(v);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    c.close();
                }
            });
        }
        List<ReceiveChannel<Integer>> ins = new ArrayList<>();
        channels.forEach(c -> ins.add(c.receiveOnly()));
        long sum = 0;
        long count = 0;
        for (int v : Merge.merge(Context.background(), ins)) {
            sum += v;
            count++;
        }
        if (count != TOTAL) {
            throw new IllegalStateException("the merge delivered " + count + " values of " + TOTAL);
        }
        return sum;
    }
}
