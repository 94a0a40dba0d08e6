package dev.gopatterns.exercises.errgroup_fetch;

import dev.gopatterns.context.Context;
import dev.gopatterns.sync.ErrGroup;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Exercise `errgroup_fetch`, reference solution: fetch many things in parallel, at most {@code limit} at once, and fail fast.
 *
 * <p>The group does most of the work. Its limit makes {@code go} wait for a free slot, so at most {@code limit}
 * fetches run at once. Its first failing task cancels {@code g.context()}, which every fetch was given, so the
 * fetches in flight see their context end. And {@code await()} waits for every task, then reports the first
 * failure; the cancellations it caused come later and are not reported.
 *
 * <p>One part is ours. Like Go's {@code g.Go}, {@code go} starts a task even when the group's context has already
 * ended: the owner may have been waiting in {@code go} for a slot when the failure came, and the slot it gets is
 * the failed task's. So each task first checks the context, {@code ctx.throwIfDone()}, and a task that starts
 * after the failure ends at once instead of fetching. (It fails with the cancellation, which is not the first
 * error, so it is not reported.)
 *
 * <p>The try-with-resources block covers the path where the owner itself leaves early (interrupted while waiting
 * for a slot): {@code close()} cancels the group and waits for its tasks.
 *
 * <p>Why a plain array is safe: slot {@code i} is written only by fetch {@code i}, and everything a task did
 * happens-before {@code await()} returns (the group's memory-consistency guarantee), so the owner reads every slot
 * after its write without a lock.
 *
 * <p>How to run: {@code ./learn check errgroup_fetch --solution}
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
        if (limit < 1) {
            // ErrGroup would take 0 as "go blocks forever" and a negative limit as "no limit": neither is a bound.
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        String[] results = new String[keys.size()];
        try (ErrGroup g = ErrGroup.withContext(parent)) {
            g.setLimit(limit);
            for (int i = 0; i < keys.size(); i++) {
                int slot = i;
                String key = keys.get(i);
                g.go(() -> { // waits while limit fetches run
                    Context ctx = g.context();
                    ctx.throwIfDone(); // the group has given up: a fetch started now would be wasted work
                    results[slot] = fetcher.fetch(ctx, key);
                });
            }
            g.await(); // every fetch has returned; throws the first failure
        }
        return List.of(results);
    }
}
