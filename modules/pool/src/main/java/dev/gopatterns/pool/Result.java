package dev.gopatterns.pool;

import java.util.Objects;

/**
 * How a job ended: with a value, with a failure, or cancelled before or while it ran. Never {@code null}, never
 * silence: every accepted job ends with exactly one of these.
 *
 * <pre>{@code
 * switch (job.result()) {
 *     case Result.Ok<Report>(var report) -> publish(report);
 *     case Result.Failed<Report>(var error) -> log(error);
 *     case Result.Cancelled<Report>(var why) -> retryLater(why);
 * }
 * }</pre>
 *
 * <p>Go equivalent: the {@code (T, error)} pair a job sends on its results channel; a cancelled job's error is
 * {@code ctx.Err()}.
 *
 * @param <T> the job's value
 */
public sealed interface Result<T> permits Result.Ok, Result.Failed, Result.Cancelled {

    /** The job returned {@code value} (which may be {@code null} for a {@code Task<Void>}). */
    record Ok<T>(T value) implements Result<T> {}

    /** The job threw {@code error}. */
    record Failed<T>(Throwable error) implements Result<T> {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The job was cancelled: by {@link Job#cancel()}, by an immediate shutdown, or by the end of the pool's parent
     * context. {@code cause} is the context's error (a {@code ContextException}, whose cause is the canceller's
     * cause, if any). {@code started} says whether the job had begun to run: a job cancelled before it started
     * never ran, and can be submitted again safely.
     */
    record Cancelled<T>(Throwable cause, boolean started) implements Result<T> {
        public Cancelled {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Whether the job returned a value. */
    default boolean isOk() {
        return this instanceof Ok<T>;
    }
}
