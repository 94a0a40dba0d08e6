package dev.gopatterns.exercises.cancel_search;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.DeadlineExceededException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Exercise `cancel_search`, reference solution: a search that gives up when its time is up, and takes its backends with it.
 *
 * <p>Why nothing outlives the search: the try-with-resources block owns two resources, and closes them in the
 * reverse of the order they are declared. The context is declared last, so it is closed first: that cancel ends
 * every backend's context, and the backends, which return soon after their context is done, return. Then the
 * executor's {@code close()} waits for their threads. Declared the other way round, the executor would wait for
 * backends that are waiting for a cancel that comes only after the wait: a deadlock. It is Go's
 * {@code defer wg.Wait(); defer cancel()}, whose deferred calls also run last-in, first-out.
 *
 * <p>Why a late answer never blocks: the answers channel has a slot for every backend, so each can deliver its
 * answer and return even after the search has stopped listening. (Go's classic goroutine leak is the unbuffered
 * version of this channel: the losers of the race wait forever to send.)
 *
 * <p>Memory consistency: a backend's actions before it sends its answer happen-before the search's use of it;
 * everything the backends did happens-before {@code search} returns, because the executor's close waits for them.
 *
 * <p>How to run: {@code ./learn check cancel_search --solution}
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
        Channel<String> answers = Channel.make(backends.size()); // room for every answer: a late one never blocks
        // Closed in reverse order: first ctx (Go: defer cancel()), then the executor, which waits for every
        // backend's thread (Go: defer wg.Wait()).
        try (ExecutorService backendThreads = Executors.newVirtualThreadPerTaskExecutor();
             CancellableContext ctx = Context.withTimeout(parent, timeout)) {
            for (Backend backend : backends) {
                backendThreads.submit(() -> {
                    // A backend that throws has not answered; its failure stays in this task's Future.
                    answers.send(backend.search(ctx, query));
                    return null;
                });
            }
            Optional<String> first = Select.select(
                    answers.onReceive(Optional::of),        // case answer := <-answers: return answer
                    ctx.onDone(Optional::<String>empty));   // case <-ctx.Done(): return ctx.Err()
            return first.orElseThrow(() -> ctx.err().orElseThrow());
        }
    }
}
