package dev.gopatterns.exercises.singleflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import java.io.IOException;
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
 * Exercise `singleflight`: the rules a {@link CoalescingLookup} must follow. The backend is played by
 * {@link FakeBackend}: it counts the fetches of each key, returns {@code key#n} for the n-th one (so a stale value
 * shows), and can hold every fetch of a key until the test releases it, or make the next fetch of a key fail. The
 * windows where calls overlap are made by holding a fetch, never by sleeping: the test starts the first call, waits
 * until its fetch is running, then starts the others and waits until each is either parked (waiting) or has got
 * past the first (fetched itself, or returned).
 *
 * <p>How to run: {@code ./learn check singleflight}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `singleflight`: coalesce duplicate requests")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoalescingLookupTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("get fetches the key's value from the backend")
    void fetches() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        String got = Background.within(ONE_SECOND, "get(a)", () -> lookup.get("a"),
                () -> "get(\"a\") did not return within 1 s, with a backend that answers at once");
        assertThat(got).as("get(\"a\") returns what the backend's fetch returned").isEqualTo("a#1");
        assertThat(backend.fetches("a")).as("fetches of 'a' for one get").isEqualTo(1);
    }

    @Test
    @Order(2)
    @DisplayName("a call for another key does not wait for a key whose fetch is running")
    void otherKeysDoNotWait() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        backend.hold("a");
        try (Background<String> a = Background.start("get(a)", () -> lookup.get("a"))) {
            try {
                awaitFetching(backend, "a", a);
                String b = Background.within(ONE_SECOND, "get(b)", () -> lookup.get("b"),
                        () -> "get(\"b\") did not return within 1 s while the fetch of 'a' was held: a call for another"
                                + " key must not wait. Is the whole get (or the whole fetch) under one lock?"
                                + " SingleFlight keeps one flight per key, and runs the fetch outside its lock");
                assertThat(b).isEqualTo("b#1");
                backend.release("a");
                assertThat(a.await(ONE_SECOND, () -> "get(\"a\") did not return within 1 s of its fetch being"
                        + " released")).isEqualTo("a#1");
            } finally {
                backend.releaseAll();
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("calls for a key whose fetch is running share that fetch and its value")
    void concurrentCallsShareOneFetch() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        backend.hold("a");
        List<Background<String>> calls = new ArrayList<>();
        try {
            calls.add(Background.start("get(a) 1", () -> lookup.get("a")));
            awaitFetching(backend, "a", calls.getFirst());
            // The first call's fetch is running, and held. Two more calls for the same key now come.
            for (int i = 2; i <= 3; i++) {
                Background<String> call = Background.start("get(a) " + i, () -> lookup.get("a"));
                calls.add(call);
                int expected = i;
                Eventually.until(() -> call.isDone() || parked(call.thread()) || backend.fetches("a") >= expected,
                        () -> "call " + expected + " of get(\"a\") to wait for the running fetch, or to get past it");
            }
            backend.release("a");
            List<String> got = new ArrayList<>();
            for (Background<String> call : calls) {
                got.add(call.await(ONE_SECOND, () -> "a get(\"a\") did not return within 1 s of the fetch being"
                        + " released"));
            }
            assertThat(backend.fetches("a")).as("3 calls of get(\"a\") at once, while the first one's fetch was"
                    + " running, made %d fetches: concurrent calls for one key must share one fetch. Are the later"
                    + " calls joining a flight of a SingleFlight of their own? It must be one field, shared by every"
                    + " call", backend.fetches("a")).isEqualTo(1);
            assertThat(got).as("every call that shared the fetch gets its value").containsExactly("a#1", "a#1", "a#1");
        } finally {
            backend.releaseAll();
            calls.forEach(Background::close);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a call after the key's fetch has ended fetches again: nothing is cached")
    void laterCallFetchesAgain() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        String first = Background.within(ONE_SECOND, "get(a)", () -> lookup.get("a"),
                () -> "get(\"a\") did not return within 1 s");
        String second = Background.within(ONE_SECOND, "get(a) again", () -> lookup.get("a"),
                () -> "a second get(\"a\") did not return within 1 s");
        assertThat(first).isEqualTo("a#1");
        assertThat(second).as("the second get(\"a\"), made after the first had returned, returned %s: nothing may be"
                + " cached. SingleFlight shares a fetch only while it runs; once it has ended, the next call must"
                + " fetch again and see fresh data (a cache, if you want one, is another layer with its own expiry)",
                second).isEqualTo("a#2");
        assertThat(backend.fetches("a")).as("fetches for two calls one after the other").isEqualTo(2);
    }

    @Test
    @Order(5)
    @DisplayName("when the shared fetch fails, every call that shared it throws that failure, the same exception")
    void failureIsShared() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        IOException down = new IOException("backend down for 'a'");
        backend.hold("a");
        backend.failNext("a", down);
        List<Background<String>> calls = new ArrayList<>();
        try {
            Background<String> leader = Background.start("get(a) 1", () -> lookup.get("a"));
            calls.add(leader);
            awaitFetching(backend, "a", leader);
            Background<String> follower = Background.start("get(a) 2", () -> lookup.get("a"));
            calls.add(follower);
            Eventually.until(() -> follower.isDone() || parked(follower.thread()) || backend.fetches("a") >= 2,
                    () -> "the second get(\"a\") to wait for the running fetch, or to get past it");
            backend.release("a");
            for (Background<String> call : List.of(leader, follower)) {
                String which = call == leader ? "the first get(\"a\"), whose fetch failed,"
                        : "the second get(\"a\"), which shared the failing fetch,";
                Throwable thrown = catchThrowable(() -> call.await(ONE_SECOND, () -> which + " did not return"
                        + " within 1 s of the fetch failing: every caller of the flight must get its failure."
                        + " Is the failure handed to the waiting calls (a future completed exceptionally, or"
                        + " SingleFlight, which does it for you)?"));
                if (thrown instanceof AssertionError hung) {
                    throw hung;
                }
                if (thrown != down) {
                    throw new AssertionError(which + " " + (thrown == null ? "returned normally"
                            : "threw " + thrown) + ": it must throw the flight's failure itself (" + down + "),"
                            + " the same exception, not a wrapper and not a value. Rethrow what"
                            + " SingleFlight.run throws as it is: catch IOException, InterruptedException and"
                            + " RuntimeException and throw them again", thrown);
                }
            }
            assertThat(backend.fetches("a")).as("two calls at once, the first one's fetch failing, made %d"
                    + " fetches: concurrent calls for one key must share one fetch, failures included",
                    backend.fetches("a")).isEqualTo(1);
        } finally {
            backend.releaseAll();
            calls.forEach(Background::close);
        }
    }

    @Test
    @Order(6)
    @DisplayName("after a failed fetch has ended, the next call fetches again: a failure is not kept either")
    void failureIsNotKept() throws Exception {
        FakeBackend backend = new FakeBackend();
        CoalescingLookup lookup = new CoalescingLookup(backend);
        IOException down = new IOException("backend down for 'a'");
        backend.failNext("a", down);
        Throwable first = catchThrowable(() -> Background.within(ONE_SECOND, "get(a)", () -> lookup.get("a"),
                () -> "get(\"a\") did not return within 1 s, with a fetch that fails at once"));
        if (first instanceof AssertionError hung) {
            throw hung;
        }
        if (first != down) {
            throw new AssertionError("get(\"a\") with a failing fetch must throw its failure, " + down + ", not "
                    + (first == null ? "return normally" : first), first);
        }
        Throwable second = catchThrowable(() -> Background.within(ONE_SECOND, "get(a) again", () -> lookup.get("a"),
                () -> "a second get(\"a\") did not return within 1 s"));
        if (second instanceof AssertionError hung) {
            throw hung;
        }
        if (second != null) {
            throw new AssertionError("the second get(\"a\"), made after the failed one had returned, threw " + second
                    + " with a backend that now answers: a failure must not be remembered. Once the failed flight has"
                    + " ended, the next call fetches again (is the flight removed only when the fetch succeeds?"
                    + " Remove it in a finally)", second);
        }
        assertThat(backend.fetches("a")).as("a failed fetch, then a new one").isEqualTo(2);
    }

    // --------------------------------------------------------------------------------------------- helpers

    /**
     * Waits until a fetch of {@code key} has begun in the backend. If {@code call} ends first, rethrows what it
     * threw (a TODO reads as one) or fails: it returned without fetching.
     */
    private static void awaitFetching(FakeBackend backend, String key, Background<String> call) throws Exception {
        Eventually.until(() -> backend.fetches(key) >= 1 || call.isDone(),
                () -> "get(\"" + key + "\") to call the backend's fetch");
        if (backend.fetches(key) == 0) {
            String got = call.await(ONE_SECOND, () -> "get did not end");
            throw new AssertionError("get(\"" + key + "\") returned " + got + " without calling the backend's fetch");
        }
    }

    /** Whether {@code t} is parked: waiting for a lock, a latch or a condition. */
    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /**
     * The backend. The n-th fetch of a key returns "key#n". While a key is held, its fetches wait until it is
     * released; a failure set with {@link #failNext} is thrown by the next fetch of its key, once.
     */
    private static final class FakeBackend implements CoalescingLookup.Backend {
        private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
        private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
        private final Map<String, IOException> failNext = new ConcurrentHashMap<>();

        void hold(String key) {
            held.put(key, new CountDownLatch(1));
        }

        void release(String key) {
            held.get(key).countDown();
        }

        void releaseAll() {
            held.values().forEach(CountDownLatch::countDown);
        }

        void failNext(String key, IOException e) {
            failNext.put(key, e);
        }

        int fetches(String key) {
            AtomicInteger n = fetches.get(key);
            return n == null ? 0 : n.get();
        }

        @Override
        public String fetch(String key) throws IOException, InterruptedException {
            int n = fetches.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            CountDownLatch hold = held.get(key);
            if (hold != null && !hold.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the fetch of '" + key + "'");
            }
            IOException failure = failNext.remove(key);
            if (failure != null) {
                throw failure;
            }
            return key + "#" + n;
        }
    }
}
