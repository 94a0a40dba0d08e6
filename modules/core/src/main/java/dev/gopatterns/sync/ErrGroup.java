package dev.gopatterns.sync;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.context.InterruptScope;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

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
 *   <li>Each task runs in its own virtual thread inside the group's {@link InterruptScope}: when the group's context
 *       ends, every running task is interrupted, once, so tasks blocked in interruptible calls return. A task that
 *       starts after the context ended (after a failure in a {@link #withContext} group, or after {@link #await})
 *       still runs, as in Go, but with its interrupt already set: its first blocking call throws. An interrupt the
 *       context caused is reported as the context's error, not as an {@code InterruptedException}.
 *   <li>{@link #await} waits for every task, then throws the first error if there was one. With
 *       {@link #withContext}, the first error cancels the context at once, so the other tasks stop early, and
 *       {@code await} cancels it when it returns, as in Go. A group may be used again after {@code await}.
 *   <li>{@link #close()} always waits for every task. Closing without a successful {@code await} (the owner is
 *       leaving early, by an exception or a return) first cancels the context, which interrupts every task, in
 *       whatever state it is: running, blocked, or not yet started by the scheduler. So an exception in the owner
 *       cannot leak running tasks, and nothing outlives the {@code try} block. Failures caused by that
 *       cancellation are not reported; if the context had already ended before {@code close} (its parent was
 *       cancelled), the tasks' context failures are the group's failure, and {@code close} reports the first.
 *   <li>{@link #go} and {@link #tryGo} may be called from any thread, the group's own tasks included. Each call
 *       either starts its task, which {@code close} then waits for, or throws "errgroup: go on a closed group":
 *       a call racing {@code close} is never half-accepted.
 *   <li>Memory consistency effects: actions in a task happen-before the return of {@code await} or {@code close}.
 * </ul>
 *
 * <p>Where it differs from Go: {@code await} throws the first error wrapped in an {@link ExecutionException} (the
 * JDK's convention for a failed task) instead of returning it; {@code go} blocks interruptibly when the limit is
 * reached; the group is {@link AutoCloseable}. Compared with the JDK 25 preview {@code StructuredTaskScope}, see
 * docs/structured-concurrency.md.
 */
public final class ErrGroup implements AutoCloseable {
    /*
     * How nothing escapes close(). `lock` makes "check closed, then count the task" one step, so a go() racing
     * close() from another thread is either counted before close waits (and waited for) or sees closed and throws.
     * Interrupts come from one InterruptScope on the group's context rather than from a hook per task: a task's
     * thread enters the scope first thing, and the scope interrupts it whether the context ends before, while or
     * after it enters. (The old design swept a set of running threads at close and ran a task that found the
     * context already done without any interrupt: a thread that started after the sweep blocked forever, and close
     * with it.)
     */

    /** A unit of work. Go: {@code func() error}. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final CancellableContext ctx;
    private final InterruptScope interrupts;
    private final boolean cancelOnError;
    private final WaitGroup wg = new WaitGroup();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Go's sem: a buffered channel of tokens, or null for no limit. Written only while no task is active. */
    private volatile Channel<Boolean> sem;
    /** Guarded by lock: whether every task started so far has been awaited. */
    private boolean awaited;
    /** Guarded by lock (read without it for a fast first check). */
    private volatile boolean closed;
    /**
     * Set when close() is the one that cancels the group's context: failures caused by that cancellation are not
     * errors. If the context had already ended (the parent, a first failure), close leaves it unset.
     */
    private volatile boolean cancelledByClose;
    /** The failure await last reported; close does not report it again. Owner thread only. */
    private Throwable reported;

    private ErrGroup(Context parent, boolean cancelOnError) {
        this.ctx = Context.withCancel(parent);
        this.interrupts = InterruptScope.of(ctx);
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
     * {@link #withContext} group, or after {@link #await}); it then runs interrupted, and a task that should not
     * start its work at all must check {@code context().throwIfDone()} first.
     *
     * @throws InterruptedException  if interrupted while waiting for a slot; the task is not started
     * @throws IllegalStateException if the group is closed, or is closed while this call waits for a slot
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
     * @throws IllegalStateException if the group is closed
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

    /** Counts the task and starts its thread; {@code s} holds the task's slot token, if limited. */
    private void start(Task task, Channel<Boolean> s) {
        lock.lock();
        try {
            if (closed) {
                if (s != null) {
                    s.tryReceive();
                }
                throw closedError();
            }
            awaited = false; // a group may be reused after await, as in Go; this task must be awaited again
            wg.add(1);
        } finally {
            lock.unlock();
        }
        try {
            Thread.ofVirtual().name("errgroup-task").start(() -> run(task, s));
        } catch (Throwable startFailed) {
            if (s != null) {
                s.tryReceive();
            }
            wg.done();
            throw startFailed;
        }
    }

    /** A task's thread: inside the interrupt scope for the whole task, so no cancellation can miss it. */
    private void run(Task task, Channel<Boolean> s) {
        try (InterruptScope.Entry entry = interrupts.enter()) {
            try {
                task.run();
            } catch (Throwable t) {
                fail(entry.translate(t));
            }
        } finally {
            if (s != null) {
                s.tryReceive(); // free the slot
            }
            wg.done();
        }
    }

    private void fail(Throwable t) {
        if (cancelledByClose && (t instanceof ContextException || t instanceof InterruptedException)) {
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
        lock.lock();
        try {
            awaited = wg.count() == 0; // false if another thread started a task since wg.await returned
        } finally {
            lock.unlock();
        }
        Throwable t = firstError.get();
        if (t != null) {
            reported = t;
            throw new ExecutionException("errgroup task failed: " + t, t);
        }
    }

    /**
     * Ends the scope. Without a completed {@link #await}, it cancels the context, which interrupts every task. In
     * every case it waits, uninterruptibly, until every task has ended, re-asserting an interrupt that arrived
     * meanwhile; then, if a task failed and {@code await} has not reported it, throws it. Idempotent; after it,
     * {@link #go} and {@link #tryGo} throw.
     *
     * @throws ExecutionException a task failure not yet reported by {@link #await}
     */
    @Override
    public void close() throws ExecutionException {
        boolean wasAwaited;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wasAwaited = awaited;
        } finally {
            lock.unlock();
        }
        if (!wasAwaited) {
            // Failures caused by a cancellation that close makes are not task failures; a cancellation that came
            // before (the parent's, or a first failure's) is the group's business and is reported as usual.
            cancelledByClose = !ctx.isDone();
            ctx.cancel(); // the interrupt scope interrupts every task inside it, and every task that enters later
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
        interrupts.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = firstError.get();
        if (t != null && !wasAwaited && t != reported) {
            throw new ExecutionException(
                    "errgroup task failed (reported at close: the group was not awaited after its last task): " + t, t);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("errgroup: go on a closed group");
    }
}
