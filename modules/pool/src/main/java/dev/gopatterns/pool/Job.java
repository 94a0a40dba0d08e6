package dev.gopatterns.pool;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.SelectCase;
import java.util.Optional;
import java.util.function.Function;

/**
 * The handle of one accepted job: wait for its {@link Result}, watch it in a {@code select}, or cancel it.
 *
 * <p>Go equivalent: none as a type; a Go pool hands results back on a channel, and this handle's {@link #done()}
 * is that channel for one job.
 *
 * <p>Memory consistency effects: actions of the job happen-before another thread's actions after it obtains the
 * job's result (from {@link #result()}, {@link #tryResult()}, or a fired {@link #onDone} case), and actions of the
 * submitter prior to submitting happen-before the job's actions.
 *
 * @param <T> the job's value
 */
public interface Job<T> {

    /** The job's number in its pool, in submission order from 1. */
    long id();

    /**
     * Waits until the job has ended and returns how.
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

    /** A channel that is closed when the job ends; nothing is sent on it. Go: a job's done channel. */
    ReceiveChannel<Void> done();

    /** A {@link dev.gopatterns.chan.Select} case that fires when the job has ended, with its result. */
    default <R> SelectCase<R> onDone(Function<? super Result<T>, ? extends R> then) {
        return done().onReceiveOrClosed(closed -> then.apply(tryResult().orElseThrow()));
    }

    /**
     * Cancels the job: a job that has not started ends {@link Result.Cancelled} at once and never runs; a running
     * job's context is cancelled, which interrupts it, and it ends however it reacts (usually
     * {@code Cancelled}). Like Go's {@code CancelFunc}, it does not wait, is idempotent, and is safe from any
     * thread.
     *
     * @return whether this call ended or cancelled a job that had not ended yet
     */
    boolean cancel();
}
