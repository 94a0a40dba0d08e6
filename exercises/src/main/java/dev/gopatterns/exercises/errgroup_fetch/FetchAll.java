package dev.gopatterns.exercises.errgroup_fetch;

import dev.gopatterns.context.Context;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Exercise `errgroup_fetch`: fetch many things in parallel, at most {@code limit} at once, and fail fast.
 *
 * <p>A page needs twenty things from other services. Fetching them one after another is slow; fetching all twenty
 * at once may overload the services; and when one fetch fails the page cannot be built, so the other nineteen are
 * wasted work. Go's {@code errgroup} handles all three: {@code errgroup.WithContext} makes a group whose context is
 * cancelled by the first failure, {@code SetLimit} bounds how many tasks run at once, and {@code Wait} waits for
 * every task and reports the first error. Here it is {@link dev.gopatterns.sync.ErrGroup}.
 *
 * <p>The rules of {@link #fetchAll}:
 * <ol>
 *   <li>A {@code limit} below 1 is refused at once: {@code IllegalArgumentException("limit must be >= 1, was 0")}.
 *   <li>Every key is fetched with {@code fetcher.fetch(ctx, key)}, each in a task of its own, at most {@code limit}
 *       at once, with {@code ctx} a context derived from {@code parent} that ends at the first failure.
 *   <li>The results come back in the order of the keys, not in the order the fetches finish.
 *   <li>The first failure cancels the rest: fetches in flight see their context end, fetches not started yet never
 *       start, and {@code fetchAll} throws an {@link ExecutionException} whose cause is that first failure.
 *   <li>Whether it returns or throws, {@code fetchAll} has waited until every fetch has returned.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check errgroup_fetch}
 */
public final class FetchAll {

    private FetchAll() {}

    /** Fetches one thing. */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * The value for {@code key} (never {@code null}), or an exception. Returns or throws soon after {@code ctx}
         * is done: that is how {@code fetchAll} stops it.
         */
        String fetch(Context ctx, String key) throws Exception;
    }

    /**
     * Fetches every key, at most {@code limit} at once, and returns the values in the order of {@code keys}.
     * Go: {@code g, ctx := errgroup.WithContext(parent); g.SetLimit(limit); ...; err := g.Wait()}.
     *
     * @throws IllegalArgumentException if {@code limit < 1}; nothing is fetched
     * @throws ExecutionException       with the first failure as its cause, once every fetch has returned
     * @throws InterruptedException     if the calling thread is interrupted; every fetch has returned
     */
    public static List<String> fetchAll(Context parent, List<String> keys, int limit, Fetcher fetcher)
            throws InterruptedException, ExecutionException {
        throw new UnsupportedOperationException("TODO: an ErrGroup.withContext(parent) with"
                + " setLimit(limit): go(...) a fetch per key with g.context(), await(), results in key order");
    }
}
