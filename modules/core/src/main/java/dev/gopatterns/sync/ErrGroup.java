package dev.gopatterns.sync;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A group of tasks working on parts of one job, that is also a scope: it owns its tasks, reports the first error,
 * and never lets a task outlive it.
 *
 * <pre>{@code
 * try (ErrGroup g = ErrGroup.withContext(ctx)) {
 *     g.setLimit(8);
 *     for (String url : urls) {
 *         g.go(() -> fetch(g.context(), url));   // fails fast: the first error cancels g.context()
 *     }
 *     g.await();                                  // throws ExecutionException with the first error
 * }                                               // close: every task has ended, guaranteed
 * }</pre>
 *
 * <p>Go equivalent: {@code golang.org/x/sync/errgroup.Group}: {@link #go} is {@code Go}, {@link #tryGo} is
 * {@code TryGo}, {@link #setLimit} is {@code SetLimit}, {@link #await} is {@code Wait}, {@link #withContext} is
 * {@code WithContext}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Each task runs in its own virtual thread, under {@link Context#call}: when the group's context ends, tasks
 *       blocked in interruptible calls are interrupted.
 *   <li>{@link #await} waits for every task, then throws the first error if there was one. With
 *       {@link #withContext}, the first error cancels the context at once, so the other tasks stop early, and
 *       {@code await} cancels it when it returns, as in Go. A group may be used again after {@code await}.
 *   <li>{@link #close()} always waits for every task. Closing without a successful {@code await} (the owner is
 *       leaving early, by an exception or a return) first cancels the context and interrupts the tasks. So an
 *       exception in the owner cannot leak running tasks, and nothing outlives the {@code try} block.
 *   <li>Memory consistency effects: actions in a task happen-before the return of {@code await} or {@code close}.
 * </ul>
 *
 * <p>Where it differs from Go: {@code await} throws the first error wrapped in an {@link ExecutionException} (the
 * JDK's convention for a failed task) instead of returning it; {@code go} blocks interruptibly when the limit is
 * reached; the group is {@link AutoCloseable}. Compared with the JDK 25 preview {@code StructuredTaskScope}, see
 * docs/structured-concurrency.md.
 */
public final class ErrGroup implements AutoCloseable {

    /** A unit of work. Go: {@code func() error}. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final CancellableContext ctx;
    private final boolean cancelOnError;
    private final WaitGroup wg = new WaitGroup();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    /** Go's sem: a buffered channel of tokens, or null for no limit. Written only while no task is active. */
    private volatile Channel<Boolean> sem;
    private volatile boolean awaited;
    private volatile boolean closed;
    /** Set when close() cancels the tasks itself: failures caused by that cancellation are not errors. */
    private volatile boolean cancelledByClose;
    /** The failure await last reported; close does not report it again. Owner thread only. */
    private Throwable reported;

    private ErrGroup(Context parent, boolean cancelOnError) {
        this.ctx = Context.withCancel(parent);
        this.cancelOnError = cancelOnError;
    }

    /** A group whose tasks' failures do not cancel each other. Go: {@code var g errgroup.Group}. */
    public static ErrGroup create() {
        return new ErrGroup(Context.background(), false);
    }

    /**
     * A group whose {@link #context()} is derived from {@code parent} and is cancelled, with the error as its cause,
     * when the first task fails or when {@link #await} returns. Go: {@code errgroup.WithContext}.
     */
    public static ErrGroup withContext(Context parent) {
        return new ErrGroup(Objects.requireNonNull(parent, "parent"), true);
    }

    /** The group's context: pass it to the tasks so they can stop when the group gives up. */
    public Context context() {
        return ctx;
    }

    /**
     * Limits the number of active tasks to {@code n}; a negative {@code n} means no limit.
     *
     * @throws IllegalStateException if tasks are active ("errgroup: modify limit while N goroutines in the group
     *                               are still active")
     */
    public void setLimit(int n) {
        int active = wg.count();
        if (active != 0) {
            throw new IllegalStateException(
                    "errgroup: modify limit while " + active + " goroutines in the group are still active");
        }
        sem = n < 0 ? null : Channel.make(n);
    }

    /**
     * Starts {@code task} in a new virtual thread, first waiting for a free slot if a limit is set.
     * As in Go, the task is started even if the group's context has already ended (after a failure in a
     * {@link #withContext} group, or after {@link #await}): a task that should not start its work then must check
     * {@code context().throwIfDone()} first.
     *
     * @throws InterruptedException  if interrupted while waiting for a slot; the task is not started
     * @throws IllegalStateException if the group is closed
     */
    public void go(Task task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        requireOpen();
        Channel<Boolean> s = sem;
        if (s != null) {
            s.send(Boolean.TRUE);
        }
        start(task, s);
    }

    /**
     * Starts {@code task} only if a slot is free now. Go: {@code TryGo}.
     *
     * @return whether the task was started
     */
    public boolean tryGo(Task task) {
        Objects.requireNonNull(task, "task");
        requireOpen();
        Channel<Boolean> s = sem;
        if (s != null && !s.trySend(Boolean.TRUE)) {
            return false;
        }
        start(task, s);
        return true;
    }

    private void start(Task task, Channel<Boolean> s) {
        awaited = false; // a group may be reused after await, as in Go; these tasks must be awaited again
        wg.add(1);
        try {
            Thread.ofVirtual().name("errgroup-task").start(() -> {
                running.add(Thread.currentThread());
                try {
                    runUnderContext(task);
                } catch (Throwable t) {
                    fail(t);
                } finally {
                    running.remove(Thread.currentThread());
                    if (s != null) {
                        s.tryReceive(); // free the slot
                    }
                    wg.done();
                }
            });
        } catch (Throwable startFailed) {
            if (s != null) {
                s.tryReceive();
            }
            wg.done();
            throw startFailed;
        }
    }

    /**
     * Runs the task under {@link Context#call}, so the end of the context interrupts it; if the context has already
     * ended, runs it anyway, as Go does (the task sees the context cancelled): a task is never silently skipped.
     */
    private void runUnderContext(Task task) throws Exception {
        boolean[] started = {false};
        try {
            Context.call(ctx, () -> {
                started[0] = true;
                task.run();
                return null;
            });
        } catch (dev.gopatterns.context.ContextException e) {
            if (started[0]) {
                throw e;
            }
            task.run();
        }
    }

    private void fail(Throwable t) {
        if (cancelledByClose && (t instanceof dev.gopatterns.context.ContextException
                || t instanceof InterruptedException)) {
            return; // the owner left early and stopped us: not a task failure
        }
        if (firstError.compareAndSet(null, t) && cancelOnError) {
            ctx.cancel(t);
        }
    }

    /**
     * Waits for every task, cancels the context if the group was made by {@link #withContext}, and throws the first
     * error if any task failed. Go: {@code Wait}. The group may be used again afterwards, as in Go; the first error
     * stays the group's error.
     *
     * @throws ExecutionException   with the first task failure as its cause
     * @throws InterruptedException if interrupted while waiting; the tasks keep running, and {@link #close()}
     *                              will cancel and wait for them
     */
    public void await() throws InterruptedException, ExecutionException {
        wg.await();
        if (cancelOnError) {
            ctx.cancel(); // Go: "the first call to return ... or Wait returns, whichever occurs first"
        }
        awaited = true;
        Throwable t = firstError.get();
        if (t != null) {
            reported = t;
            throw new ExecutionException("errgroup task failed: " + t, t);
        }
    }

    /**
     * Ends the scope. Without a completed {@link #await}, it cancels the context and interrupts the tasks. In every
     * case it waits, uninterruptibly, until every task has ended, re-asserting an interrupt that arrived meanwhile;
     * then, if a task failed and {@code await} has not reported it, throws it.
     *
     * @throws ExecutionException a task failure not yet reported by {@link #await}
     */
    @Override
    public void close() throws ExecutionException {
        if (closed) {
            return;
        }
        closed = true;
        if (!awaited) {
            cancelledByClose = true;
            ctx.cancel();
            for (Thread t : running) {
                t.interrupt(); // tasks not started under the context's interrupt bridge yet
            }
        }
        boolean interrupted = false;
        for (;;) {
            try {
                wg.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        ctx.cancel();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = firstError.get();
        if (t != null && !awaited && t != reported) {
            throw new ExecutionException(
                    "errgroup task failed (reported at close: the group was not awaited after its last task): " + t, t);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("errgroup: go on a closed group");
        }
    }
}
