package dev.gopatterns.jmh;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cancelling a parent with {@value #CHILDREN} children: one cancel that must reach every child before it returns.
 *
 * <pre>{@code
 * // Go:
 * parent, cancel := context.WithCancel(context.Background())
 * for i := range children { children[i], _ = context.WithCancel(parent) }
 * cancel()   // every child is done when this returns
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds <em>per child</em> ({@code @OperationsPerInvocation}) to build a tree of
 * one parent and {@value #CHILDREN} children and end it, three ways, so that the cost of the cancel can be read
 * off by difference:
 * <ul>
 *   <li>{@code build}: create the parent and the children (each registers with the parent) and drop them; nothing
 *       is cancelled, which is allowed because nothing holds a timer or a thread.
 *   <li>{@code buildAndCancelParent}: the same, then cancel the parent, which cancels every child in turn (outside
 *       the parent's lock, each under its own).
 *   <li>{@code buildAndCancelEachChild}: the same, but each child is cancelled on its own first, as
 *       {@code defer cancel()} does when the work ends normally: each child detaches from the parent's set, and
 *       the parent's cancel then finds no children.
 *   <li>{@code completableFutureTree}, the JDK baseline: a {@link CompletableFuture} with {@value #CHILDREN}
 *       dependents ({@code thenApply}), cancelled: every dependent completes exceptionally.
 * </ul>
 * {@code buildAndCancelParent - build} is the cost per child of a cancel that fans out; compare it with
 * {@link Sync_01_ContextCancel#withCancelOfCancellable}, the cost of creating and cancelling one child on its own.
 *
 * <p><b>Why:</b> a request's context typically has a child per outgoing call; when the client goes away, one cancel
 * ends them all. Its cost grows with the number of children, and it is paid by the thread that cancels.
 *
 * <p><b>How:</b> one JMH thread builds a fresh tree per invocation (no {@code Level.Invocation} set-up, whose own
 * cost would swamp a few microseconds); after a cancel, the first and last children are checked, so a broken
 * propagation fails the run.
 *
 * <p><b>Read it with:</b> the Go twin {@code BenchmarkContextCancelTree} in {@code modules/jmh/go/sync/sync_test.go}.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Sync_02}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class Sync_02_ContextCancelTree {

    static final int CHILDREN = 100;

    private final CancellableContext[] children = new CancellableContext[CHILDREN];
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Object>[] dependents = new CompletableFuture[CHILDREN];

    private CancellableContext buildTree() {
        CancellableContext parent = Context.withCancel(Context.background());
        for (int i = 0; i < CHILDREN; i++) {
            children[i] = Context.withCancel(parent);
        }
        return parent;
    }

    private void requireChildrenDone(String how) {
        if (!children[0].isDone() || !children[CHILDREN - 1].isDone()) {
            throw new AssertionError("a child is still live after " + how);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    public CancellableContext build() {
        return buildTree();
    }

    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    public CancellableContext buildAndCancelParent() {
        CancellableContext parent = buildTree();
        parent.cancel();
        requireChildrenDone("the parent was cancelled");
        return parent;
    }

    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    public CancellableContext buildAndCancelEachChild() {
        CancellableContext parent = buildTree();
        for (CancellableContext child : children) {
            child.cancel();
        }
        parent.cancel();
        requireChildrenDone("each was cancelled");
        return parent;
    }

    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    public CompletableFuture<Object> completableFutureTree() {
        CompletableFuture<Object> parent = new CompletableFuture<>();
        for (int i = 0; i < CHILDREN; i++) {
            dependents[i] = parent.thenApply(x -> x);
        }
        parent.cancel(false);
        if (!dependents[0].isCompletedExceptionally() || !dependents[CHILDREN - 1].isCompletedExceptionally()) {
            throw new AssertionError("a dependent future is not completed after its source was cancelled");
        }
        return parent;
    }
}
