package dev.gopatterns.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One producer and one consumer on JMH's own (platform) threads, in JMH's asymmetric {@code @Group} style
 * (JMHSample_15_Asymmetric): one thread calls {@code send} in a loop, the other {@code receive}.
 *
 * <p><b>What is measured:</b> the average time of one {@code send} and of one {@code receive}, each reported as
 * a secondary result, and their mean as the group's score. For a buffered channel this is the same quantity as
 * {@link Channels_02_Throughput}'s platform rows, measured without that benchmark's harness: the two should agree
 * within the noise, and this benchmark is the check that the harness does not distort them. For an unbuffered one,
 * each call includes waiting for the other side.
 *
 * <p><b>Why only platform threads:</b> JMH's threads are platform threads; putting the work on virtual threads needs
 * the batch harness of {@link Channels_02_Throughput}.
 *
 * <p><b>The end of an iteration:</b> the producer and the consumer never make exactly the same number of calls,
 * so when JMH ends an iteration one of them is usually blocked: in {@code send} on a full (or unbuffered) channel,
 * or in {@code receive} on an empty one. JMH then interrupts it, as JMHSample_30_Interrupts describes, and prints
 * {@code (benchmark timed out, interrupted 1 times)}. That is expected here. JMH interrupts only after the
 * measurement has ended, while the threads run the "warm-down" loop, whose {@link InterruptedException} the
 * generated code ignores; and only once the {@code @Timeout}, counted from the start of the iteration, has passed,
 * so 1 s (the iteration time) means "right after the iteration"; a longer timeout only adds idle seconds to every
 * iteration. Fresh channels are made for every iteration, so an interrupted call leaves nothing behind for the
 * next one.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_03 -p channel=gopatterns:1024}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Timeout(time = 1)
@State(Scope.Group)
public class Channels_03_ProducerConsumerGroup {

    /** {@code name:capacity}, see {@link Conduit}. */
    @Param({
        "gopatterns:0", "SynchronousQueue:0", "LinkedTransferQueue:0", "jox:0",
        "gopatterns:1024", "ArrayBlockingQueue:1024", "jox:1024"
    })
    public String channel;

    private Conduit<Integer> ch;
    private final Integer item = 42;

    @Setup(Level.Iteration)
    public void makeChannel() {
        ch = Conduit.make(channel);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void send() throws InterruptedException {
        ch.send(item);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public Integer receive() throws InterruptedException {
        return ch.receive();
    }
}
