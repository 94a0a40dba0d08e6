package dev.gopatterns.jmh;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The life of one cancellation token: create a context, cancel it, on one thread, nobody waiting.
 *
 * <pre>{@code
 * // Go:                                                // here:
 * ctx, cancel := context.WithCancel(parent)             // CancellableContext ctx = Context.withCancel(parent);
 * cancel()                                              // ctx.cancel();
 * ctx, cancel := context.WithTimeout(parent, time.Hour) // Context.withTimeout(parent, Duration.ofHours(1))
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per create-and-cancel, in four variants and three baselines:
 * <ul>
 *   <li>{@code withCancelOfBackground}: the parent can never be cancelled, so the child registers nowhere; the cost
 *       is the context itself (its lock, its children set, the exception that records why it ended).
 *   <li>{@code withCancelOfCancellable}: the parent is one long-lived cancellable context, so the child adds itself
 *       to the parent's children set under the parent's lock, and its cancel removes it again (what keeps a
 *       long-lived parent from accumulating dead children).
 *   <li>{@code withTimeoutOfBackground}: {@code withTimeout} on the system clock, one hour: it also schedules a
 *       task on the clock's shared timer thread and cancels it, which removes it from the timer's queue.
 *   <li>{@code isDoneOfLive}: {@code isDone()} of a live context, what a cancellable loop pays per check; it is the
 *       one call on the hot path of the work itself, not of its set-up.
 *   <li>baselines for scale: {@code atomicBoolean} (a new flag, set; the cheapest token there is),
 *       {@code completableFutureComplete} (a new {@link CompletableFuture}, completed) and
 *       {@code completableFutureCancel} (the same, cancelled: the JDK's own cancellation token, which, like a
 *       context, records the cancellation as a new exception).
 * </ul>
 *
 * <p><b>Why:</b> Go code creates a context per request, per call with a timeout, per fan-out; if that costs
 * microseconds, code that wraps every small call in {@code withTimeout} pays more for the token than for the work.
 * The cancel of a child of a cancellable parent is the common case ({@code defer cancel()} under a request's
 * context), so its row matters more than the background one.
 *
 * <p><b>How:</b> one JMH thread; every created object is returned to JMH's blackhole, so nothing is optimised
 * away. Everything is garbage at once; {@code -prof gc} shows the allocation per operation.
 *
 * <p><b>Read it with:</b> {@link Sync_02_ContextCancelTree} (cancelling many children at once), and the Go twin
 * {@code BenchmarkContextCancel} in {@code modules/jmh/go/sync/sync_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_01 -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Sync_01_ContextCancel {

    static final Duration TIMEOUT = Duration.ofHours(1); // never fires during a benchmark
    static final Object VALUE = new Object();

    /** The long-lived parent of {@link #withCancelOfCancellable}; cancelled only at the end of the trial. */
    private CancellableContext parent;
    /** A live context for {@link #isDoneOfLive}. */
    private CancellableContext live;

    @Setup(Level.Trial)
    public void start() {
        parent = Context.withCancel(Context.background());
        live = Context.withCancel(parent);
    }

    @Benchmark
    public AtomicBoolean atomicBoolean() {
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelled.set(true);
        return cancelled;
    }

    @Benchmark
    public CompletableFuture<Object> completableFutureComplete() {
        CompletableFuture<Object> f = new CompletableFuture<>();
        f.complete(VALUE);
        return f;
    }

    @Benchmark
    public CompletableFuture<Object> completableFutureCancel() {
        CompletableFuture<Object> f = new CompletableFuture<>();
        f.cancel(false);
        return f;
    }

    @Benchmark
    public CancellableContext withCancelOfBackground() {
        CancellableContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        return ctx;
    }

    @Benchmark
    public CancellableContext withCancelOfCancellable() {
        CancellableContext ctx = Context.withCancel(parent);
        ctx.cancel();
        return ctx;
    }

    @Benchmark
    public CancellableContext withTimeoutOfBackground() {
        CancellableContext ctx = Context.withTimeout(Context.background(), TIMEOUT);
        ctx.cancel();
        return ctx;
    }

    @Benchmark
    public boolean isDoneOfLive() {
        return live.isDone();
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (parent != null) { // null if start() failed
            if (live.isDone() || parent.isDone()) {
                throw new AssertionError("a context was cancelled that nothing cancelled");
            }
            parent.cancel();
            if (!live.isDone()) {
                throw new AssertionError("cancelling the parent did not cancel its child");
            }
        }
    }
}
