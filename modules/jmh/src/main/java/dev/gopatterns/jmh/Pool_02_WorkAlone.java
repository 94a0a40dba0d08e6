package dev.gopatterns.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The calibration of {@link Pool_01_PerJobOverhead}'s {@code work=1us}: one job's work alone, on the benchmark
 * thread, with no pool. A {@code work=1us} row minus this, times the workers, is the pool's overhead per job.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Pool_02}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class Pool_02_WorkAlone {

    @Benchmark
    public void work() {
        Blackhole.consumeCPU(Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS);
    }
}
