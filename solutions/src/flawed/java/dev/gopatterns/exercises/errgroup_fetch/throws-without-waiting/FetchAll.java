/*
 * Flawed solution of exercise `errgroup_fetch`.
 * Mistake: "fail fast" done by hand: the fetches run on a pool of limit threads, the first failure to complete
 * cancels the context, shuts the pool down now and is thrown at once, leaving the fetches still stopping behind.
 * Verdict: Failing fast means cancelling the rest, not leaving them behind
 */
package dev.gopatterns.exercises.errgroup_fetch;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.ErrGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Exercise `errgroup_fetch`, a flawed solution: see the header comment. */
public final class FetchAll {

    private FetchAll() {}

    /** Fetches one thing. */
    @FunctionalInterface
    public interface Fetcher {
        /** The value for {@code key}, or an exception; returns or throws soon after {@code ctx} is done. */
        String fetch(Context ctx, String key) throws Exception;
    }

    public static List<String> fetchAll(Context parent, List<String> keys, int limit, Fetcher fetcher)
            throws InterruptedException, ExecutionException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        String[] results = new String[keys.size()];
        CancellableContext ctx = Context.withCancel(parent);
        ExecutorService pool = Executors.newFixedThreadPool(limit, Thread.ofVirtual().factory());
        CompletionService<Void> completed = new ExecutorCompletionService<>(pool);
        try {
            for (int i = 0; i < keys.size(); i++) {
                int slot = i;
                String key = keys.get(i);
                completed.submit(() -> {
                    ctx.throwIfDone();
                    results[slot] = fetcher.fetch(ctx, key);
                    return null;
                });
            }
            for (int i = 0; i < keys.size(); i++) {
                completed.take().get(); // the first failure to complete throws here: fail fast
            }
            return List.of(results);
        } finally {
            ctx.cancel();       // tell the rest to stop...
            pool.shutdownNow(); // ...and stop them: no need to wait for fetches whose results nobody wants
        }
    }
}
