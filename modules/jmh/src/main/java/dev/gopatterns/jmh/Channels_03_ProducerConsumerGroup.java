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
import org.openjdk.jmh.infra.BenchmarkParams;

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
 * <p><b>Two groups, two kinds of thread:</b> {@code handoff} runs on JMH's default executor, platform threads.
 * {@code handoffVirtual} is the same pair of methods in a fork started with {@code -Djmh.executor=VIRTUAL}: JMH 1.37
 * then creates its worker threads with {@code Thread.ofVirtual()} (its {@code BenchmarkHandler.ExecutorType.VIRTUAL},
 * a fixed pool over a virtual-thread factory), so the sender and the receiver are virtual threads on the JDK's
 * default scheduler. A setup check fails the run if a group's worker is not the kind of thread its name promises.
 * These rows are the cross-check of the virtual rows of {@link Channels_02_Throughput}, whose workers are virtual
 * threads of {@link ThreadPair}: the same quantity without that harness. (The JMH control thread stays a platform
 * thread; it only starts and stops iterations.)
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
 * (add {@code .handoffVirtual} to the pattern for the virtual-thread group only)
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
    public void makeChannel(BenchmarkParams params) {
        boolean wantVirtual = params.getBenchmark().endsWith("Virtual");
        if (Thread.currentThread().isVirtual() != wantVirtual) {
            throw new IllegalStateException(params.getBenchmark() + " must run on " + (wantVirtual ? "virtual" : "platform")
                    + " threads but runs on " + Thread.currentThread() + " (is -Djmh.executor=VIRTUAL passed to its fork?)");
        }
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

    @Benchmark
    @Group("handoffVirtual")
    @GroupThreads(1)
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
    public void sendVirtual() throws InterruptedException {
        ch.send(item);
    }

    @Benchmark
    @Group("handoffVirtual")
    @GroupThreads(1)
    @Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djmh.executor=VIRTUAL"})
    public Integer receiveVirtual() throws InterruptedException {
        return ch.receive();
    }
}
