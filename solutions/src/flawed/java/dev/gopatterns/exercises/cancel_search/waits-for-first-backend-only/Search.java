/*
 * Flawed solution of exercise `cancel_search`.
 * Mistake: after the cancel, the search joins the first backend's thread only, taking its end as proof that the
 * cancel has reached them all; the others may still be running when it returns.
 * Verdict: not only one
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
        List<Thread> threads = new ArrayList<>();
        try {
            try (CancellableContext ctx = Context.withTimeout(parent, timeout)) {
                for (Backend backend : backends) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        try {
                            answers.send(backend.search(ctx, query));
                        } catch (Exception failed) {
                            // a backend that fails has not answered
                        }
                    }));
                }
                Optional<String> first = Select.select(answers.onReceive(Optional::of),
                        ctx.onDone(Optional::<String>empty));
                return first.orElseThrow(() -> ctx.err().orElseThrow());
            }
        } finally {
            threads.getFirst().join(); // the first has stopped, so the cancel got through: the rest stop too
        }
    }
}
