package dev.gopatterns.jmh;

import dev.gopatterns.context.Context;
import dev.gopatterns.resilience.CircuitBreaker;
import dev.gopatterns.resilience.Policy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a closed circuit breaker adds to every call: a trivial body run bare, through
 * {@link CircuitBreaker#call}, and through resilience4j's {@code CircuitBreaker}, both configured alike (a count
 * window of the last {@value #WINDOW} calls, judged once it holds {@value #WINDOW}, failure-rate threshold 50%).
 *
 * <pre>{@code
 * // Go (sony/gobreaker):                          // here:
 * v, err := cb.Execute(func() (any, error) {      // Object v = breaker.call(ctx, c -> body());
 *     return body()
 * })
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per call, on one thread ({@code call}) and on each of two threads sharing
 * the breaker ({@code callContended}, {@code @Threads(2)}: per thread, so the two together make about two calls in
 * that time). The body returns a constant, which the benchmark checks and hands to the {@link Blackhole}; with
 * {@code failurePercent=10} every tenth call of a thread throws {@link InjectedFailure} (preallocated, no stack
 * trace), which the benchmark catches. 10% stays under the threshold, so the breaker stays CLOSED and every call
 * takes the permitted path: permission, the body, the outcome into the window.
 * <ul>
 *   <li>{@code bare}: the body alone, through the same lambda the others call.
 *   <li>{@code gopatterns}: {@code breaker.call(ctx, body)}: a lock to take the permit (reading the clock), the
 *       body, the lock again to count the outcome (reading the clock again, for the slow-call check).
 *   <li>{@code resilience4j}: {@code CircuitBreaker.decorateCheckedSupplier(breaker, supplier)}, decorated once in
 *       set-up and called through: a state read to acquire permission, {@code System.nanoTime()} before and after,
 *       the outcome into its (synchronized, its default) count window.
 * </ul>
 *
 * <p><b>Why:</b> a breaker sits in front of every call to a dependency, so this is paid per request, and by many
 * threads at once: the contended rows show what each breaker's shared state costs.
 *
 * <p><b>Checked:</b> after every iteration, each thread's body must have run once per call and its failures must
 * have come back out as the injected exception; the breaker must still be CLOSED (a refused call would also throw
 * {@code CallNotPermittedException} and fail the run) and its window must hold {@value #WINDOW} outcomes, failures
 * among them exactly when failures are injected, so a breaker that stopped counting fails the run.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement); the body is tiny and is compiled within the first
 * warm-up second. The 12 rows take about 4 minutes.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Resilience_01 -p failurePercent=0}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Resilience_01_BreakerOverhead {

    static final int WINDOW = 100;
    /** What the body returns; the benchmark checks that it came back. */
    static final Object RESULT = "ok";

    /** The breaker every thread calls through, made for each trial. */
    @State(Scope.Benchmark)
    public static class Breaker {
        @Param({"bare", "gopatterns", "resilience4j"})
        public String breaker;

        /** The share of calls that throw: 0 or 10 (every tenth call of each thread). */
        @Param({"0", "10"})
        public int failurePercent;

        CircuitBreaker gopatterns;
        io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;

        @Setup(Level.Trial)
        public void make() {
            if (failurePercent != 0 && failurePercent != 10) {
                throw new IllegalArgumentException("failurePercent must be 0 or 10 (under the 50% threshold), was "
                        + failurePercent);
            }
            switch (breaker) {
                case "bare" -> { }
                case "gopatterns" -> gopatterns = CircuitBreaker.builder("bench")
                        .slidingWindow(CircuitBreaker.Window.count(WINDOW)).minimumCalls(WINDOW)
                        .failureRateThreshold(50).build();
                case "resilience4j" -> resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bench",
                        CircuitBreakerConfig.custom()
                                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .slidingWindowSize(WINDOW).minimumNumberOfCalls(WINDOW)
                                .failureRateThreshold(50).build());
                default -> throw new IllegalArgumentException(
                        "unknown breaker \"" + breaker + "\"; known: bare, gopatterns, resilience4j");
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            String state;
            int calls;
            int failed;
            switch (breaker) {
                case "gopatterns" -> {
                    CircuitBreaker.Metrics m = gopatterns.metrics();
                    state = m.state().name();
                    calls = m.calls();
                    failed = m.failedCalls();
                }
                case "resilience4j" -> {
                    state = resilience4j.getState().name();
                    calls = resilience4j.getMetrics().getNumberOfBufferedCalls();
                    failed = resilience4j.getMetrics().getNumberOfFailedCalls();
                }
                default -> {
                    return;
                }
            }
            if (!state.equals("CLOSED") || calls != WINDOW || (failed > 0) != (failurePercent > 0)) {
                throw new AssertionError(breaker + " breaker is " + state + " with " + calls + " calls, " + failed
                        + " failed, in its window; expected CLOSED with " + WINDOW + " calls, "
                        + (failurePercent > 0 ? "some" : "none") + " failed: it did not count what it was given");
            }
        }
    }

    /** One benchmark thread: its body, its way through the breaker, and its counts. */
    @State(Scope.Thread)
    public static class Caller {
        /** One call, through whichever breaker the trial measures. */
        interface Call {
            Object call() throws Throwable;
        }

        private final Context ctx = Context.background();
        private int failEvery; // 0: never
        private long invocations;
        private long bodyCalls;
        private long failures;
        private Call call;

        @Setup(Level.Trial)
        public void make(Breaker b) {
            failEvery = b.failurePercent == 0 ? 0 : 100 / b.failurePercent;
            Policy.Body<Object> body = c -> step();
            call = switch (b.breaker) {
                case "bare" -> () -> body.call(ctx);
                case "gopatterns" -> {
                    CircuitBreaker breaker = b.gopatterns;
                    yield () -> breaker.call(ctx, body);
                }
                case "resilience4j" -> {
                    CheckedSupplier<Object> decorated = io.github.resilience4j.circuitbreaker.CircuitBreaker
                            .decorateCheckedSupplier(b.resilience4j, () -> body.call(ctx));
                    yield decorated::get;
                }
                default -> throw new IllegalStateException("unknown breaker " + b.breaker);
            };
        }

        /** The body: counts itself, fails every {@code failEvery}-th time. */
        private Object step() throws InjectedFailure {
            long n = ++bodyCalls;
            if (failEvery != 0 && n % failEvery == 0) {
                throw InjectedFailure.INSTANCE;
            }
            return RESULT;
        }

        Object callOnce() throws Throwable {
            invocations++;
            try {
                Object r = call.call();
                if (r != RESULT) {
                    throw new AssertionError("the call returned " + r + ", not what the body returned");
                }
                return r;
            } catch (InjectedFailure e) {
                failures++;
                return e;
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            long expectedFailures = failEvery == 0 ? 0 : bodyCalls / failEvery;
            if (invocations == 0 || bodyCalls != invocations || failures != expectedFailures) {
                throw new AssertionError(invocations + " calls ran the body " + bodyCalls + " times and threw "
                        + failures + " injected failures (expected " + expectedFailures + "): calls were lost");
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void call(Caller c, Blackhole bh) throws Throwable {
        bh.consume(c.callOnce());
    }

    @Benchmark
    @Threads(2)
    public void callContended(Caller c, Blackhole bh) throws Throwable {
        bh.consume(c.callOnce());
    }
}
