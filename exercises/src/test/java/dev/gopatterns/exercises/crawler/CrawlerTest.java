package dev.gopatterns.exercises.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.crawler.Crawler.Crawl;
import dev.gopatterns.exercises.crawler.Crawler.Options;
import dev.gopatterns.exercises.crawler.Crawler.Page;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.testkit.HangTimeout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `crawler`: what {@link Crawler#crawl} must do, on a fake in-memory web ({@link FakeWeb}) whose pages can
 * be held (a fetch of a held page blocks until the test lets it go, or its context ends), can fail, and write
 * down each fetch: when (on the {@link FakeClock}), in which thread, and how many were running at once.
 *
 * <p>Where a rule says something must never happen (a second fetch of one URL, a third fetch in flight with two
 * workers, a return while a fetch runs), the test first brings about the state in which a broken crawler does it
 * at once, then gives it a bounded grace of {@value #GRACE_MS} ms of yielding (not sleeping) to show itself.
 *
 * <p>How to run: {@code ./learn check crawler}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `crawler`: a crawler with a pool, a pipeline, cancellation and rate limiting")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrawlerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final long GRACE_MS = 300;
    private static final String TERMINATION = "Count each URL once, when it is first seen; count it down only"
            + " once its outcome is in and its new links are counted; the crawl is over when the count is 0";

    @Test
    @Order(1)
    @DisplayName("crawls to the depth asked, each URL fetched once, links back to seen pages followed no further")
    void crawlsToDepth() throws Exception {
        FakeWeb web = new FakeWeb()
                .page("a", "b", "c").page("b", "c", "d").page("c", "a", "e").page("d", "f").page("e")
                .page("f", "g").page("g");
        Crawl crawl = web.crawl(new Options(2, 3, Limiter.INF, 1));
        web.checkFetchedOnce();
        assertThat(crawl.pages().keySet()).as("the pages within 2 links of 'a' (f is 3 away); one missing means it returned before every URL was"
                        + " crawled")
                .containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(crawl.pages()).as("each page's body").containsEntry("c", "body of c");
        assertThat(crawl.errors()).isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("two pages fetched at once that link the same URL: it is fetched once")
    void sameLinkFetchedOnce() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p", "q").page("p", "s").page("q", "s").page("s");
        web.hold("s");
        try (Background<Crawl> call = web.start(new Options(2, 3, Limiter.INF, 1))) {
            try {
                awaitWhileCrawling(call, () -> web.running("s") && web.returned("p") && web.returned("q"), () -> "'p'"
                        + " and 'q' fetched and 's' being fetched (fetched: " + web.fetchCounts() + ")");
                // Both p and q have linked s, and two workers are free: a crawler that can fetch s twice does now.
                happensWithinGrace(() -> web.fetches("s") > 1);
                assertThat(web.fetches("s")).as("'s', linked from both 'p' and 'q', was fetched %d times: it fetched"
                        + " a URL twice. Mark a URL seen when its link is first found, not when its page arrives, in"
                        + " one step that says whether it was new (one thread owns the seen set, or Set.add's result"
                        + " under a lock)", web.fetches("s")).isEqualTo(1);
            } finally {
                web.releaseAll();
            }
            Crawl crawl = call.await(ONE_SECOND, () -> "crawl did not return within 1 s of its last fetch ending: it"
                    + " never noticed the crawl had ended. " + TERMINATION);
            assertThat(crawl.pages().keySet()).containsExactlyInAnyOrder("r", "p", "q", "s");
        }
        web.checkFetchedOnce();
    }

    @Test
    @Order(3)
    @DisplayName("at most `workers` fetches are in flight at once")
    void boundedConcurrency() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p1", "p2", "p3", "p4", "p5", "p6");
        for (int i = 1; i <= 6; i++) {
            web.page("p" + i);
            web.hold("p" + i);
        }
        try (Background<Crawl> call = web.start(new Options(1, 2, Limiter.INF, 1))) {
            try {
                awaitWhileCrawling(call, () -> web.active.get() >= 2, () -> "2 fetches of r's 6 links to be running"
                        + " at once, with 2 workers (" + web.active.get() + " were)");
                happensWithinGrace(() -> web.maxActive.get() > 2);
                assertThat(web.maxActive.get()).as("%d fetches were in flight at once with 2 workers: more fetches in"
                        + " flight than workers (unbounded concurrency). Start `workers` workers that take URLs from"
                        + " a channel, not a thread per URL", web.maxActive.get()).isLessThanOrEqualTo(2);
            } finally {
                web.releaseAll();
            }
            Crawl crawl = call.await(ONE_SECOND, () -> "crawl did not return within 1 s of its last fetch ending: it"
                    + " never noticed the crawl had ended. " + TERMINATION);
            assertThat(crawl.pages()).hasSize(7);
        }
        assertThat(web.maxActive.get()).as("more fetches in flight than workers").isLessThanOrEqualTo(2);
    }

    @Test
    @Order(4)
    @DisplayName("fetches start at the rate asked, however many workers are free: one limiter, shared")
    void rateLimited() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p1", "p2", "p3", "p4").page("p1").page("p2").page("p3").page("p4");
        try (Background<Crawl> call = web.start(new Options(1, 4, 2, 1))) {
            for (int k = 0; k <= 4; k++) {
                long now = 500L * k;
                int due = k + 1;
                awaitWhileCrawling(call, () -> web.starts().size() >= due, () -> due + " fetches to have started by " + now
                        + " ms (" + web.starts().size() + " had, at " + web.starts() + " ms), with 2 a second and a"
                        + " burst of 1: wait for a token with limiter.await(ctx) on a Limiter made on ctx.clock()");
                int waiting = 4 - k;
                happensWithin(ONE_SECOND, () -> web.starts().size() > due || web.clock.pendingTasks() >= waiting);
                assertThat(web.starts()).as("the rate was exceeded: %d fetches had started by %d ms (at %s ms), but 2"
                        + " a second with a burst of 1 allows %d. Every fetch takes a token first, from one Limiter"
                        + " shared by every worker (not one per worker, each with a full bucket)", web.starts().size(),
                        now, web.starts(), due).hasSize(due);
                if (k < 4) {
                    web.clock.advance(Duration.ofMillis(500));
                }
            }
            Crawl crawl = call.await(ONE_SECOND, () -> "crawl did not return within 1 s of its last fetch ending: it"
                    + " never noticed the crawl had ended. " + TERMINATION);
            assertThat(crawl.pages()).hasSize(5);
        }
        assertThat(web.starts()).as("the fetch start times, in ms").containsExactly(0L, 500L, 1000L, 1500L, 2000L);
    }

    @Test
    @Order(5)
    @DisplayName("a fetch that fails is reported in errors, and the crawl goes on")
    void errorsAreNotFatal() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p", "q").page("p", "x").page("q", "s").page("s").page("x");
        web.failing.add("p");
        Crawl crawl;
        try {
            crawl = web.crawl(new Options(2, 2, Limiter.INF, 1));
        } catch (UnsupportedOperationException todo) {
            throw todo;
        } catch (RuntimeException e) {
            throw new AssertionError("crawl threw " + e + " when the fetch of 'p' failed: one failing fetch stopped"
                    + " the crawl. An error of one URL goes in Crawl.errors, and the others are still crawled", e);
        }
        assertThat(crawl.pages().keySet()).as("the pages crawled when the fetch of 'p' failed: one failing fetch"
                + " stopped the crawl, or part of it").containsExactlyInAnyOrder("r", "q", "s");
        assertThat(crawl.errors()).as("the failing URL and its error's message").containsOnlyKeys("p");
        assertThat(crawl.errors().get("p")).contains("500");
    }

    @Test
    @Order(6)
    @DisplayName("the crawl returns only once every URL is crawled, not while a fetch is still running")
    void noEarlyReturn() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p").page("p");
        web.hold("r");
        try (Background<Crawl> call = web.start(new Options(1, 2, Limiter.INF, 1))) {
            try {
                awaitWhileCrawling(call, () -> web.running("r"), () -> "the fetch of the root 'r' to start");
                happensWithinGrace(call::isDone);
                assertThat(call.isDone()).as("crawl returned while the fetch of the root was still running: it"
                        + " returned before every URL was crawled. " + TERMINATION).isFalse();
            } finally {
                web.releaseAll();
            }
            Crawl crawl = call.await(ONE_SECOND, () -> "crawl did not return within 1 s of its last fetch ending: it"
                    + " never noticed the crawl had ended. " + TERMINATION);
            assertThat(crawl.pages().keySet()).as("returned before every URL was crawled")
                    .containsExactlyInAnyOrder("r", "p");
        }
    }

    @Test
    @Order(7)
    @DisplayName("cancelling the context stops every fetch, and every thread has ended when crawl throws")
    void cancellationStopsEverything() throws Exception {
        FakeWeb web = new FakeWeb().page("r", "p", "q", "t").page("p").page("q").page("t");
        web.hold("p", "q", "t");
        web.slowToStop.add("t");
        try (CancellableContext ctx = Context.withCancel(web.root);
                Background<Crawl> call = Background.start("calls crawl", () -> Crawler.crawl(ctx, "r",
                        new Options(1, 3, Limiter.INF, 1), web))) {
            try {
                awaitWhileCrawling(call, () -> web.active.get() >= 3, () -> "the 3 links of 'r' to be fetched at"
                        + " once (" + web.active.get() + " were)");
                ctx.cancel();
                boolean stopped = happensWithin(ONE_SECOND, () -> call.isDone()
                        || web.returned("p") && web.returned("q") && parked(call.thread()));
                if (!stopped) {
                    fail("1 s after the context was cancelled, %s: it kept crawling after its context was cancelled."
                            + " Give every fetch and every wait the crawl's context (or a child of it), and stop when"
                            + " it ends", web.returned("p") && web.returned("q") ? "crawl was still running"
                            : "the fetches of 'p' and 'q' were still running");
                }
                assertThat(call.isDone()).as("crawl returned while the fetch of 't' was still stopping: a fetch was"
                        + " still running after crawl returned. Cancel, then wait for every worker, then return")
                        .isFalse();
            } finally {
                web.releaseAll();
            }
            try {
                call.await(ONE_SECOND, () -> "crawl did not return within 1 s of its last fetch ending, after its"
                        + " context was cancelled");
                fail("crawl returned normally after its context was cancelled: it kept crawling after its context"
                        + " was cancelled. It must stop and throw the context's error");
            } catch (ContextCanceledException expected) {
                assertThat(web.active.get()).as("fetches still running when crawl threw: a fetch was still running"
                        + " after crawl returned").isZero();
            }
        }
        assertThat(web.startedAfterCancel).as("fetches started after the context was cancelled: it kept crawling"
                + " after its context was cancelled").isEmpty();
    }

    @Test
    @Order(8)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() throws Exception {
        try {
            Crawler.crawl(Context.background(), "r", new Options(1, 0, Limiter.INF, 1), (ctx, url) -> new Page("",
                    List.of()));
            fail("crawl with 0 workers returned: with no worker no page would ever be fetched; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Waits until {@code condition} holds while the crawl runs. If the crawl ends first, its exception is rethrown
     * as it is (a TODO reads as one), and a crawl that returned fails: it returned before every URL was crawled.
     */
    private static void awaitWhileCrawling(Background<Crawl> call, BooleanSupplier condition, Supplier<String> what)
            throws Exception {
        Eventually.until(() -> condition.getAsBoolean() || call.isDone(), what);
        if (!condition.getAsBoolean()) {
            Crawl crawl = call.await(ONE_SECOND, () -> "crawl had ended but did not return");
            fail("crawl returned %s while the test waited for %s: it returned before every URL was crawled. %s",
                    crawl, what.get(), TERMINATION);
        }
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /** Gives a broken crawler {@value #GRACE_MS} ms to do what it must not; whether it did. */
    private static boolean happensWithinGrace(BooleanSupplier bad) {
        return happensWithin(Duration.ofMillis(GRACE_MS), bad);
    }

    /** Yields (never sleeps) until {@code condition} holds or {@code limit} has passed; whether it held. */
    private static boolean happensWithin(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /**
     * The fake web: each page's links, pages that fail, pages held until released (or their context ends), and
     * pages slow to stop (held past their context's end until released). It writes down every fetch.
     */
    static final class FakeWeb implements Crawler.Fetcher {
        final FakeClock clock = new FakeClock();
        final Context root = Context.background(clock);
        private final Map<String, List<String>> links = new HashMap<>();
        private final Map<String, Channel<Void>> gates = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> slowToStop = ConcurrentHashMap.newKeySet();
        final Set<String> startedAfterCancel = ConcurrentHashMap.newKeySet();
        private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> ended = new ConcurrentHashMap<>();
        /** Guarded by itself: the fake time, in ms, at which each fetch started. */
        private final List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();

        FakeWeb page(String url, String... linksTo) {
            links.put(url, List.of(linksTo));
            return this;
        }

        void hold(String... urls) {
            for (String url : urls) {
                gates.put(url, Channel.make(0));
            }
        }

        void releaseAll() {
            for (Channel<Void> gate : gates.values()) {
                try {
                    gate.close();
                } catch (RuntimeException alreadyClosed) {
                    // released before
                }
            }
        }

        @Override
        public Page fetch(Context ctx, String url) throws Exception {
            if (ctx.err().isPresent()) {
                startedAfterCancel.add(url);
            }
            starts.add(Duration.ofNanos(clock.nanoTime()).toMillis());
            started.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                Channel<Void> gate = gates.get(url);
                if (gate != null) {
                    Select.select(gate.onReceiveOrClosed(r -> null), ctx.onDone(() -> null));
                    if (ctx.err().isPresent()) {
                        if (slowToStop.contains(url)) {
                            gate.receiveOrClosed(); // cleaning up: until the test lets it go
                        }
                        throw ctx.err().get();
                    }
                }
                if (failing.contains(url)) {
                    throw new IOException(url + ": 500 Internal Server Error");
                }
                List<String> out = links.get(url);
                if (out == null) {
                    throw new IOException(url + ": 404 Not Found");
                }
                return new Page("body of " + url, out);
            } finally {
                active.decrementAndGet();
                ended.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
            }
        }

        Crawl crawl(Options options) throws Exception {
            return Background.within(ONE_SECOND, "calls crawl", () -> Crawler.crawl(root, firstUrl(), options, this),
                    () -> "crawl did not return within 1 s on a web of instant pages (fetched: " + fetchCounts()
                            + "): it never noticed the crawl had ended. " + TERMINATION);
        }

        Background<Crawl> start(Options options) {
            return Background.start("calls crawl", () -> Crawler.crawl(root, firstUrl(), options, this));
        }

        private String firstUrl() {
            return links.containsKey("a") ? "a" : "r";
        }

        int fetches(String url) {
            AtomicInteger n = started.get(url);
            return n == null ? 0 : n.get();
        }

        boolean running(String url) {
            return fetches(url) > (ended.containsKey(url) ? ended.get(url).get() : 0);
        }

        boolean returned(String url) {
            return ended.containsKey(url) && ended.get(url).get() > 0;
        }

        Map<String, Integer> fetchCounts() {
            Map<String, Integer> counts = new HashMap<>();
            started.forEach((url, n) -> counts.put(url, n.get()));
            return counts;
        }

        List<Long> starts() {
            synchronized (starts) {
                return List.copyOf(starts);
            }
        }

        void checkFetchedOnce() {
            fetchCounts().forEach((url, n) -> assertThat(n).as("'%s' was fetched %d times: it fetched a URL twice."
                    + " Mark a URL seen when its link is first found, in one step that says whether it was new", url,
                    n).isEqualTo(1));
        }
    }
}
