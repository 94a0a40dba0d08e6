package dev.gopatterns.exercises.waitgroup_once;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.waitgroup_once.ParallelLoader.Config;
import dev.gopatterns.testkit.HangTimeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `waitgroup_once`: the rules a {@link ParallelLoader} must follow. The source of the items and of the
 * configuration is played by {@link FakeSource}, which can hold a load or the config read until the test lets it
 * go, or make it fail. The threads are started by the test's own {@link ParallelLoader.Starter}s, so the test
 * decides when a started thread begins to run: {@link EagerStarter} returns only once the thread has run as far as
 * it can (it is parked in a held load, or has ended), {@link GatedStarter} starts threads that wait at a gate
 * before they run a single line of the task. So the windows where a WaitGroup is misused (an {@code add} inside
 * the thread, a {@code wait} before every thread is started) are opened on purpose, every run. Nothing sleeps.
 *
 * <p>How to run: {@code ./learn check waitgroup_once}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `waitgroup_once`: a parallel loader with a WaitGroup and a config loaded once")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ParallelLoaderTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final List<String> NAMES = List.of("a", "b", "c");

    @Test
    @Order(1)
    @DisplayName("loadAll loads every item with the config and returns the values in the order of the names")
    void loadsEveryItemInOrder() throws Exception {
        FakeSource source = new FakeSource();
        try (EagerStarter starter = new EagerStarter()) {
            ParallelLoader loader = new ParallelLoader(source, starter);
            List<String> got = Background.within(ONE_SECOND, "calls loadAll", () -> loader.loadAll(NAMES),
                    () -> "loadAll(a, b, c) did not return within 1 s, with loads that return at once");
            starter.assertNoneDied();
            assertThat(got).as("loadAll returned %s: it must return the value of each load, in the order of the"
                    + " names, and only once every thread has stored its value (wg.add(1) before each start,"
                    + " wg.await() before returning)", got).containsExactly("A@v1", "B@v1", "C@v1");
            assertThat(source.configCalls()).as("the config was read %d times for one batch: it is read once, by"
                    + " the first thread that needs it", source.configCalls()).isEqualTo(1);
            assertThat(source.loadCalls()).as("loads made for 3 names").isEqualTo(3);
        }
    }

    @Test
    @Order(2)
    @DisplayName("loadAll starts every thread before it waits, and waits until the last one has ended")
    void startsAllThenWaitsForEveryOne() throws Exception {
        FakeSource source = new FakeSource();
        source.hold("a", "b", "c");
        try (EagerStarter starter = new EagerStarter();
                Background<List<String>> call = Background.start("calls loadAll", () ->
                        new ParallelLoader(source, starter).loadAll(NAMES))) {
            try {
                // Every load is held. loadAll has done all it can once the three loads are running, or once it is
                // parked (waiting) between two starts, or once it has returned.
                Eventually.until(() -> source.inLoad() == 3 || call.isDone()
                                || (parked(call.thread()) && !starter.starting()),
                        () -> "loadAll to start its 3 loads (" + source.inLoad() + " are running)");
                if (call.isDone()) {
                    List<String> early = call.await(ONE_SECOND, () -> "loadAll did not end");
                    throw new AssertionError("loadAll returned " + early + " while " + source.inLoad() + " of its"
                            + " loads were still running: it must wait until every thread it started has ended,"
                            + " with wg.await()");
                }
                assertThat(source.inLoad()).as("loadAll waited after starting %d of its 3 loads, so the next one"
                        + " cannot start until that one ends: the loads run one after another. Start every thread"
                        + " first, then wait once: start every thread before wg.await()", source.inLoad())
                        .isEqualTo(3);
                for (int ended = 1; ended < NAMES.size(); ended++) {
                    String name = NAMES.get(ended - 1);
                    source.release(name);
                    source.awaitEnded(name);
                    Eventually.until(() -> call.isDone() || parked(call.thread()),
                            () -> "loadAll to go on waiting, or to return");
                    if (call.isDone()) {
                        List<String> early = call.await(ONE_SECOND, () -> "loadAll did not end");
                        throw new AssertionError("loadAll returned " + early + " after " + ended + " of its 3 loads"
                                + " had ended, while the others were still running: the WaitGroup must count every"
                                + " started thread (one wg.add(1) per thread, before its start(), or wg.add(n) once"
                                + " for n threads)");
                    }
                }
                source.release("c");
                List<String> got = call.await(ONE_SECOND, () -> "loadAll did not return within 1 s of its last"
                        + " load ending");
                assertThat(got).containsExactly(source.returned("a"), source.returned("b"), source.returned("c"));
            } finally {
                source.releaseAll();
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("loadAll waits even for threads that have not begun to run yet (wg.add before start)")
    void countsThreadsThatHaveNotBegun() throws Exception {
        FakeSource source = new FakeSource();
        try (GatedStarter starter = new GatedStarter();
                Background<List<String>> call = Background.start("calls loadAll", () ->
                        new ParallelLoader(source, starter).loadAll(NAMES))) {
            try {
                // The threads loadAll starts wait at the gate before their first line: none has run any of the task.
                Eventually.until(() -> call.isDone() || parked(call.thread()),
                        () -> "loadAll to wait for its threads, or to return (" + starter.started() + " started)");
                if (call.isDone()) {
                    List<String> early = call.await(ONE_SECOND, () -> "loadAll did not end");
                    throw new AssertionError("loadAll returned " + early + " while its " + starter.started()
                            + " threads had been started but had not yet begun to run (a thread may be scheduled"
                            + " long after start() returns): call wg.add(1) before starting the thread. An add inside"
                            + " the thread may come after wg.await() has seen a zero counter and returned");
                }
                starter.open();
                List<String> got = call.await(ONE_SECOND, () -> "loadAll did not return within 1 s of its threads"
                        + " being let run");
                starter.assertNoneDied();
                assertThat(got).containsExactly(source.returned("a"), source.returned("b"), source.returned("c"));
            } finally {
                starter.open();
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("a failed load does not hang loadAll: it throws that failure, once every thread has ended")
    void failedLoadIsThrownNotHung() throws Exception {
        FakeSource source = new FakeSource();
        IOException gone = new IOException("b is gone");
        source.fail("b", gone);
        try (EagerStarter starter = new EagerStarter()) {
            ParallelLoader loader = new ParallelLoader(source, starter);
            Throwable thrown = catchThrowable(() -> Background.within(ONE_SECOND, "calls loadAll",
                    () -> loader.loadAll(NAMES),
                    () -> "loadAll did not return within 1 s after the load of 'b' threw: that thread ended without"
                            + " wg.done(), so the counter never gets back to zero and wg.await() waits for ever."
                            + " Call wg.done() in a finally, so that it runs however the load ends"));
            if (thrown instanceof AssertionError hung) {
                throw hung;
            }
            starter.assertNoneDied();
            if (thrown != gone) {
                throw new AssertionError("the load of 'b' threw " + gone + ": loadAll must throw that same exception"
                        + " (after every thread has ended), not " + (thrown == null ? "return normally" : thrown),
                        thrown);
            }
            assertThat(source.loadCalls()).as("every item is loaded, the failing one included").isEqualTo(3);
        }
    }

    @Test
    @Order(5)
    @DisplayName("the config is read lazily: not when the loader is made, but by the first call that needs it")
    void configIsLazy() throws Exception {
        FakeSource source = new FakeSource();
        try (EagerStarter starter = new EagerStarter()) {
            ParallelLoader loader = new ParallelLoader(source, starter);
            assertThat(source.configCalls()).as("the constructor read the config: the config must be read lazily,"
                    + " when first needed (a loader that is never used never reads it)").isZero();
            assertThat(loader.loadAll(List.of())).as("loadAll of no names").isEmpty();
            assertThat(source.configCalls()).as("loadAll of no names needs no config: the config must be read"
                    + " lazily, when first needed").isZero();
            Config first = loader.config();
            assertThat(loader.config()).as("config() returns the same config every time").isSameAs(first);
            assertThat(source.configCalls()).as("config() called twice read the config %d times: it is read once",
                    source.configCalls()).isEqualTo(1);
        }
    }

    @Test
    @Order(6)
    @DisplayName("two first calls of config() at once read the config once, and both get it")
    void configReadOnceUnderARace() throws Exception {
        FakeSource source = new FakeSource();
        try (EagerStarter starter = new EagerStarter()) {
            ParallelLoader loader = new ParallelLoader(source, starter);
            source.holdNextConfig();
            try (Background<Config> first = Background.start("config() A", loader::config)) {
                try {
                    Eventually.until(() -> source.configReading() || first.isDone(),
                            () -> "config() to read the config from the source");
                    if (first.isDone()) {
                        Config early = first.await(ONE_SECOND, () -> "config() did not end");
                        throw new AssertionError("config() returned " + early + " without reading the config from"
                                + " the source");
                    }
                    // A is inside the config read: it has found no config yet, and has not stored one yet.
                    try (Background<Config> second = Background.start("config() B", loader::config)) {
                        Eventually.until(() -> second.isDone() || source.configCalls() >= 2 || parked(second.thread()),
                                () -> "the second config() to wait for the first, or to get past it");
                        source.releaseConfig();
                        Config a = first.await(ONE_SECOND, () -> "config() A did not return within 1 s of its read"
                                + " ending");
                        Config b = second.await(ONE_SECOND, () -> "config() B did not return within 1 s of A's read"
                                + " ending");
                        assertThat(source.configCalls()).as("two first calls of config() at once read the config %d"
                                + " times. The second came while the first was reading, found no config yet, and read"
                                + " it too: a null check is not a once. Use OnceValue (or Once), whose second caller"
                                + " waits for the first one's read", source.configCalls()).isEqualTo(1);
                        assertThat(b).as("both callers get the one config").isSameAs(a);
                    }
                } finally {
                    source.releaseConfig();
                }
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("if the config read fails, every call of config() throws that failure, and it is not read again")
    void configFailureIsEveryCallersResult() throws Exception {
        FakeSource source = new FakeSource();
        UncheckedIOException down = new UncheckedIOException(new IOException("config server down"));
        source.failConfig(down);
        try (EagerStarter starter = new EagerStarter()) {
            ParallelLoader loader = new ParallelLoader(source, starter);
            for (String call : List.of("the first", "a later")) {
                Config[] returned = new Config[1];
                Throwable thrown = catchThrowable(() -> returned[0] = loader.config());
                if (thrown != down) {
                    throw new AssertionError(call + " config() after the config read threw " + down + " "
                            + (thrown == null ? "returned " + returned[0] : "threw " + thrown)
                            + ": every caller must see the config load's failure, the same exception. A Once that"
                            + " stores the config in a field remembers only that it ran, not what happened; OnceValue"
                            + " remembers the failure too", thrown);
                }
            }
            assertThat(source.configCalls()).as("the config read ran %d times: it runs once, and its failure is"
                    + " every caller's result (as Go's sync.OnceValue re-panics with the same value)",
                    source.configCalls()).isEqualTo(1);
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** Whether {@code t} is parked: waiting for a lock, a latch or a condition. */
    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /**
     * The items and the config. A load returns the name in capitals and the config's version ("A@v1"); a config
     * read returns "v1", then "v2", ... A held load waits until released; a held config read, likewise.
     */
    private static final class FakeSource implements ParallelLoader.Source {
        private final AtomicInteger configCalls = new AtomicInteger();
        private final AtomicInteger loadCalls = new AtomicInteger();
        private final AtomicInteger inLoad = new AtomicInteger();
        private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
        private final Map<String, IOException> failing = new ConcurrentHashMap<>();
        private final Map<String, String> returned = new ConcurrentHashMap<>();
        private final Map<String, Thread> loadedBy = new ConcurrentHashMap<>();
        private volatile RuntimeException configFailure;
        private volatile boolean holdConfig;
        private final CountDownLatch configReading = new CountDownLatch(1);
        private final CountDownLatch configRelease = new CountDownLatch(1);

        void hold(String... names) {
            for (String name : names) {
                held.put(name, new CountDownLatch(1));
            }
        }

        void release(String name) {
            held.get(name).countDown();
        }

        void releaseAll() {
            held.values().forEach(CountDownLatch::countDown);
        }

        void fail(String name, IOException e) {
            failing.put(name, e);
        }

        void holdNextConfig() {
            holdConfig = true;
        }

        void releaseConfig() {
            configRelease.countDown();
        }

        void failConfig(RuntimeException e) {
            configFailure = e;
        }

        boolean configReading() {
            return configReading.getCount() == 0;
        }

        /** Waits until the thread that loaded {@code name} has ended. */
        void awaitEnded(String name) throws InterruptedException {
            Thread t = loadedBy.get(name);
            assertThat(t.join(ONE_SECOND)).as("the thread that loaded '%s' did not end within 1 s of its load"
                    + " returning", name).isTrue();
        }

        int configCalls() {
            return configCalls.get();
        }

        int loadCalls() {
            return loadCalls.get();
        }

        int inLoad() {
            return inLoad.get();
        }

        String returned(String name) {
            return returned.get(name);
        }

        @Override
        public Config config() {
            int n = configCalls.incrementAndGet();
            if (holdConfig) {
                holdConfig = false;
                configReading.countDown();
                awaitUninterruptibly(configRelease);
            }
            RuntimeException failure = configFailure;
            if (failure != null) {
                throw failure;
            }
            return new Config("v" + n);
        }

        @Override
        public String load(String name, Config config) throws IOException, InterruptedException {
            loadCalls.incrementAndGet();
            loadedBy.put(name, Thread.currentThread());
            inLoad.incrementAndGet();
            try {
                CountDownLatch hold = held.get(name);
                if (hold != null && !hold.await(5, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the load of '" + name + "' go");
                }
                IOException failure = failing.get(name);
                if (failure != null) {
                    throw failure;
                }
                String value = name.toUpperCase() + "@" + config.version();
                returned.put(name, value);
                return value;
            } finally {
                inLoad.decrementAndGet();
            }
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            try {
                for (;;) {
                    try {
                        if (!latch.await(5, TimeUnit.SECONDS)) {
                            throw new AssertionError("the test never let the config read go");
                        }
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Starts a virtual thread per task and notes what escaped a task; joins its threads when closed, so a test
     * leaves none behind.
     */
    private abstract static class TestStarter implements ParallelLoader.Starter, AutoCloseable {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final List<Throwable> died = new CopyOnWriteArrayList<>();

        Thread startWatched(Runnable task) {
            Thread t = Thread.ofVirtual().name("loader thread " + (threads.size() + 1)).start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    died.add(e);
                }
            });
            threads.add(t);
            return t;
        }

        int started() {
            return threads.size();
        }

        void assertNoneDied() {
            List<String> what = new ArrayList<>();
            died.forEach(e -> what.add(e.toString()));
            String hint = what.stream().anyMatch(s -> s.contains("negative WaitGroup counter"))
                    ? ": more done() than add(1). The WaitGroup must count every started thread: one wg.add(1) per"
                    + " thread, before its start()"
                    : ": a loader thread must catch what a load throws and hand it to loadAll, which throws it";
            assertThat(what).as("a loader thread ended with an exception%s", hint).isEmpty();
        }

        @Override
        public void close() throws InterruptedException {
            for (Thread t : threads) {
                t.join(ONE_SECOND);
            }
        }
    }

    /**
     * Returns from {@code start} only once the new thread has run as far as it can: it is parked (in a held
     * load) or has ended. So a test knows the thread's first lines have run. {@link #starting()} tells whether
     * loadAll's thread is inside {@code start}, where it waits for that.
     */
    private static final class EagerStarter extends TestStarter {
        private volatile boolean starting;

        @Override
        public void start(Runnable task) {
            starting = true;
            try {
                Thread t = startWatched(task);
                long deadline = System.nanoTime() + ONE_SECOND.toNanos();
                while (t.isAlive() && !parked(t) && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            } finally {
                starting = false;
            }
        }

        boolean starting() {
            return starting;
        }
    }

    /** Starts threads that wait at a gate before they run any of their task, until the test {@link #open}s it. */
    private static final class GatedStarter extends TestStarter {
        private final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public void start(Runnable task) {
            startWatched(() -> {
                try {
                    if (!gate.await(5, TimeUnit.SECONDS)) {
                        throw new AssertionError("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                task.run();
            });
        }

        void open() {
            gate.countDown();
        }
    }
}
