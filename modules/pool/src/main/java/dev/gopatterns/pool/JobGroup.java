package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.Semaphore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Jobs submitted to a pool together, whose results come back on one channel: Go's results channel, in the order
 * the jobs end ({@link #completionOrder}) or in the order they were submitted ({@link #submissionOrder}).
 *
 * <pre>{@code
 * // Go (results in order: a channel per job, sent in order)      // Java:
 * results := make(chan chan Result, window)                      JobGroup<Page> group = JobGroup.submissionOrder(pool, 16);
 * go func() {                                                    producer: for (URL u : urls) group.submit(ctx, c -> fetch(c, u));
 *     for _, u := range urls {                                             group.close();
 *         c := make(chan Result, 1); results <- c                consumer: for (Result<Page> r : group.results()) { ... }
 *         go func() { c <- fetch(ctx, u) }()
 *     }
 *     close(results)
 * }()
 * for c := range results { r := <-c; ... }
 * }</pre>
 *
 * <ul>
 *   <li><b>Every result is delivered once</b>, a failed or cancelled job's too: {@link #results()} carries one
 *       {@link Result} per accepted submission and closes after the last one, once the group is {@linkplain
 *       #close() closed}. A job that throws is a {@code Failed} in its place; it does not stop the others.
 *   <li><b>Bounded</b>: at most {@code window} results are outstanding (submitted and not yet received); a
 *       {@link #submit} beyond that waits. So a slow consumer slows the producer instead of filling memory, and in
 *       submission order a slow first job holds back at most {@code window - 1} finished ones behind it.
 *   <li>The order of submission is the order in which {@code submit} calls took the group's lock: for one
 *       producer thread, the order of its calls.
 *   <li>Nothing outlives the group: its one forwarding thread ends when the results channel closes, or at
 *       {@link #cancel()}, which also cancels the group's unfinished jobs and closes the channel at once.
 *   <li>Memory consistency effects: a job's actions happen-before the receive of its result.
 * </ul>
 *
 * <p>Go equivalent: the results channel closed after {@code wg.Wait()}, or, in order, the channel of channels.
 * Where it differs: Go leaves the bound to the program (the capacity of the results channel, which a producer
 * that outruns the consumer blocks on); here the bound is the window, and it is the submit that waits.
 *
 * @param <T> the jobs' value
 */
public final class JobGroup<T> {
    /*
     * Each accepted job gets a sequence number; when it completes (its PoolJob's one completion callback, run by
     * the completing thread), its result goes into `ready`, directly (completion order) or through the reorder
     * buffer `early` once every lower number has gone (submission order). `ready` has room for `window` results
     * and at most `window` are outstanding (the semaphore), so its trySend never fails. One forwarding virtual
     * thread moves results from `ready` to `results` with a blocking send, and releases a permit per receive: so
     * "outstanding" ends when the consumer takes the result. When the group is closed and every result is in
     * `ready`, `ready` is closed; the forwarder drains it and closes `results`.
     */
    private static final Object SKIPPED = new Object();

    private final WorkerPool pool;
    private final boolean ordered;
    private final Semaphore outstanding;
    private final Channel<Result<T>> ready;
    private final Channel<Result<T>> results = Channel.unbuffered();
    private final Channel<Void> cancelled = Channel.unbuffered();
    private final Thread forwarder;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final Map<Long, Object> early = new HashMap<>();
    private final Map<Long, Job<T>> unfinished = new HashMap<>();
    private long nextSeq;
    private long nextToDeliver;
    private long pushed;
    private boolean closed;
    private boolean readyClosed;
    private boolean wasCancelled;

    private JobGroup(WorkerPool pool, boolean ordered, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("group: window must be >= 1, was " + window);
        }
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ordered = ordered;
        this.outstanding = new Semaphore(window);
        this.ready = Channel.buffered(window);
        this.forwarder = Thread.ofVirtual().name("job-group-forwarder").start(this::forward);
    }

    /** A group whose results come back as the jobs end. */
    public static <T> JobGroup<T> completionOrder(WorkerPool pool, int window) {
        return new JobGroup<>(pool, false, window);
    }

    /** A group whose results come back in the order the jobs were submitted. */
    public static <T> JobGroup<T> submissionOrder(WorkerPool pool, int window) {
        return new JobGroup<>(pool, true, window);
    }

    /**
     * Submits {@code task} to the pool as part of this group, first waiting until fewer than {@code window} results
     * are outstanding, then for room in the pool.
     *
     * @throws IllegalStateException "group: submit after close" (or after cancel)
     * @throws RejectedException     if the pool is shut down; nothing was submitted, and no result will come
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first; nothing was submitted
     * @throws InterruptedException  if interrupted while waiting; nothing was submitted
     */
    public Job<T> submit(Context ctx, Task<T> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        outstanding.acquire(ctx, 1);
        long seq;
        lock.lock();
        try {
            if (closed) {
                outstanding.release(1);
                throw new IllegalStateException("group: submit after close");
            }
            seq = nextSeq++;
        } finally {
            lock.unlock();
        }
        Job<T> job;
        try {
            job = pool.submit(ctx, task);
        } catch (RuntimeException | InterruptedException | Error e) {
            skip(seq); // no result will come for this number
            throw e;
        }
        lock.lock();
        try {
            unfinished.put(seq, job);
        } finally {
            lock.unlock();
        }
        ((PoolJob<T>) job).whenComplete(r -> arrived(seq, r));
        return job;
    }

    /** Submits nothing more: {@link #results()} closes after the last result. Idempotent; does not wait. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            closeReadyIfDone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up on the group: closes it, cancels its unfinished jobs (their handles still say how they ended), and
     * closes {@link #results()} now, dropping results not yet received. Idempotent.
     */
    public void cancel() {
        close();
        Map<Long, Job<T>> left;
        lock.lock();
        try {
            if (wasCancelled) {
                return;
            }
            wasCancelled = true;
            left = Map.copyOf(unfinished);
        } finally {
            lock.unlock();
        }
        cancelled.close();
        left.values().forEach(Job::cancel);
    }

    /** One result per accepted submission, in this group's order; closed after the last, once closed. */
    public ReceiveChannel<Result<T>> results() {
        return results.receiveOnly();
    }

    /** Waits for the forwarding thread to end: after the results channel has closed. */
    public void awaitClosed() throws InterruptedException {
        forwarder.join();
    }

    private void skip(long seq) {
        outstanding.release(1);
        lock.lock();
        try {
            if (ordered) {
                early.put(seq, SKIPPED);
                deliverInOrder();
            } else {
                pushed++;
                closeReadyIfDone();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The completing thread of job {@code seq}. */
    private void arrived(long seq, Result<T> r) {
        lock.lock();
        try {
            unfinished.remove(seq);
            if (ordered) {
                early.put(seq, r);
                deliverInOrder();
            } else {
                push(r);
                closeReadyIfDone();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Call only when holding lock. */
    @SuppressWarnings("unchecked")
    private void deliverInOrder() {
        for (Object next; (next = early.remove(nextToDeliver)) != null; nextToDeliver++) {
            if (next == SKIPPED) {
                pushed++;
            } else {
                push((Result<T>) next);
            }
        }
        closeReadyIfDone();
    }

    /** Call only when holding lock. */
    private void push(Result<T> r) {
        pushed++;
        if (!ready.trySend(r)) {
            throw new IllegalStateException("group: more results than the window (a bug: please report)");
        }
    }

    /** Call only when holding lock. */
    private void closeReadyIfDone() {
        if (closed && pushed == nextSeq && !readyClosed) {
            readyClosed = true;
            ready.close();
        }
    }

    private void forward() {
        try {
            for (;;) {
                Received<Result<T>> next = Select.select(
                        ready.onReceiveOrClosed(r -> r),
                        cancelled.onReceiveOrClosed(c -> null));
                if (!(next instanceof Received.Value<Result<T>>(Result<T> r))) {
                    return; // every result is out (ready closed and drained), or cancelled
                }
                boolean sent = Select.select(results.onSend(r, () -> true), cancelled.onReceiveOrClosed(c -> false));
                outstanding.release(1);
                if (!sent) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, it ends
        } finally {
            results.close();
        }
    }
}
