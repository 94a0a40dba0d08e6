package dev.gopatterns.exercises.replicated_requests;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.List;

/**
 * Exercise `replicated_requests`: replicated requests, from "Concurrency in Go" (Cox-Buday, ch. 5): send the same request to several
 * replicas at once and take the first answer, so the slowest replica no longer sets the latency.
 *
 * <p>The rules of {@link #call}:
 * <ol>
 *   <li>Every replica gets the request at once, each in a thread of its own, with a context that is a child of the
 *       caller's: cancelling it stops the replica, and the caller's context is never cancelled by {@code call}.
 *   <li>The first <em>success</em> wins: {@code call} returns it as soon as it comes, without waiting for the slower
 *       replicas to answer. An error from one replica does not win while another may still succeed.
 *   <li>Once there is a winner (or there can be none), the other replicas' contexts are cancelled, and {@code call}
 *       returns only after every replica's thread has ended: nothing outlives the call.
 *   <li>No replica is ever stuck handing over its answer: a replica that answers after the winner must still be
 *       able to end (a results channel with one slot per replica).
 *   <li>If every replica fails, {@code call} throws {@link AllReplicasFailedException} with every error, in the
 *       order of the replicas. If the caller's context ends first, it throws that context's error.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check replicated_requests}
 */
public final class ReplicatedRequests {

    private ReplicatedRequests() {}

    /** One replica of a service: the same request may go to several, and any of them may answer it. */
    @FunctionalInterface
    public interface Replica {
        /**
         * The reply to {@code request} (never {@code null}). A replica should stop, throwing {@code ctx}'s error,
         * once {@code ctx} ends.
         */
        String handle(Context ctx, String request) throws Exception;
    }

    /** Every replica failed: {@link #errors()} holds what each threw, in the order of the replicas. */
    public static final class AllReplicasFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient List<Exception> errors;

        public AllReplicasFailedException(List<Exception> errors) {
            super("all " + errors.size() + " replicas failed: " + errors);
            this.errors = List.copyOf(errors);
            this.errors.forEach(this::addSuppressed);
        }

        /** What each replica threw, in the order of the replicas. */
        public List<Exception> errors() {
            return errors;
        }
    }

    /**
     * Sends {@code request} to every replica at once and returns the first success; the others are cancelled, and
     * every replica has ended when this returns.
     *
     * @return the first successful reply
     * @throws AllReplicasFailedException if every replica failed; it holds every error, in replica order
     * @throws ContextException           if {@code ctx} ends before any replica succeeds
     * @throws InterruptedException       if the calling thread is interrupted while it waits
     * @throws IllegalArgumentException   if {@code replicas} is empty
     */
    public static String call(Context ctx, String request, List<Replica> replicas)
            throws AllReplicasFailedException, InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: call: start every replica with a child context, take the first success from"
                        + " a results channel with a slot per replica, cancel the rest, wait for them all");
    }
}
