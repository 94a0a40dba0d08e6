package dev.gopatterns.exercises.crawler;

import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.List;
import java.util.Map;

/**
 * Exercise `crawler`, the capstone: a concurrent web crawler that puts a pool, a pipeline, cancellation and rate
 * limiting together.
 *
 * <p>The rules of {@link #crawl}:
 * <ol>
 *   <li>It fetches the root (depth 0) and every page linked from a page fetched, up to {@code depth} links from
 *       the root; the links of a page at {@code depth} are not followed.
 *   <li>Each URL is fetched at most once, however many pages link to it, even two fetched at the same moment.
 *   <li>At most {@code workers} fetches are in flight at once: a bounded pool of workers, not a thread per URL.
 *   <li>Every fetch first takes a token from one {@code Limiter(perSecond, burst, ctx.clock())}, shared by every
 *       worker.
 *   <li>A fetch that fails puts its URL and its error's message in {@link Crawl#errors()}; the crawl goes on.
 *   <li>It returns when every URL found has been crawled, not before, and not much after.
 *   <li>When {@code ctx} ends, every fetch and wait stops (they are given the crawl's context), and crawl throws
 *       the context's error. Every thread it started has ended when it returns or throws.
 *   <li>{@code workers < 1} is refused: {@code "workers must be >= 1, was 0"}.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check crawler}
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
     * {@code burst} ({@link dev.gopatterns.rate.Limiter#INF} for no limit).
     */
    public record Options(int depth, int workers, double perSecond, int burst) {}

    /** What a crawl found: the body of each page fetched, and the error message of each URL that failed. */
    public record Crawl(Map<String, String> pages, Map<String, String> errors) {}

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
        throw new UnsupportedOperationException("TODO: one Limiter on ctx.clock(), `workers` workers that take"
                + " URLs from a channel, wait for a token and fetch, and one coordinator that owns the seen set and"
                + " the pending count, hands out URLs, takes outcomes, and stops when nothing is pending or ctx"
                + " ends; then wait for every worker");
    }
}
