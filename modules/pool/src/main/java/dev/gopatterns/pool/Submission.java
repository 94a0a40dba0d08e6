package dev.gopatterns.pool;

import java.util.Objects;

/**
 * What {@link WorkerPool#trySubmit} did: accepted the job, or rejected it with a named reason. Go's equivalent is a
 * {@code select} with a {@code default} on the jobs channel.
 *
 * @param <T> the job's value
 */
public sealed interface Submission<T> permits Submission.Accepted, Submission.Rejected {

    /** The job is in the pool: it will run, or end {@link Result.Cancelled}, but it is never lost. */
    record Accepted<T>(Job<T> job) implements Submission<T> {
        public Accepted {
            Objects.requireNonNull(job, "job");
        }
    }

    /** The job was not taken; nothing of it runs. */
    record Rejected<T>(Reason reason) implements Submission<T> {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a job was rejected. */
    enum Reason {
        /** The queue is full and no worker is free: backpressure. Try again later, or submit and wait. */
        QUEUE_FULL("pool: queue full"),
        /** The pool has been shut down: it accepts no more jobs. */
        SHUT_DOWN("pool: submit after shutdown");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        /** The reason in words, naming the rule. */
        public String message() {
            return message;
        }
    }

    /** The accepted job. @throws RejectedException naming the reason, if it was rejected */
    default Job<T> orThrow() {
        return switch (this) {
            case Accepted<T>(var job) -> job;
            case Rejected<T>(var reason) -> throw new RejectedException(reason);
        };
    }
}
