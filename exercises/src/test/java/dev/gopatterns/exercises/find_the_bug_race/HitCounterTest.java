package dev.gopatterns.exercises.find_the_bug_race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `find_the_bug_race`: the rules a {@link HitCounter} must follow. As shipped it breaks one of them; these
 * tests say which, in plain words. The store is played by {@link HoldingStore}: it writes down every save, and can
 * hold the first one until the test lets it go.
 *
 * <p>A race is caught here by making it happen, not by hoping for it: the test holds the first hit inside its
 * save, between its read of the count and its write, and only then starts a second hit of the same page. A
 * counter whose hits take turns makes the second one wait (the test sees its thread parked); a racy one lets it
 * read the count the first has not written yet, every time.
 *
 * <p>How to run: {@code ./learn check find_the_bug_race}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `find_the_bug_race`: find the race in a hit counter")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HitCounterTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("two hits of one page at once both count, and the store ends with the last count")
    void twoHitsAtOnceBothCount() throws Exception {
        HoldingStore store = new HoldingStore(true);
        HitCounter counter = new HitCounter(store);
        try (Background<Long> first = Background.start("hit A", () -> counter.hit("home"))) {
            try {
                assertThat(store.firstSaving.await(1, TimeUnit.SECONDS))
                        .as("hit(\"home\") did not call store.save within 1 s: each hit must save its new count")
                        .isTrue();
                // Hit A is now inside its save: it has read the count and not yet written the new one.
                try (Background<Long> second = Background.start("hit B", () -> counter.hit("home"))) {
                    Eventually.until(() -> second.isDone() || store.saveCalls.get() >= 2 || parked(second.thread()),
                            () -> "the second hit to either wait for the first or get past it");
                    boolean overlapped = second.isDone() || store.saveCalls.get() >= 2;
                    store.release.countDown();
                    long a = first.await(ONE_SECOND, () -> "hit A did not return within 1 s of its save ending");
                    long b = second.await(ONE_SECOND, () -> "hit B did not return within 1 s of hit A ending");
                    assertThat(List.of(a, b)).as("two hits of 'home' at once returned %d and %d: a lost update."
                            + " The second hit %s while the first was between its read of the count and its write."
                            + " The read, the save and the write of one hit must not interleave with another's: they"
                            + " must take turns (a lock held across all three, Go's sync.Mutex, or one thread that"
                            + " owns the map)", a, b, overlapped ? "read the count" : "got in")
                            .containsExactlyInAnyOrder(1L, 2L);
                    assertThat(counter.count("home")).as("count(\"home\") after two hits: a lost update")
                            .isEqualTo(2L);
                    assertThat(store.saved.get("home")).as("the store holds %s for 'home' while the counter holds"
                            + " 2: the two saves overlapped and the older count landed last; the store was saved out"
                            + " of order. The save must be inside the same turn as the read and the write",
                            store.saved.get("home")).isEqualTo(2L);
                }
            } finally {
                store.release.countDown();
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("many handlers serving many requests: every hit counts, and the store agrees")
    void everyHitCounts() throws Exception {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(List.of("home", "about", "blog").get(i % 3));
        }
        HoldingStore store = new HoldingStore(false);
        HitCounter counter;
        try {
            counter = Background.within(Duration.ofSeconds(3), "calls serve", () -> HitCounter.serve(4, requests,
                    store), () -> "serve did not return within 3 s, with 300 instant requests");
        } catch (RuntimeException e) {
            throw new AssertionError("serve threw " + e + ": a handler broke the shared map. A HashMap written by"
                    + " several threads at once, with no lock, can lose updates or break; a lost update", e);
        }
        for (String page : List.of("home", "about", "blog")) {
            assertThat(counter.count(page)).as("100 hits of '%s' on 4 handlers: a lost update. Every hit must"
                    + " count, whichever thread makes it", page).isEqualTo(100L);
            assertThat(store.saved.get(page)).as("the store's count of '%s': the store was saved out of order",
                    page).isEqualTo(100L);
        }
        assertThat(store.saveCalls.get()).as("one save per hit").isEqualTo(300);
    }

    @Test
    @Order(3)
    @DisplayName("on one thread, hits count up from 1 and each is saved before hit returns")
    void oneThread() throws Exception {
        HoldingStore store = new HoldingStore(false);
        HitCounter counter = new HitCounter(store);
        assertThat(counter.count("home")).as("a page never hit").isZero();
        assertThat(counter.hit("home")).isEqualTo(1L);
        assertThat(store.saved.get("home")).as("saved before hit returned").isEqualTo(1L);
        assertThat(counter.hit("home")).isEqualTo(2L);
        assertThat(counter.hit("blog")).isEqualTo(1L);
        assertThat(counter.count("home")).isEqualTo(2L);
        assertThat(store.saved).isEqualTo(Map.of("home", 2L, "blog", 1L));
    }

    @Test
    @Order(4)
    @DisplayName("fewer than 1 handler is refused at once, with a message that names the rule")
    void zeroHandlersRefused() throws Exception {
        try {
            HitCounter.serve(0, List.of("home"), (page, count) -> {});
            fail("serve(0, ...) returned: with no handler no request would ever be served; it must throw"
                    + " IllegalArgumentException(\"handlers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("handlers must be >= 1");
        }
    }

    /** Whether {@code t} is parked: waiting for a lock, a channel or a condition. */
    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /**
     * A store that writes down every save: how many were called, and the count each page was left with (written
     * when a save ends, so an older save that ends last leaves the older count, as a real store would). If asked,
     * it holds the first save until {@link #release} is counted down.
     */
    private static final class HoldingStore implements HitCounter.Store {
        final AtomicInteger saveCalls = new AtomicInteger();
        final Map<String, Long> saved = new ConcurrentHashMap<>();
        final CountDownLatch firstSaving = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final boolean holdFirst;

        HoldingStore(boolean holdFirst) {
            this.holdFirst = holdFirst;
        }

        @Override
        public void save(String page, long count) throws InterruptedException {
            if (saveCalls.incrementAndGet() == 1 && holdFirst) {
                firstSaving.countDown();
                if (!release.await(5, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the first save go");
                }
            }
            saved.put(page, count);
        }
    }
}
