package dev.gopatterns.jmh;

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
 * Ping-pong: the round-trip latency of one value bounced between two threads over two channels.
 *
 * <pre>{@code
 * // Go:                                      // here, per round trip:
 * go func() { for v := range ping {           //   thread 1: ping.send(ball); pong.receive()
 *     pong <- v } }()                         //   thread 2: pong.send(ping.receive())
 * ping <- ball; <-pong
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per round trip, that is two hand-offs, each of which finds the other
 * thread already waiting (or about to wait). Nothing ever queues up, so the buffer is irrelevant and a buffered
 * channel behaves like an unbuffered one; what this measures is the cost of <em>blocking and being woken</em>:
 * park/unpark for platform threads, an unmount and a re-mount on a carrier for virtual threads, plus whatever
 * spinning an implementation does before it parks.
 *
 * <p><b>Why:</b> this is the latency of a request/response over channels, Go's most common idiom after the
 * pipeline, and the cost that dominates any fine-grained channel program. It shows most clearly what virtual
 * threads buy (a virtual-thread switch is far cheaper than an OS context switch) and what spinning buys (an
 * implementation that spins briefly may catch the reply before parking at all).
 *
 * <p><b>How:</b> two long-lived worker threads per trial ({@link ThreadPair}), platform or virtual as
 * {@code threads} says; each benchmark invocation runs {@value #ROUND_TRIPS} round trips and JMH divides by that
 * ({@code @OperationsPerInvocation}). The harness's own cost, about 35 us per invocation on platform threads and
 * 10 us on virtual ones (measured on 2 cores), is then under 0.5% of even the fastest row.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkPingPong} in {@code modules/jmh/go/chan_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Channels_01 -p threads=virtual}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Channels_01_PingPong {

    static final int ROUND_TRIPS = 10_000;

    /** {@code name:capacity}, see {@link Conduit}: unbuffered rendezvous first, then buffered. */
    @Param({
        "gopatterns:0", "SynchronousQueue:0", "LinkedTransferQueue:0", "jox:0",
        "gopatterns:1024", "ArrayBlockingQueue:1024", "jox:1024"
    })
    public String channel;

    @Param({"platform", "virtual"})
    public String threads;

    private ThreadPair pair;

    @Setup(Level.Trial)
    public void start() {
        Conduit<Integer> ping = Conduit.make(channel);
        Conduit<Integer> pong = Conduit.make(channel);
        Integer ball = 42;
        pair = new ThreadPair(threads, "ping-pong",
                () -> {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        ping.send(ball);
                        if (pong.receive() != ball) {
                            throw new AssertionError("ping-pong returned a different value than was sent");
                        }
                    }
                },
                () -> {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        pong.send(ping.receive());
                    }
                });
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void roundTrip() throws Exception {
        pair.runBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (pair != null) { // null if start() failed
            pair.close();
        }
    }
}
