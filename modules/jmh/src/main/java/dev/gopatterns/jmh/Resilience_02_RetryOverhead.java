package dev.gopatterns.jmh;

import dev.gopatterns.context.Context;
import dev.gopatterns.resilience.Retry;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.internal.RetryImpl;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a retry policy adds to an operation: {@link Retry#call} against resilience4j's
 * {@code Retry.executeCheckedSupplier}, both allowing {@value #MAX_ATTEMPTS} attempts, on the common path (the
 * first attempt succeeds) and on one retry (the first attempt fails, the second succeeds).
 *
 * <pre>{@code
 * // Go (a hand-written loop, or cenkalti/backoff):  // here:
 * for attempt := 1; ; attempt++ {                    // Object v = retry.call(ctx, c -> body());
 *     if v, err = body(); err == nil || attempt == 2 { break }
 * }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per operation on one thread: {@code firstTime} (one attempt, which
 * returns) and {@code failOnce} (an attempt that throws {@link InjectedFailure}, preallocated and without a stack
 * trace, then one that returns). The wait between the attempts is made as close to zero as each library allows, so
 * the rows measure the machinery around the attempts, not a sleep:
 * <ul>
 *   <li>{@code bare}: a hand-written loop of at most {@value #MAX_ATTEMPTS} attempts, with no wait: the floor.
 *   <li>{@code gopatterns}: {@code Retry.backoff(2, Duration.ZERO, Duration.ZERO)}. A zero delay is not waited for at
 *       all ({@code Attempts.pause} only checks the context), so nothing parks.
 *   <li>{@code resilience4j}: {@code RetryConfig.custom().maxAttempts(2).waitDuration(Duration.ZERO)}, its public
 *       way to ask for no wait. It still calls {@code Thread.sleep(0)} between the attempts (its
 *       {@code RetryImpl.sleepFunction}), a call into the VM that gives up the processor.
 *   <li>{@code failOnceResilience4jNoSleep}: the same resilience4j policy with that sleep function replaced by a
 *       no-op ({@code RetryImpl.setSleepFunction}, public but in its {@code internal} package; set for the trial,
 *       in a fork of its own, and restored after), so its machinery alone can be read against gopatterns'.
 * </ul>
 *
 * <p><b>Why:</b> the first row is paid by every call made under a retry policy, failing or not; the second is
 * the price of the machinery on the path it exists for, once the backoff is taken out.
 *
 * <p><b>Checked:</b> after every iteration, the body must have run once per operation plus once per injected
 * failure, every operation must have returned the body's value, and resilience4j's own counters must agree (so
 * many operations succeeded with a retry, so many without).
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement). The 7 rows take about 2.5 minutes.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Resilience_02 -p retry=gopatterns,resilience4j}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Resilience_02_RetryOverhead {

    static final int MAX_ATTEMPTS = 2;
    /** What the body returns; the benchmark checks that it came back. */
    static final Object RESULT = "ok";

    /** One operation's body: fails once if asked to, then returns; counts everything. */
    static final class Flaky {
        private boolean failNext;
        private long operations;
        private long retriedOperations;
        private long attempts;
        private long failures;

        Object attempt() throws InjectedFailure {
            attempts++;
            if (failNext) {
                failNext = false;
                failures++;
                throw InjectedFailure.INSTANCE;
            }
            return RESULT;
        }

        Object run(Operation op, boolean failFirst) throws Throwable {
            operations++;
            retriedOperations += failFirst ? 1 : 0;
            failNext = failFirst;
            Object r = op.call();
            if (r != RESULT) {
                throw new AssertionError("the operation returned " + r + ", not what the body returned");
            }
            return r;
        }

        void check(io.github.resilience4j.retry.Retry resilience4j) {
            if (operations == 0 || attempts != operations + retriedOperations || failures != retriedOperations
                    || failNext) {
                throw new AssertionError(operations + " operations (" + retriedOperations + " failing once) made "
                        + attempts + " attempts with " + failures + " failures: attempts were lost or repeated");
            }
            if (resilience4j != null) {
                io.github.resilience4j.retry.Retry.Metrics m = resilience4j.getMetrics();
                if (m.getNumberOfSuccessfulCallsWithRetryAttempt() != retriedOperations
                        || m.getNumberOfSuccessfulCallsWithoutRetryAttempt() != operations - retriedOperations) {
                    throw new AssertionError("resilience4j counted " + m.getNumberOfSuccessfulCallsWithRetryAttempt()
                            + " successes after a retry and " + m.getNumberOfSuccessfulCallsWithoutRetryAttempt()
                            + " without, for " + operations + " operations of which " + retriedOperations
                            + " failed once");
                }
            }
        }
    }

    /** One operation through whichever policy the trial measures. */
    interface Operation {
        Object call() throws Throwable;
    }

    static Operation resilience4j(io.github.resilience4j.retry.Retry retry, Flaky body) {
        CheckedSupplier<Object> supplier = body::attempt;
        return () -> retry.executeCheckedSupplier(supplier);
    }

    static io.github.resilience4j.retry.Retry resilience4jRetry() {
        return io.github.resilience4j.retry.Retry.of("bench", RetryConfig.custom()
                .maxAttempts(MAX_ATTEMPTS).waitDuration(Duration.ZERO).build());
    }

    /** The policies, with their public zero-wait settings. */
    @State(Scope.Thread)
    public static class Policy {
        @Param({"bare", "gopatterns", "resilience4j"})
        public String retry;

        final Flaky body = new Flaky();
        private final Context ctx = Context.background();
        private io.github.resilience4j.retry.Retry resilience4j;
        Operation operation;

        @Setup(Level.Trial)
        public void make() {
            operation = switch (retry) {
                case "bare" -> () -> {
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return body.attempt();
                        } catch (Exception e) {
                            if (attempt == MAX_ATTEMPTS) {
                                throw e;
                            }
                        }
                    }
                };
                case "gopatterns" -> {
                    Retry policy = Retry.backoff(MAX_ATTEMPTS, Duration.ZERO, Duration.ZERO);
                    dev.gopatterns.resilience.Policy.Body<Object> attempt = c -> body.attempt();
                    yield () -> policy.call(ctx, attempt);
                }
                case "resilience4j" -> resilience4j(resilience4j = resilience4jRetry(), body);
                default -> throw new IllegalArgumentException(
                        "unknown retry \"" + retry + "\"; known: bare, gopatterns, resilience4j");
            };
        }

        @TearDown(Level.Iteration)
        public void check() {
            body.check(resilience4j);
        }
    }

    /** resilience4j's policy with its {@code Thread.sleep(0)} between attempts replaced by a no-op. */
    @State(Scope.Thread)
    public static class NoSleepPolicy {
        final Flaky body = new Flaky();
        private io.github.resilience4j.retry.Retry resilience4j;
        Operation operation;

        @Setup(Level.Trial)
        public void make() {
            RetryImpl.setSleepFunction(millis -> {
                if (millis != 0) {
                    throw new AssertionError("resilience4j asked to wait " + millis + " ms; the policy says 0");
                }
            });
            operation = resilience4j(resilience4j = resilience4jRetry(), body);
        }

        @TearDown(Level.Iteration)
        public void check() {
            body.check(resilience4j);
        }

        @TearDown(Level.Trial)
        public void restore() {
            RetryImpl.setSleepFunction(Thread::sleep); // resilience4j's default
        }
    }

    @Benchmark
    public Object firstTime(Policy p) throws Throwable {
        return p.body.run(p.operation, false);
    }

    @Benchmark
    public Object failOnce(Policy p) throws Throwable {
        return p.body.run(p.operation, true);
    }

    @Benchmark
    public Object failOnceResilience4jNoSleep(NoSleepPolicy p) throws Throwable {
        return p.body.run(p.operation, true);
    }
}
