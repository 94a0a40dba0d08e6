package dev.gopatterns.exercises.cancel_search;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.DeadlineExceededException;
import java.time.Duration;
import java.util.List;

/**
 * Exercise `cancel_search`: a search that gives up when its time is up, and takes its backends with it.
 *
 * <p>The same query goes to several replicas of a search backend at once, and the first answer wins. A slow
 * replica must not make the search slow, so the search has a timeout, and the timeout is a {@link Context}:
 * {@code Context.withTimeout(parent, timeout)} ends by itself when the time has passed, and ends with its parent.
 * Every backend is given that context, so when the search is over (answered, timed out, or abandoned by its
 * caller) one cancel reaches them all.
 *
 * <p>The rules of {@link #search}:
 * <ol>
 *   <li>Derive {@code ctx = Context.withTimeout(parent, timeout)}; its deadline is measured on the parent's clock.
 *   <li>Ask every backend, each in a thread of its own: {@code backend.search(ctx, query)}, with the derived ctx.
 *   <li>Return the first answer. A backend that throws has not answered: wait for another.
 *   <li>If ctx ends first, throw its error, {@code ctx.err()}: {@link DeadlineExceededException} when the timeout
 *       passed, {@link ContextCanceledException} when the parent was cancelled.
 *   <li>On every path out (an answer, ctx's error, an interrupt), cancel ctx and then wait until every backend
 *       call has returned: nothing the search started outlives it.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check cancel_search}
 */
public final class Search {

    private Search() {}

    /** One replica of the search service. */
    @FunctionalInterface
    public interface Backend {
        /**
         * Answers {@code query} (never with {@code null}), or throws. Returns or throws soon after {@code ctx} is
         * done: that is how the search stops it.
         */
        String search(Context ctx, String query) throws Exception;
    }

    /**
     * Asks every backend at once and returns the first answer, giving up when {@code timeout} has passed on the
     * parent's clock or when {@code parent} ends. Go: {@code func search(parent context.Context, backends
     * []Backend, query string, timeout time.Duration) (string, error)}.
     *
     * @return the first answer
     * @throws DeadlineExceededException if the timeout passed before any backend answered
     * @throws ContextCanceledException  if {@code parent} was cancelled before any backend answered
     * @throws InterruptedException      if the calling thread is interrupted while it waits
     */
    public static String search(Context parent, List<Backend> backends, String query, Duration timeout)
            throws InterruptedException {
        throw new UnsupportedOperationException("TODO: derive Context.withTimeout, ask every backend"
                + " in its own thread, return the first answer or ctx's error; cancel and wait on every path");
    }
}
