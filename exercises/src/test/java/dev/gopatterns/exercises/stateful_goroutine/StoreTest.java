package dev.gopatterns.exercises.stateful_goroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `stateful_goroutine`: what {@link Store} must do. The state the test hands the store is a map that
 * writes down every thread that touches it, notices two threads inside it at once, and can hold the owner inside
 * it (on a key the test names) until the test lets it go: so the test can ask "who touched the state?" and can
 * open, every run, the windows in which a shared map races or an owner waits for a caller who has gone. Every call
 * is made in a thread of its own and bounded by a second; nothing sleeps. The owner must have ended when a test
 * returns.
 *
 * <p>How to run: {@code ./learn check stateful_goroutine}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `stateful_goroutine`: state owned by one thread")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("get and add answer from the state, which only the owner thread touches")
    void getAndAddGoThroughTheOwner() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        RecordingMap state = new RecordingMap();
        try (Closing store = new Closing(Store.start(ctx, state))) {
            assertThat(call("add(a, 2)", () -> store.it.add(ctx, "a", 2))).isEqualTo(2);
            assertThat(call("add(a, 3)", () -> store.it.add(ctx, "a", 3))).as("add returns the new value").isEqualTo(5);
            assertThat(call("get(a)", () -> store.it.get(ctx, "a"))).isEqualTo(5);
            assertThat(call("get(b)", () -> store.it.get(ctx, "b"))).as("a key with no value is 0").isEqualTo(0);
            assertThat(state.touchers()).as("the state was touched by a thread other than its owner: the callers of"
                    + " get and add ran in %d different threads and the state saw %s. Only the owner thread may touch"
                    + " the state; a caller sends it a request and waits for the answer. A lock around the map is"
                    + " not the rule here: there must be one owner", 4, state.touchers()).hasSize(1);
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("adds from many threads at once are applied one at a time: none is lost")
    void concurrentAddsAreNeverLost() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        RecordingMap state = new RecordingMap();
        // The owner is held in its first touch of n until every caller has come to the store, so that the adds
        // start all at once, every run: an add made of two requests (a get, then a put of the sum) then has the
        // others' requests queued between its two, and loses updates each time, not only on a lucky schedule.
        state.hold("n");
        try (Closing store = new Closing(Store.start(ctx, state))) {
            List<Background<Void>> callers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                callers.add(Background.start("adds", () -> {
                    for (int i = 0; i < 50; i++) {
                        store.it.add(ctx, "n", 1);
                    }
                    return null;
                }));
            }
            try {
                Eventually.until(() -> state.holding()
                                && callers.stream().allMatch(c -> c.isDone() || waiting(c.thread())),
                        () -> "the owner to start on key n while the 8 callers wait for it");
                state.release();
                for (Background<Void> c : callers) {
                    c.await(Duration.ofSeconds(3), () -> "50 adds did not end within 3 s");
                }
            } finally {
                state.release();
                for (Background<Void> c : callers) {
                    c.close();
                }
            }
            assertThat(call("get(n)", () -> store.it.get(ctx, "n"))).as("8 threads each added 1 fifty times, and"
                    + " some of the adds were lost: an update is one message to the owner: read-modify-write in two"
                    + " requests loses updates (a get, then a put of the sum, lets another caller's request in"
                    + " between). Send the owner an Add(key, delta) and let it do the sum").isEqualTo(400);
            assertThat(state.touchers()).as("the state was touched by a thread other than its owner (%s)",
                    state.touchers()).hasSize(1);
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(3)
    @DisplayName("a get while the owner is writing waits for the owner: nobody reads the state beside it")
    void aReadWaitsForTheOwner() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        RecordingMap state = new RecordingMap();
        state.hold("slow");
        try (Closing store = new Closing(Store.start(ctx, state));
             Background<Integer> writer = Background.start("adds slow", () -> store.it.add(ctx, "slow", 1))) {
            Eventually.until(state::holding, () -> "the owner to start writing key slow");
            try (Background<Integer> reader = Background.start("gets x", () -> store.it.get(ctx, "x"))) {
                Eventually.until(() -> state.raced() || reader.isDone() || waiting(reader.thread()),
                        () -> "the get to read the state, or to wait for the owner");
                assertThat(state.raced()).as("a get read the state outside its owner thread while the owner was"
                        + " writing it (two threads were in the map at once): every read, not only every write,"
                        + " must be a request to the owner, or it races with the owner's writes").isFalse();
                state.release();
                assertThat(writer.await(ONE_SECOND, () -> "add(slow) did not return 1 s after the owner was let go"))
                        .isEqualTo(1);
                assertThat(reader.await(ONE_SECOND, () -> "get(x) did not return 1 s after the owner was free"))
                        .isEqualTo(0);
            }
        } finally {
            state.release();
            ctx.cancel();
        }
    }

    @Test
    @Order(4)
    @DisplayName("a caller that gives up (its ctx ended) does not stop the owner, which answers into the buffer")
    void theOwnerNeverWaitsForACallerWhoLeft() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        CancellableContext gaveUp = Context.withCancel(Context.background());
        RecordingMap state = new RecordingMap();
        state.hold("slow");
        try (Closing store = new Closing(Store.start(ctx, state))) {
            try (Background<Integer> caller = Background.start("gets slow", () -> store.it.get(gaveUp, "slow"))) {
                Eventually.until(state::holding, () -> "the owner to start reading key slow");
                gaveUp.cancel(); // the caller gives up while the owner works on its request
                assertThatThrownBy(() -> caller.await(ONE_SECOND, () -> "get(slow) did not return 1 s after its ctx"
                        + " was cancelled: a caller must wait for the answer in a select with ctx.onDone()"))
                        .as("a caller whose ctx ends while it waits for the answer throws the context's error")
                        .isInstanceOf(ContextException.class);
            }
            state.release(); // the owner answers now, and nobody is there to read it
            assertThat(call("get(x)", () -> store.it.get(ctx, "x"), "the owner blocked replying to a caller that"
                    + " had given up: its reply channel must have room for the answer (Channel.make(1)), so that the"
                    + " owner never waits for a caller")).isEqualTo(0);
        } finally {
            state.release();
            gaveUp.cancel();
            ctx.cancel();
        }
    }

    @Test
    @Order(5)
    @DisplayName("the owner ends on close and when its ctx ends; calls after that fail at once")
    void theOwnerEndsOnCloseAndOnCtx() throws Exception {
        for (boolean byCtx : List.of(false, true)) {
            CancellableContext ctx = Context.withCancel(Context.background());
            LiveThreads threads = LiveThreads.mark();
            try {
                Store store = Store.start(ctx, new RecordingMap());
                assertThat(call("add(a, 1)", () -> store.add(ctx, "a", 1))).isEqualTo(1);
                String how = byCtx ? "its ctx was cancelled" : "the store was closed";
                if (byCtx) {
                    ctx.cancel();
                } else {
                    Background.within(ONE_SECOND, "closes", () -> {
                        store.close();
                        return null;
                    }, () -> "close did not return within 1 s: close stops the owner and waits for it");
                }
                Eventually.until(() -> threads.runningCodeOf(Store.class).isEmpty(), () -> "the owner thread to end"
                        + " after " + how + ": the owner thread must end when the store is closed or its ctx ends"
                        + " (select on the requests and on a done channel). Still running:\n" + describe(threads));
                Context other = Context.background();
                assertThatThrownBy(() -> call("get(a) after the end", () -> store.get(other, "a"),
                        "a get after " + how + " did not return within 1 s: a call must fail at once when the"
                                + " owner has ended, not wait for it"))
                        .as("a call after " + how + " throws IllegalStateException (\"store is closed\")")
                        .isInstanceOf(IllegalStateException.class);
                store.close(); // idempotent
            } finally {
                ctx.cancel();
            }
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static int call(String what, java.util.concurrent.Callable<Integer> c) throws Exception {
        return call(what, c, what + " did not return within 1 s: is the owner running, and does it answer every"
                + " request?");
    }

    private static int call(String what, java.util.concurrent.Callable<Integer> c, String ifHung) throws Exception {
        return Background.within(ONE_SECOND, what, c, () -> ifHung);
    }

    private static boolean waiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    private static String describe(LiveThreads threads) {
        StringBuilder sb = new StringBuilder();
        for (LiveThreads.Live t : threads.runningCodeOf(Store.class)) {
            sb.append(t.describe()).append('\n');
        }
        return sb.toString();
    }

    /** Closes the store when the test ends, within a second, so a store whose close hangs fails in words. */
    private static final class Closing implements AutoCloseable {
        final Store it;

        Closing(Store store) {
            this.it = store;
        }

        @Override
        public void close() throws Exception {
            Background.within(ONE_SECOND, "closes the store", () -> {
                it.close();
                return null;
            }, () -> "close did not return within 1 s: close stops the owner and waits for it; the owner thread"
                    + " must end when the store is closed");
        }
    }

    /**
     * The state: a map that writes down which threads touch it, notices two inside it at once, and holds the first
     * operation on the {@linkplain #hold held} key until {@link #release}.
     */
    static final class RecordingMap extends AbstractMap<String, Integer> {
        private final Map<String, Integer> map = new HashMap<>();
        private final Set<Thread> touchers = ConcurrentHashMap.newKeySet();
        private final AtomicInteger inside = new AtomicInteger();
        private final AtomicBoolean raced = new AtomicBoolean();
        private final AtomicBoolean holding = new AtomicBoolean();
        private final Channel<Void> gate = Channel.make(0);
        private volatile String held;

        void hold(String key) {
            held = key;
        }

        /** Whether the owner is held inside the map now. */
        boolean holding() {
            return holding.get();
        }

        void release() {
            try {
                gate.close();
            } catch (ChannelClosedException alreadyReleased) {
                // released before
            }
        }

        /** Whether two threads were ever inside the map at once. */
        boolean raced() {
            return raced.get();
        }

        List<String> touchers() {
            return touchers.stream().map(Thread::getName).sorted().toList();
        }

        private <V> V touch(Object key, Supplier<V> op) {
            touchers.add(Thread.currentThread());
            if (inside.incrementAndGet() > 1) {
                raced.set(true);
            }
            try {
                if (key != null && key.equals(held)) {
                    held = null; // the first operation on it only
                    holding.set(true);
                    try {
                        gate.receiveOrClosed();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        holding.set(false);
                    }
                }
                return op.get();
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public Integer get(Object key) {
            return touch(key, () -> map.get(key));
        }

        @Override
        public Integer getOrDefault(Object key, Integer otherwise) {
            return touch(key, () -> map.getOrDefault(key, otherwise));
        }

        @Override
        public boolean containsKey(Object key) {
            return touch(key, () -> map.containsKey(key));
        }

        @Override
        public Integer put(String key, Integer value) {
            return touch(key, () -> map.put(key, value));
        }

        @Override
        public Integer remove(Object key) {
            return touch(key, () -> map.remove(key));
        }

        @Override
        public Integer merge(String key, Integer value,
                             BiFunction<? super Integer, ? super Integer, ? extends Integer> f) {
            return touch(key, () -> map.merge(key, value, f));
        }

        @Override
        public Integer compute(String key, BiFunction<? super String, ? super Integer, ? extends Integer> f) {
            return touch(key, () -> map.compute(key, f));
        }

        @Override
        public int size() {
            return touch(null, map::size);
        }

        @Override
        public Set<Entry<String, Integer>> entrySet() {
            return touch(null, map::entrySet);
        }
    }
}
