/*
 * Flawed solution of exercise `cancel_search`.
 * Mistake: the context is declared before the executor in the try-with-resources block, so the executor is closed
 * first: it waits for backends that wait for a cancel which comes only after the wait.
 * Verdict: declare the context after the executor
 */
package dev.gopatterns.exercises.cancel_search;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Exercise `cancel_search`, a flawed solution: see the header comment. */
public final class Search {

    private Search() {}

    /** One replica of the search service. */
    @FunctionalInterface
    public interface Backend {
        /** Answers {@code query}, or throws; returns or throws soon after {@code ctx} is done. */
        String search(Context ctx, String query) throws Exception;
    }

    public static String search(Context parent, List<Backend> backends, String query, Duration timeout)
            throws InterruptedException {
        Channel<String> answers = Channel.make(backends.size());
        try (CancellableContext ctx = Context.withTimeout(parent, timeout);
             ExecutorService backendThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Backend backend : backends) {
                backendThreads.submit(() -> {
                    answers.send(backend.search(ctx, query));
                    return null;
                });
            }
            Optional<String> first = Select.select(answers.onReceive(Optional::of),
                    ctx.onDone(Optional::<String>empty));
            return first.orElseThrow(() -> ctx.err().orElseThrow());
        }
    }
}
