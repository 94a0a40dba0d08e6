package dev.gopatterns.jmh;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.ErrGroup;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * The scope of one invocation of a pipeline benchmark: an {@link ErrGroup} whose context is the pipeline's
 * cancellation token and ends by itself after {@link #BATCH_TIMEOUT}. The goroutines of a batch are the group's
 * tasks; {@link #await()} waits for all of them and throws the first failure, and {@link #close()} never returns
 * before every task has ended, so nothing outlives the invocation.
 *
 * <p>Why a deadline: a lost wake-up or a deadlock in the code under test would otherwise hang the JMH fork (and CI)
 * until JMH's own ten-minute timeout. At the deadline the context ends, every task is interrupted and every stage of
 * {@code dev.gopatterns.pipeline} given the context returns, and {@code await} fails naming the rule. The timer is
 * one scheduled task per invocation (microseconds, against a batch of thousands of items), cancelled at close.
 */
final class BatchScope implements AutoCloseable {

    static final Duration BATCH_TIMEOUT = Duration.ofSeconds(60);

    /** The deadline's cause; one instance, made once (a batch that times out fails the benchmark). */
    static final Throwable TIMED_OUT = new IllegalStateException("a batch did not finish within "
            + BATCH_TIMEOUT + " (lost wake-up or deadlock in the code under test?)");

    private final CancellableContext deadline;
    private final ErrGroup group;

    /** A scope whose deadline is {@link #BATCH_TIMEOUT} away on the system clock. */
    BatchScope() {
        this(Context.background());
    }

    /** A scope whose deadline is {@link #BATCH_TIMEOUT} away on {@code root}'s clock (a fake clock in tests). */
    BatchScope(Context root) {
        deadline = Context.withTimeoutCause(root, BATCH_TIMEOUT, TIMED_OUT);
        group = ErrGroup.withContext(deadline);
    }

    /** The batch's cancellation token: ends when a task fails, when {@link #await()} returns, or at the deadline. */
    Context context() {
        return group.context();
    }

    /** Starts a goroutine of the batch (a virtual thread). */
    void go(ErrGroup.Task task) throws InterruptedException {
        group.go(task);
    }

    /**
     * Waits for every goroutine; their actions happen-before this returns.
     *
     * @throws ExecutionException with the first failure (at the deadline, the deadline's cause is attached)
     */
    void await() throws InterruptedException, ExecutionException {
        try {
            group.await();
        } catch (ExecutionException e) {
            if (deadline.isDone()) {
                deadline.cause().ifPresent(e::addSuppressed);
            }
            throw e;
        }
    }

    @Override
    public void close() throws ExecutionException {
        try {
            group.close();
        } finally {
            deadline.cancel();
        }
    }
}
