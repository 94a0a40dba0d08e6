/*
 * Flawed solution of exercise `replicated_requests`.
 * Mistake: when every replica fails, call reports only the last error, not every replica's.
 * Verdict: every replica's error, in the order of the replicas
 */
package dev.gopatterns.exercises.replicated_requests;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.WaitGroup;
import java.util.List;
import java.util.Optional;

public final class ReplicatedRequests {

    private ReplicatedRequests() {}

    /** What one replica did: its reply, or its error. */
    private record Answer(int index, String reply, Exception error) {}

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
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("replicas must not be empty: there is nobody to send the request to");
        }
        int n = replicas.size();
        // One slot per replica: a replica that answers after the winner puts its answer down and ends, even though
        // nobody will ever read it. With an unbuffered channel the losers would wait for a reader forever.
        Channel<Answer> answers = Channel.make(n);
        CancellableContext replicaCtx = Context.withCancel(ctx); // the losers' stop signal; ctx itself is untouched
        WaitGroup wg = new WaitGroup();
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                Replica replica = replicas.get(i);
                wg.go(() -> {
                    Answer a;
                    try {
                        a = new Answer(index, replica.handle(replicaCtx, request), null);
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        a = new Answer(index, null, e);
                    }
                    answers.trySend(a); // never full: there is a slot for every replica
                });
            }
            Exception last = null;
            for (int failed = 0; failed < n; ) {
                Optional<Answer> next = Select.select(answers.onReceive(Optional::of), ctx.onDone(Optional::empty));
                if (next.isEmpty()) {
                    throw ctx.err().orElseThrow(); // the caller gave up first
                }
                Answer a = next.get();
                if (a.error() == null) {
                    return a.reply(); // the first success wins; the finally stops and waits for the others
                }
                last = a.error(); // remember the error, in case every replica fails
                failed++;
            }
            throw new AllReplicasFailedException(List.of(last));
        } finally {
            replicaCtx.cancel(); // stop the losers (a no-op for those that have ended)...
            wg.await(); // ...and return only once every replica's thread has ended
        }
    }
}
