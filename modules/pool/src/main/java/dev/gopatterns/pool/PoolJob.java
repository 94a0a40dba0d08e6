package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A job of a {@link Pool}: its task, its state, its result, and its done channel. */
final class PoolJob<T> implements Job<T> {
    /*
     * States: PENDING (accepted or about to be, not started) -> RUNNING -> DONE, or PENDING -> CANCELLED -> DONE.
     * A CAS out of PENDING decides between a worker starting the job and cancel() ending it unstarted, so a job
     * never both runs and is handed back. The result is written once, then published by the volatile `result`;
     * the done channel is created on first demand and closed after the result is set, under the job's monitor,
     * so a waiter that gets the channel either finds it closed or is woken by the close.
     */
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;
    private static final int DONE = 3;
    /** {@link #state}'s handle: a CAS on a field of the job, not on an AtomicInteger beside it (16 bytes a job). */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PoolJob.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Shared by every job that was already done when asked: a closed channel stays closed. */
    private static final ReceiveChannel<Void> CLOSED = closedChannel();

    final Task<T> task;
    final int priority;
    final Set<String> requires;
    /** The run-time limit in nanoseconds, or <= 0 for none. */
    final long timeoutNanos;
    private final Pool pool;
    /** PENDING, RUNNING, CANCELLED or DONE; changed through {@link #STATE}. */
    private volatile int state; // PENDING
    /** Set by the queue when it accepts the job, under the queue's lock; published by that lock. */
    long id;
    /** Set by the queue, under its lock, when it fires this job's submit case only to reject it. */
    boolean rejected;
    /** The pool's clock when the job was accepted, and when a worker took it; written under the queue's lock. */
    long acceptedAt;
    long startedAt;
    /** Set by its worker if the rate limiter failed while the job waited for a token; the job then fails unrun. */
    Throwable tokenFailure;
    /**
     * With per-worker queues ({@link PartitionedBacklog}): the index of the worker chosen for the job, -1 until
     * chosen; written and read under the queue's lock.
     */
    int queueIndex = -1;
    /** The job's context while it runs; written before the CAS to RUNNING, so cancel() sees it. */
    private volatile CancellableContext ctx;
    /** The worker running the job; written before the CAS to RUNNING. */
    private volatile Worker worker;
    private volatile Result<T> result;
    /** Guarded by this. */
    private Channel<Void> done;
    /** Guarded by this: run once, by the completing thread, after the result is set. */
    private Consumer<? super Result<T>> whenComplete;

    /** What was submitted, as it was (before the retry and the policy were wrapped around it): for a dead letter. */
    final JobOptions options;
    final Task<T> submitted;
    /**
     * Every attempt's failure, oldest first, once a retried job gave up: written and read by the worker running the
     * job (in its retry's event listener, then when it counts the result); null if it was not retried.
     */
    List<Throwable> history;

    PoolJob(Pool pool, Task<T> task, JobOptions options, Task<T> submitted, long timeoutNanos) {
        this.pool = pool;
        this.task = task;
        this.options = options;
        this.submitted = submitted;
        this.priority = options.priority();
        this.requires = options.requirements();
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public long id() {
        return id;
    }

    /**
     * Worker: moves PENDING -> RUNNING with a fresh cancellable child of {@code parent} (the pool's values, not its
     * cancellation: the pool cancels running jobs itself); null if the job was cancelled while queued.
     */
    CancellableContext tryStart(Context parent, Worker w) {
        CancellableContext c = timeoutNanos > 0
                ? Context.withDeadline(parent, Clock.deadlineAfter(parent.clock().nanoTime(), timeoutNanos))
                : Context.withCancel(parent);
        ctx = c;
        worker = w;
        if (STATE.compareAndSet(this, PENDING, RUNNING)) {
            return c;
        }
        c.cancel();
        return null;
    }

    /** Ends an unstarted job as cancelled; false if it has started or ended. The caller completes it. */
    boolean tryCancelUnstarted() {
        return STATE.compareAndSet(this, PENDING, CANCELLED);
    }

    @Override
    public boolean cancel() {
        if (tryCancelUnstarted()) {
            pool.cancelledWhileQueued(this);
            return true;
        }
        return state == RUNNING && cancelRunning();
    }

    /** Cancels the running job's context and interrupts its worker, if it still runs this job. */
    boolean cancelRunning() {
        CancellableContext c = ctx;
        if (c == null || c.isDone()) {
            return false;
        }
        c.cancel();
        Worker w = worker;
        if (w != null) {
            w.interrupt(this);
        }
        return true;
    }

    /** Sets the result once and wakes everyone waiting. Never call while holding the queue's lock. */
    void complete(Result<T> r) {
        state = DONE;
        Channel<Void> ch;
        Consumer<? super Result<T>> then;
        synchronized (this) {
            result = r;
            ch = done;
            then = whenComplete;
            whenComplete = null;
        }
        if (ch != null) {
            ch.close();
        }
        if (then != null) {
            then.accept(r);
        }
        CancellableContext c = ctx;
        if (c != null) {
            c.cancel(); // release the child's registration on the pool's context
        }
    }

    /**
     * Runs {@code then} with the result once the job has ended: at once in this thread if it has, else in the
     * thread that completes it (a worker, a canceller, shutdownNow), after its done channel is closed. At most one;
     * it must be short and must not block.
     */
    void whenComplete(Consumer<? super Result<T>> then) {
        Result<T> r;
        synchronized (this) {
            if (whenComplete != null) {
                throw new IllegalStateException("pool: a job has one completion callback");
            }
            r = result;
            if (r == null) {
                whenComplete = then;
                return;
            }
        }
        then.accept(r);
    }

    @Override
    public Optional<Result<T>> tryResult() {
        return Optional.ofNullable(result);
    }

    @Override
    public Result<T> result() throws InterruptedException {
        Result<T> r = result;
        if (r != null) {
            return r;
        }
        done().receiveOrClosed();
        return result;
    }

    @Override
    public ReceiveChannel<Void> done() {
        synchronized (this) {
            if (result != null) {
                return CLOSED;
            }
            if (done == null) {
                done = Channel.unbuffered();
            }
            return done.receiveOnly();
        }
    }

    private static ReceiveChannel<Void> closedChannel() {
        Channel<Void> c = Channel.unbuffered();
        c.close();
        return c.receiveOnly();
    }

    @Override
    public String toString() {
        Result<T> r = result;
        return "Job[" + id + ", " + (r != null ? r : switch (state) {
            case PENDING -> "waiting";
            case RUNNING -> "running";
            default -> "ending";
        }) + "]";
    }
}
