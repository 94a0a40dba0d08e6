package dev.gopatterns.exercises.crawler;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.sync.WaitGroup;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Exercise `crawler`, the reference solution: a coordinator (the calling thread) owns the frontier, the set of
 * URLs seen and the count of URLs pending, with no lock, because no other thread touches them; {@code workers}
 * workers take URLs on {@code todo}, wait for a token of the one shared {@link Limiter}, fetch, and send the outcome
 * back on {@code done}.
 *
 * <p>Termination: {@code pending} counts the URLs handed out or queued whose outcome has not come back. A URL is
 * counted when it is first seen (so at most once), and uncounted only when its outcome has been received and its
 * new links counted, all in the coordinator: the count can reach 0 only when nothing is in flight and nothing is
 * queued, which is exactly when the crawl is over. Then {@code todo} is closed, the workers end, and the
 * coordinator waits for them.
 *
 * <p>Cancellation: the workers use a child context of the caller's, cancelled on every way out, so a worker
 * waiting for a token, fetching, or sending an outcome nobody reads any more stops; the coordinator then waits for
 * every worker (nothing outlives the call) and throws the context's error.
 */
public final class Crawler {

    /** The web, as the crawler sees it (in production HTTP; in the tests a fake in-memory web). */
    @FunctionalInterface
    public interface Fetcher {
        /** Fetches {@code url}. May block; should stop when {@code ctx} ends. */
        Page fetch(Context ctx, String url) throws Exception;
    }

    /** A fetched page: its body and the URLs it links to. */
    public record Page(String body, List<String> links) {}

    /**
     * How far and how fast: pages up to {@code depth} links from the root (the root is at depth 0), at most
     * {@code workers} fetches at once, at most {@code perSecond} fetches a second on average in bursts of up to
     * {@code burst} ({@link Limiter#INF} for no limit).
     */
    public record Options(int depth, int workers, double perSecond, int burst) {}

    /** What a crawl found: the body of each page fetched, and the error message of each URL that failed. */
    public record Crawl(Map<String, String> pages, Map<String, String> errors) {}

    private record Task(String url, int depth) {}

    private record Outcome(Task task, Page page, Exception error) {}

    private Crawler() {}

    /**
     * Crawls from {@code root}: fetches each URL at most once, up to {@code options.depth()} links away, with at
     * most {@code options.workers()} fetches at once, rate limited on {@code ctx}'s clock. A URL whose fetch fails
     * is reported in {@link Crawl#errors()} and the crawl goes on. Every thread it started has ended when it
     * returns or throws.
     *
     * @throws ContextException         if {@code ctx} ends before the crawl does
     * @throws IllegalArgumentException if {@code workers < 1} or {@code depth < 0}
     */
    public static Crawl crawl(Context ctx, String root, Options options, Fetcher fetcher)
            throws InterruptedException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(fetcher, "fetcher");
        if (options.workers() < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + options.workers());
        }
        if (options.depth() < 0) {
            throw new IllegalArgumentException("depth must be >= 0, was " + options.depth());
        }
        Limiter limiter = new Limiter(options.perSecond(), options.burst(), ctx.clock()); // one, shared
        Channel<Task> todo = Channel.make(0);
        Channel<Outcome> done = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        try (CancellableContext workCtx = Context.withCancel(ctx)) {
            try {
                for (int w = 0; w < options.workers(); w++) {
                    wg.go(() -> work(workCtx, limiter, fetcher, todo, done));
                }
                return coordinate(ctx, root, options.depth(), todo, done);
            } finally {
                workCtx.cancel(); // a worker blocked on a send or a token stops
                todo.close();     // a worker waiting for a URL stops
                wg.await();       // nothing outlives the call
            }
        }
    }

    /** The coordinator's loop: hands out URLs, takes outcomes, and stops when nothing is pending. */
    private static Crawl coordinate(Context ctx, String root, int maxDepth, Channel<Task> todo,
            Channel<Outcome> done) throws InterruptedException {
        Map<String, String> pages = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<Task> frontier = new ArrayDeque<>();
        seen.add(root);
        frontier.add(new Task(root, 0));
        int pending = 1; // seen, and its outcome not yet taken
        while (pending > 0) {
            Task next = frontier.peek();
            // With nothing to hand out there is no send case: only an outcome (or the end of ctx) can come.
            Outcome o = next == null
                    ? Select.select(done.onReceive(x -> x), ctx.onDone(() -> null))
                    : Select.select(todo.onSend(next, () -> null), done.onReceive(x -> x), ctx.onDone(() -> null));
            ctx.throwIfDone();
            if (o == null) {
                frontier.poll(); // the send case fired: that task is handed out
                continue;
            }
            if (o.error() != null) {
                errors.put(o.task().url(), String.valueOf(o.error().getMessage()));
            } else {
                pages.put(o.task().url(), o.page().body());
                if (o.task().depth() < maxDepth) {
                    for (String link : o.page().links()) {
                        if (seen.add(link)) {
                            frontier.add(new Task(link, o.task().depth() + 1));
                            pending++;
                        }
                    }
                }
            }
            pending--; // after its links are counted: so pending is 0 only when the crawl is over
        }
        return new Crawl(Map.copyOf(pages), Map.copyOf(errors));
    }

    /** A worker: for each URL, a token, a fetch, and the outcome sent back, until {@code todo} closes or ctx ends. */
    private static void work(Context ctx, Limiter limiter, Fetcher fetcher, Channel<Task> todo,
            Channel<Outcome> done) {
        try {
            for (;;) {
                Received<Task> r = ctx.receive(todo);
                if (!(r instanceof Received.Value<Task>(Task task))) {
                    return; // closed: the crawl is over
                }
                limiter.await(ctx);
                Outcome outcome;
                try {
                    outcome = new Outcome(task, fetcher.fetch(ctx, task.url()), null);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (ctx.err().isPresent()) {
                        return; // the fetch stopped because the crawl did: not an error of this URL
                    }
                    outcome = new Outcome(task, null, e); // reported, not fatal
                }
                ctx.send(done, outcome);
            }
        } catch (ContextException | InterruptedException e) {
            // the crawl is over or cancelled: stop; an interrupt is the caller's, keep it
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
