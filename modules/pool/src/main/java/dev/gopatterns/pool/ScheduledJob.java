package dev.gopatterns.pool;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.SelectCase;
import java.util.Optional;
import java.util.function.Function;

/**
 * The handle of a job a {@link Scheduler} submits to its pool once, when it is due: cancel it, wait for its
 * {@link Result}, or get the pool's {@link Job} once it has been submitted.
 *
 * <p>The handle's result is the pool job's result once the job has been submitted. A job that is never submitted
 * ends {@link Result.Cancelled} ({@code started == false}) if it was cancelled, its context ended, or its scheduler
 * was closed first; or {@link Result.Failed} with a {@link RejectedException} ("pool: submit after shutdown") if the
 * pool was shut down first. Either way it never ran. Nothing is lost: every scheduled job ends with exactly one
 * result.
 *
 * <p>Go equivalent: the {@code *time.Timer} returned by {@code time.AfterFunc(d, f)}, whose {@code f} sends the job
 * on the pool's jobs channel; {@link #cancel()} is its {@code Stop}.
 *
 * <p>Memory consistency effects: actions in a thread prior to scheduling the job happen-before the job's actions;
 * the job's actions happen-before the return of anything that observes its result ({@link #result()},
 * {@link #tryResult()}, a fired {@link #onDone} case).
 *
 * @param <T> the job's value
 */
public interface ScheduledJob<T> {

    /** When the job is due, on the scheduler's clock ({@link dev.gopatterns.clock.Clock#nanoTime()} scale). */
    long due();

    /**
     * Stops the job from being submitted, if it has not come due yet. Like Go's {@code Timer.Stop}, it does not
     * wait, is idempotent, and is safe from any thread.
     *
     * <p>If the job had come due already, this call cancels what is left of it: a job waiting for room in a full
     * pool gives up (it ends {@code Cancelled}, never submitted), and a submitted job is cancelled through its pool
     * {@link Job#cancel()} (not started: it ends {@code Cancelled} and never runs; running: its context is
     * cancelled). Then {@link #result()} says how it ended.
     *
     * @return {@code true} if this call stopped the job before it came due: it was never submitted and never will
     *         be, and its result is {@code Cancelled}; {@code false} if it had come due already, or had ended
     */
    boolean cancel();

    /** The pool's handle of the job, once it has been submitted; empty before, and if it never is. */
    Optional<Job<T>> job();

    /**
     * Waits until the job has ended (run in the pool, or ended without being submitted) and returns how.
     *
     * @throws InterruptedException if interrupted while waiting; the job is not affected
     */
    Result<T> result() throws InterruptedException;

    /** How the job ended, or empty if it has not ended yet. Never blocks. */
    Optional<Result<T>> tryResult();

    /** Whether the job has ended. */
    default boolean isDone() {
        return tryResult().isPresent();
    }

    /** A channel that is closed when the job has ended; nothing is sent on it. */
    ReceiveChannel<Void> done();

    /** A {@link dev.gopatterns.chan.Select} case that fires when the job has ended, with its result. */
    default <R> SelectCase<R> onDone(Function<? super Result<T>, ? extends R> then) {
        return done().onReceiveOrClosed(closed -> then.apply(tryResult().orElseThrow()));
    }
}
