package dev.gopatterns.pool;

import dev.gopatterns.chan.ReceiveChannel;
import java.util.Optional;

/**
 * The handle of a task a {@link Scheduler} submits to its pool every period: count its runs, skipped ticks and
 * failures, and stop it.
 *
 * <p>Each run is a pool job with the options given to {@link Scheduler#every}. A run that fails does not stop later
 * runs, as a Go ticker loop goes on after an error: {@link #failures()} counts them, {@link #lastFailure()} keeps the
 * latest, and a pool with {@linkplain WorkerPool.Builder#deadLetters dead letters} keeps every one. It stops when
 * {@linkplain #cancel() cancelled}, when its context ends, when its scheduler is closed, or when the pool is shut
 * down; {@link #stopCause()} says which.
 *
 * <p>Go equivalent: the goroutine {@code for { select { case <-ticker.C: jobs <- job; case <-ctx.Done(): return } }}.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code every} happen-before each run's actions; a
 * run's actions happen-before a read of the counters that counts it.
 */
public interface PeriodicJob {

    /**
     * Stops the job: no run is submitted after this call, and a run in flight is cancelled through its pool
     * {@link Job#cancel()} (waiting in the pool: it never runs; running: its context is cancelled). Does not wait,
     * is idempotent, and is safe from any thread.
     *
     * @return whether this call stopped it ({@code false} if it had stopped already)
     */
    boolean cancel();

    /** Whether it has stopped and no run of it is in flight any more. */
    boolean isDone();

    /** A channel closed when {@link #isDone()} becomes true; nothing is sent on it. */
    ReceiveChannel<Void> done();

    /** The runs that have ended (however they ended). */
    long runs();

    /**
     * The ticks that did not start a run: the previous run was still running or waiting in the pool, or the
     * scheduler was late by whole periods. Always 0 for {@link Scheduler.Pacing#FIXED_DELAY}.
     */
    long skipped();

    /** The runs that ended {@link Result.Failed}. */
    long failures();

    /** The latest failed run's error, if any. */
    Optional<Throwable> lastFailure();

    /**
     * Empty while it runs; then why it stopped: the shared error of a {@link #cancel()} (a
     * {@code ContextCanceledException}), its context's error, its scheduler's context's error (closed), or a
     * {@link RejectedException} if the pool was shut down.
     */
    Optional<Throwable> stopCause();
}
