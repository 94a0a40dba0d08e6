package dev.gopatterns.jmh;

import dev.gopatterns.rate.Limiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of asking a rate limiter "may I, now?": {@link Limiter#allow()}, which never blocks.
 *
 * <pre>{@code
 * // Go (x/time/rate):                     // here:
 * if !limiter.Allow() { return errBusy }  // if (!limiter.allow()) throw busy();
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per {@code allow()} call, on one thread ({@code allow}) and on each of two
 * threads sharing the limiter ({@code allowContended}, {@code @Threads(2)}: per thread, so the two together make
 * about two calls in that time). Three limiters, chosen so that every call of a run takes the same path:
 * <ul>
 *   <li>{@code inf}: {@code new Limiter(Limiter.INF, 0)}; every call is allowed. The lock is still taken, as in Go.
 *   <li>{@code huge-burst}: 10<sup>9</sup> events per second, burst {@code Integer.MAX_VALUE}; every call is allowed,
 *       after the full token arithmetic: read the clock, add the tokens accrued since the last call, take one.
 *   <li>{@code exhausted}: one event per day, burst 1, the one token taken in set-up; every call is refused (the
 *       arithmetic is done, nothing is written).
 * </ul>
 * Each call reads the clock ({@code System.nanoTime()}: from about 20 ns to a microsecond, depending on the
 * machine's clock source), takes the limiter's lock, and allocates a {@code Reservation} that escape analysis may
 * or may not remove; {@code -prof gc} tells.
 * After each iteration one more call must return what the limiter's configuration says, or the run fails.
 *
 * <p><b>Why:</b> {@code allow()} sits in front of every request of a rate-limited service, so its cost is paid per
 * request, and under load by many threads at once: the contended rows show what the single lock costs.
 *
 * <p>No baseline: the usual Java one, Guava's {@code RateLimiter}, is not a dependency of this project.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_07 -p limiter=huge-burst -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class Sync_07_LimiterAllow {

    @Param({"inf", "huge-burst", "exhausted"})
    public String limiter;

    private Limiter lim;
    private boolean expected;

    @Setup(Level.Trial)
    public void make() {
        switch (limiter) {
            case "inf" -> {
                lim = new Limiter(Limiter.INF, 0);
                expected = true;
            }
            case "huge-burst" -> {
                lim = new Limiter(1e9, Integer.MAX_VALUE); // refills faster than any thread can call
                expected = true;
            }
            case "exhausted" -> {
                lim = new Limiter(Limiter.every(Duration.ofDays(1)), 1);
                if (!lim.allow()) {
                    throw new AssertionError("a new limiter with burst 1 refused its first event");
                }
                expected = false;
            }
            default -> throw new IllegalArgumentException(
                    "unknown limiter \"" + limiter + "\"; known: inf, huge-burst, exhausted");
        }
    }

    @Benchmark
    @Threads(1)
    public boolean allow() {
        return lim.allow();
    }

    @Benchmark
    @Threads(2)
    public boolean allowContended() {
        return lim.allow();
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (lim.allow() != expected) {
            throw new AssertionError("limiter \"" + limiter + "\" no longer returns " + expected
                    + " from allow(): the benchmark measured a different path than it claims");
        }
    }
}
