/*
 * Flawed solution of exercise `cancel_search`.
 * Mistake: the search waits for the first answer with a plain receive, so when no backend answers, neither the
 * timeout nor the parent's cancel ends the wait.
 * Verdict: wait for the first answer or ctx.onDone() in one select
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
        try (ExecutorService backendThreads = Executors.newVirtualThreadPerTaskExecutor();
             CancellableContext ctx = Context.withTimeout(parent, timeout)) {
            for (Backend backend : backends) {
                backendThreads.submit(() -> {
                    answers.send(backend.search(ctx, query));
                    return null;
                });
            }
            return answers.receive(); // the first answer
        }
    }
}
