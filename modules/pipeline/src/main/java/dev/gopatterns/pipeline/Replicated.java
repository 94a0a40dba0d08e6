package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Replicated requests ("Concurrency in Go", chapter 5): the same request sent to several replicas at once; the
 * first success is the answer, and the others are cancelled. It trades resources for latency: the call takes as
 * long as the fastest replica, not the slowest.
 *
 * <pre>{@code
 * // Go (the book's doWork, one goroutine per replica):   // Java:
 * done := make(chan interface{})                           String r = Replicated.first(ctx, List.of(
 * result := make(chan int)                                         c -> east.get(c, key),
 * for i := 0; i < 10; i++ {                                        c -> west.get(c, key)));
 *     go doWork(done, i, &wg, result)
 * }
 * firstReturned := <-result
 * close(done)
 * wg.Wait()
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every replica runs in its own virtual thread, under one child context of {@code ctx} that is cancelled as
 *       soon as the first success arrives (and always before the call returns). Each replica runs inside
 *       {@link Context#call}, so the cancel also interrupts it: a replica blocked in {@code receive},
 *       {@code sleep} or interruptible I/O returns, as does one that selects on its context's {@code done()}.
 *   <li><b>No replica outlives the call.</b> {@code first} returns or throws only after every replica's thread has
 *       ended (it joins them), so the losers cannot leak. The price: a replica that ignores both its context and
 *       interrupts holds the call until it returns, as a goroutine that ignores {@code done} holds Go's
 *       {@code wg.Wait()}.
 *   <li>Exactly one result: the first success to arrive. A later success, and the failures of replicas cancelled
 *       because a winner was found, are discarded.
 *   <li>If every replica fails, {@code first} throws {@link ExecutionException} whose cause is the first failure to
 *       arrive, with the others {@linkplain Throwable#getSuppressed() suppressed} on it (on the
 *       {@code ExecutionException}, so no replica's exception is changed). If {@code ctx} ended before any success,
 *       it throws {@code ctx}'s error ({@link dev.gopatterns.context.ContextException}) instead.
 *   <li>Memory consistency effects: actions in the calling thread before {@code first} happen-before every replica
 *       starts; actions in every replica happen-before {@code first} returns.
 * </ul>
 *
 * <p>Where it differs from Go: the book's version leaves the losers' results to a buffered channel and needs a
 * {@code WaitGroup} to know they ended; here both are inside the call, and it also reports errors (Go's example
 * has none). A replica that returns {@code null} has failed, with a {@link NullPointerException}: null is not a
 * value here.
 */
public final class Replicated {

    /*
     * One buffered channel of capacity n carries one outcome per replica, so no replica ever blocks reporting, even
     * after the caller stopped caring: the cancelled losers write into the buffer and end. The caller receives all
     * n outcomes (the first success cancels the child context, which interrupts the others through Context.call),
     * then joins the threads: a replica's last action is its send, so the join waits only for threads on their way
     * out. Receiving all n outcomes before returning is what makes "no leak" true without a WaitGroup; the join
     * makes it true to the letter (the thread has ended, not just sent).
     *
     * If the caller is interrupted while it waits, it cancels the child context, still waits for every replica to
     * end (they are interrupted too, so this is prompt for well-behaved replicas), then re-asserts the flag and
     * throws InterruptedException: nothing is left running.
     */

    private Replicated() {}

    /** A request as one replica performs it: Go's {@code func(ctx) (R, error)}. */
    @FunctionalInterface
    public interface Request<R> {
        /** Performs the request, giving up when {@code ctx} ends (or when interrupted). */
        R call(Context ctx) throws Exception;
    }

    /**
     * Runs {@code request} on {@code n} replicas at once; see the class description.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws ExecutionException       if every replica failed: the first failure is the cause, the others suppressed
     * @throws InterruptedException     if the calling thread is interrupted; every replica has ended by then
     */
    public static <R> R first(Context ctx, int n, Request<? extends R> request)
            throws InterruptedException, ExecutionException {
        Objects.requireNonNull(request, "request");
        if (n < 1) {
            throw new IllegalArgumentException("replicated request needs at least one replica, was " + n);
        }
        return first(ctx, Collections.nCopies(n, request));
    }

    /**
     * Runs each of {@code replicas} (different servers, say) at once; the first success wins.
     *
     * @throws IllegalArgumentException if {@code replicas} is empty
     * @throws ExecutionException       if every replica failed: the first failure is the cause, the others suppressed
     * @throws InterruptedException     if the calling thread is interrupted; every replica has ended by then
     */
    public static <R> R first(Context ctx, List<? extends Request<? extends R>> replicas)
            throws InterruptedException, ExecutionException {
        Objects.requireNonNull(ctx, "ctx");
        List<Request<? extends R>> all = List.copyOf(replicas);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("replicated request needs at least one replica, was 0");
        }
        int n = all.size();
        Channel<Outcome<R>> outcomes = Channel.buffered(n); // room for every outcome: no replica blocks reporting
        List<Thread> threads = new ArrayList<>(n);
        try (CancellableContext child = Context.withCancel(ctx)) {
            try {
                for (int i = 0; i < n; i++) {
                    Request<? extends R> request = all.get(i);
                    int index = i;
                    threads.add(Stages.spawn("replica-" + i, () -> {
                        if (!outcomes.trySend(attempt(child, index, request))) {
                            throw new AssertionError("outcome buffer full: it has room for one per replica");
                        }
                    }));
                }
                R winner = null;
                List<Throwable> failures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Outcome<R> o = outcomes.receive();
                    if (winner != null) {
                        continue; // a late success or a cancelled loser: discarded
                    }
                    if (o.failure() == null) {
                        winner = o.value();
                        child.cancel(); // the losers stop now
                    } else {
                        failures.add(o.failure());
                    }
                }
                joinAll(threads);
                if (winner != null) {
                    return winner;
                }
                ctx.throwIfDone();
                ExecutionException e = new ExecutionException("every replica failed (" + n + "); the first failure"
                        + " is the cause, the others are suppressed", failures.getFirst());
                failures.subList(1, failures.size()).forEach(e::addSuppressed);
                throw e;
            } catch (InterruptedException | RuntimeException | Error e) {
                child.cancel();
                joinAll(threads); // nothing outlives the call, however it ends
                if (e instanceof InterruptedException) {
                    Thread.interrupted(); // the exception reports the interrupt; the flag is clear, as it should be
                }
                throw e;
            }
        }
    }

    /** What one replica produced: its value, or why it failed. */
    private record Outcome<R>(R value, Throwable failure) {}

    private static <R> Outcome<R> attempt(Context child, int index, Request<? extends R> request) {
        try {
            R value = Context.call(child, () -> request.call(child));
            if (value == null) {
                return new Outcome<>(null, new NullPointerException("replica " + index + " returned null"));
            }
            return new Outcome<>(value, null);
        } catch (Throwable e) { // anything: a replica that dies without reporting would hang the caller
            return new Outcome<>(null, e);
        }
    }

    /** Joins every thread, uninterruptibly; an interrupt that arrives meanwhile is re-asserted afterwards. */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            for (;;) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
