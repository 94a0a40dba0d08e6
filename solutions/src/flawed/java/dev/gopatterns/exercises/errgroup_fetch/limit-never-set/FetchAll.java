/*
 * Flawed solution of exercise `errgroup_fetch`.
 * Mistake: the limit is checked but never given to the group, so every fetch starts at once.
 * Verdict: call g.setLimit(limit) before the first g.go
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
        try (ErrGroup g = ErrGroup.withContext(parent)) {
            for (int i = 0; i < keys.size(); i++) {
                int slot = i;
                String key = keys.get(i);
                g.go(() -> {
                    Context ctx = g.context();
                    ctx.throwIfDone();
                    results[slot] = fetcher.fetch(ctx, key);
                });
            }
            g.await();
        }
        return List.of(results);
    }
}
