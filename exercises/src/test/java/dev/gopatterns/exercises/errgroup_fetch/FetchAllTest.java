package dev.gopatterns.exercises.errgroup_fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `errgroup_fetch`: what {@link FetchAll#fetchAll} must do, checked through a fetcher the test controls.
 *
 * <p>Each key has a part to play: answer at once, answer when the test says, fail, or be slow (wait until its
 * context ends). The fetcher counts how many fetches run at once, and writes down for each key the context it was
 * given and whether its call had returned when {@code fetchAll} did. The test orders events by waiting for them
 * (a fetch has started, a fetch has returned), never by sleeping; each call is given at most a second to end.
 *
 * <p>How to run: {@code ./learn check errgroup_fetch}
 */
@HangTimeout(seconds = 8) // above Await's 5 s, so a fetch that never starts fails with Await's plain message
@DisplayName("Exercise `errgroup_fetch`: fetch in parallel with an errgroup, and fail fast")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class FetchAllTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("fetchAll returns every value in the order of the keys, not the order the fetches finish")
    void resultsInKeyOrder() throws Exception {
        try (Fetches f = new Fetches()) {
            List<String> keys = List.of("a", "b", "c", "d");
            keys.forEach(k -> f.part(k, Part.ANSWERS_WHEN_TOLD));
            try (Background<List<String>> call = f.start(keys, 4)) {
                f.awaitRunning(4, call, "with a limit of 4, all 4 fetches should run at once");
                for (String key : keys.reversed()) { // finish them last to first
                    f.finish(key, call);
                }

                List<String> got = f.await(call, "the last fetch had returned");

                assertThat(got).as("the values, in the order of the keys (the fetches finished d, c, b, a)")
                        .containsExactly("A", "B", "C", "D");
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("at most `limit` fetches run at once, and that many do")
    void atMostLimitAtOnce() throws Exception {
        try (Fetches f = new Fetches()) {
            List<String> keys = List.of("a", "b", "c", "d", "e", "f");
            keys.forEach(k -> f.part(k, Part.ANSWERS_WHEN_TOLD));
            try (Background<List<String>> call = f.start(keys, 2)) {
                for (int finished = 0; finished < keys.size(); finished++) {
                    int due = Math.min(2, keys.size() - finished);
                    f.awaitRunning(due, call, "with a limit of 2, and " + (keys.size() - finished) + " fetches to"
                            + " go, " + due + " should be running");
                    int running = f.active.get();
                    assertThat(running).as("with a limit of 2, at most 2 fetches may run at once, but %d were"
                            + " running: call g.setLimit(limit) before the first g.go", running)
                            .isLessThanOrEqualTo(2);
                    f.finish(f.oldestRunning(), call);
                }

                List<String> got = f.await(call, "every fetch had returned");

                assertThat(f.maxActive.get()).as("with a limit of 2, at most 2 fetches may run at once, but %d"
                        + " did at one moment", f.maxActive.get()).isLessThanOrEqualTo(2);
                assertThat(got).as("every value, in the order of the keys").containsExactly("A", "B", "C", "D",
                        "E", "F");
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("the first failure cancels the fetches in flight, and fetchAll throws only after they have"
            + " returned")
    void firstFailureCancelsTheRest() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("a", Part.SLOW);
            f.part("b", Part.FAILS_WHEN_TOLD);
            f.part("c", Part.SLOW);
            try (Background<List<String>> call = f.start(List.of("a", "b", "c"), 3)) {
                f.awaitRunning(3, call, "with a limit of 3, all 3 fetches should run at once");

                f.tell("b");

                ExecutionException e = f.awaitFailure(call, "fetch 'b' had failed");
                assertThat(e.getCause()).as("the cause must be fetch 'b''s failure, the first (and only) one")
                        .isSameAs(f.call("b").thrown);
                for (String key : List.of("a", "c")) {
                    Call c = f.call(key);
                    assertThat(c.returned).as("fetch '%s' was still running when fetchAll threw: it must wait"
                            + " until every fetch has returned (g.await() does), so nothing outlives the call",
                            key).isTrue();
                    assertThat(c.errAtReturn).as("fetch '%s' stopped, but the context it was given had not"
                            + " ended: give every fetch the group's context, g.context(), which the first failure"
                            + " cancels (ErrGroup.withContext(parent))", key).isPresent();
                    assertThat(c.ctx).as("fetch '%s' was given the parent context itself; give it the group's,"
                            + " g.context()", key).isNotSameAs(f.parent);
                }
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("the first error is the one reported, not the errors that come after it")
    void firstErrorReported() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("a", Part.SLOW_THEN_FAILS);
            f.part("b", Part.FAILS_WHEN_TOLD);
            f.part("c", Part.SLOW);
            try (Background<List<String>> call = f.start(List.of("a", "b", "c"), 3)) {
                f.awaitRunning(3, call, "with a limit of 3, all 3 fetches should run at once");

                f.tell("b");

                ExecutionException e = f.awaitFailure(call, "fetch 'b' had failed");
                assertThat(e.getCause()).as("b failed first; a failed with an error of its own only after b's"
                        + " failure had cancelled it, and c stopped with the cancellation. The error reported must"
                        + " be the first: %s", f.call("b").thrown).isSameAs(f.call("b").thrown);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("whether it returns or throws, fetchAll waits until every fetch has returned, also fetches that take"
            + " a while to stop once their context has ended")
    void waitsForFetchesSlowToStop() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("bad", Part.FAILS_WHEN_TOLD);
            f.part("a", Part.LINGERS);
            f.part("b", Part.LINGERS);
            try (Background<List<String>> call = f.start(List.of("bad", "a", "b"), 3)) {
                f.awaitRunning(3, call, "with a limit of 3, all 3 fetches should run at once");

                f.tell("bad");

                Eventually.until(() -> (f.call("a").sawCancel && f.call("b").sawCancel) || call.isDone(), () ->
                        "fetches 'a' and 'b' to see their context end once fetch 'bad' had failed: give every fetch"
                        + " the group's context, g.context(), which the first failure cancels");
                // Both have seen the cancel, and neither returns until the test says. A fetchAll that waits for
                // them is now parked; one that does not has thrown, or soon will.
                f.awaitReturnedOrWaiting(call);
                f.tell("a");
                Await.until("fetch 'a' to return once told", () -> f.call("a").returned);
                f.awaitReturnedOrWaiting(call);
                f.tell("b");

                ExecutionException e = f.awaitFailure(call, "fetch 'bad' had failed and the others had returned");
                assertThat(e.getCause()).as("the cause must be fetch 'bad''s failure, the first one")
                        .isSameAs(f.call("bad").thrown);
            }
            List<String> running = f.runningWhenFetchAllReturned;
            if (running.containsAll(List.of("a", "b"))) {
                fail("fetchAll threw while fetches 'a' and 'b' were still stopping: they had seen their context"
                        + " end, and had not returned yet. Failing fast means cancelling the rest, not leaving"
                        + " them behind: whether it returns or throws, fetchAll must wait until every fetch has"
                        + " returned (g.await() does, and so does the group's close()), so that nothing it started"
                        + " outlives it");
            }
            assertThat(running).as("fetchAll threw once fetch 'a' had stopped, while %s was still running: wait"
                    + " for every fetch, not only some (g.await())", running).isEmpty();
        }
    }

    @Test
    @Order(6)
    @DisplayName("after the first failure, the fetches not started yet never start")
    void notStartedNeverStart() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("bad", Part.FAILS);
            List.of("k2", "k3", "k4").forEach(k -> f.part(k, Part.ANSWERS));
            try (Background<List<String>> call = f.start(List.of("bad", "k2", "k3", "k4"), 1)) {

                ExecutionException e = f.awaitFailure(call, "fetch 'bad' had failed");

                assertThat(e.getCause()).as("the failure of fetch 'bad'").isSameAs(f.call("bad").thrown);
                assertThat(f.started).as("with a limit of 1, fetch 'bad' ran alone and failed; the others had"
                        + " not started, and after the failure they must not: fetching with a context that is done"
                        + " is wasted work. g.go(...) starts a task even after the group has given up (as in Go), so"
                        + " begin each task with g.context().throwIfDone()").containsExactly("bad");
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("cancelling the parent cancels every fetch, and fetchAll reports the cancellation")
    void parentCancelled() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("a", Part.SLOW);
            f.part("b", Part.SLOW);
            try (Background<List<String>> call = f.start(List.of("a", "b"), 2)) {
                f.awaitRunning(2, call, "with a limit of 2, both fetches should run at once");

                f.parent.cancel();

                ExecutionException e = f.awaitFailure(call, "the parent context had been cancelled");
                assertThat(e.getCause()).as("the fetches stopped because the parent was cancelled, so the first"
                        + " error is that cancellation").isInstanceOf(ContextCanceledException.class);
                for (String key : List.of("a", "b")) {
                    assertThat(f.call(key).returned).as("fetch '%s' was still running when fetchAll threw",
                            key).isTrue();
                }
            }
        }
    }

    @Test
    @Order(8)
    @DisplayName("a limit below 1 is refused at once, with a message that names the rule")
    void limitBelowOneRefused() throws Exception {
        try (Fetches f = new Fetches()) {
            f.part("a", Part.ANSWERS);
            try (Background<List<String>> call = f.start(List.of("a"), 0)) {
                List<String> got = f.await(call, "it was called with a limit of 0");
                fail("fetchAll returned " + got + " for a limit of 0. A limit below 1 is not a bound (0 would let"
                        + " no fetch start, and ErrGroup takes a negative limit as \"no limit\"): throw"
                        + " IllegalArgumentException(\"limit must be >= 1, was 0\")");
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as("the message must name the rule, as in \"limit must be >= 1,"
                        + " was 0\"").contains("limit").contains("0");
                assertThat(f.started).as("nothing may be fetched when the limit is refused").isEmpty();
            }
        }
    }

    @Test
    @Order(9)
    @DisplayName("with no keys, fetchAll returns an empty list")
    void noKeys() throws Exception {
        try (Fetches f = new Fetches();
             Background<List<String>> call = f.start(List.of(), 3)) {
            List<String> got = f.await(call, "it was given no keys");

            assertThat(got).as("nothing to fetch, nothing returned").isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** How the fetch of one key behaves. */
    enum Part {
        /** Returns the key in upper case at once. */
        ANSWERS,
        /** Returns the key in upper case when the test says (or throws the context's error if it ends first). */
        ANSWERS_WHEN_TOLD,
        /** Throws at once. */
        FAILS,
        /** Throws when the test says (or the context's error if it ends first). */
        FAILS_WHEN_TOLD,
        /** Waits until its context ends, then throws the context's error. */
        SLOW,
        /** Waits until its context ends, then throws an error of its own. */
        SLOW_THEN_FAILS,
        /**
         * Waits until its context ends, then, interrupted or not, until the test says, and throws the context's
         * error: a fetch that must close a connection before it returns.
         */
        LINGERS
    }

    /** A fetch's own failure. */
    static final class FetchFailed extends Exception {
        FetchFailed(String message) {
            super(message);
        }
    }

    /** What one fetch saw and did. */
    static final class Call {
        volatile Context ctx;
        volatile Thread thread;
        volatile boolean returned;
        volatile Optional<ContextException> errAtReturn = Optional.empty();
        volatile Exception thrown;
        /** A {@code LINGERS} fetch has seen its context end. */
        volatile boolean sawCancel;
    }

    /**
     * The fetcher, and clean-up: on close it cancels the parent, lets every fetch go, and interrupts and joins any
     * fetch still running, so a test never leaves a thread behind, whatever fetchAll did.
     */
    static final class Fetches implements FetchAll.Fetcher, AutoCloseable {
        final CancellableContext parent = Context.withCancel(Context.background());
        final Map<String, Part> parts = new ConcurrentHashMap<>();
        final Map<String, Channel<Void>> gates = new ConcurrentHashMap<>();
        /** The keys whose gate has been opened. */
        final Set<String> told = ConcurrentHashMap.newKeySet();
        final Map<String, Call> calls = new ConcurrentHashMap<>();
        /** The keys in the order their fetches started. Guarded by itself. */
        final List<String> started = new ArrayList<>();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
        /** The keys whose fetch had not returned when fetchAll did, begun or not (set by {@link #start}). */
        volatile List<String> runningWhenFetchAllReturned = List.of();

        void part(String key, Part part) {
            parts.put(key, part);
            gates.put(key, Channel.unbuffered());
        }

        Call call(String key) {
            Call c = calls.get(key);
            assertThat(c).as("fetch '%s' was never called", key).isNotNull();
            return c;
        }

        @Override
        public String fetch(Context ctx, String key) throws Exception {
            Call c = new Call();
            c.ctx = ctx;
            c.thread = Thread.currentThread();
            if (calls.putIfAbsent(key, c) != null) {
                throw new AssertionError("fetch '" + key + "' was called twice: fetch each key once");
            }
            synchronized (started) {
                started.add(key);
            }
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                Part part = parts.get(key);
                if (part == null) {
                    throw new AssertionError("fetch was called with key '" + key + "', which is not one of the"
                            + " keys: " + parts.keySet());
                }
                return switch (part) {
                    case ANSWERS -> key.toUpperCase();
                    case ANSWERS_WHEN_TOLD -> {
                        awaitTold(ctx, key);
                        yield key.toUpperCase();
                    }
                    case FAILS -> throw (c.thrown = new FetchFailed("fetch '" + key + "' failed"));
                    case FAILS_WHEN_TOLD -> {
                        awaitTold(ctx, key);
                        throw (c.thrown = new FetchFailed("fetch '" + key + "' failed"));
                    }
                    case SLOW -> {
                        ctx.done().receiveOrClosed(); // returns once ctx is done, and never before
                        throw ctx.err().orElseThrow();
                    }
                    case SLOW_THEN_FAILS -> {
                        FetchFailed own = new FetchFailed("fetch '" + key + "' failed after it was cancelled");
                        try {
                            ctx.done().receiveOrClosed();
                        } catch (InterruptedException stoppedByInterrupt) {
                            own.addSuppressed(stoppedByInterrupt); // reported with the failure, not lost
                        }
                        throw (c.thrown = own);
                    }
                    case LINGERS -> {
                        awaitUninterruptibly(ctx.done());
                        c.sawCancel = true;
                        awaitUninterruptibly(gates.get(key));
                        throw ctx.err().orElseThrow();
                    }
                };
            } finally {
                active.decrementAndGet();
                c.errAtReturn = ctx.err();
                c.returned = true;
            }
        }

        private void awaitTold(Context ctx, String key) throws InterruptedException {
            boolean told = Select.select(gates.get(key).onReceiveOrClosed(r -> true), ctx.onDone(() -> false));
            if (!told) {
                throw ctx.err().orElseThrow();
            }
        }

        /** Waits until {@code ch} is closed, whatever interrupts come meanwhile; the flag is set again after. */
        private static void awaitUninterruptibly(ReceiveChannel<?> ch) {
            boolean interrupted = false;
            try {
                for (;;) {
                    try {
                        ch.receiveOrClosed();
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

        /** Lets a {@code *_WHEN_TOLD} fetch go on, or a {@code LINGERS} one return. */
        void tell(String key) {
            if (told.add(key)) {
                gates.get(key).close();
            }
        }

        /** Starts fetchAll in a thread of the test's own. */
        Background<List<String>> start(List<String> keys, int limit) {
            return Background.start("calls fetchAll", () -> {
                try {
                    return FetchAll.fetchAll(parent, keys, limit, this);
                } finally {
                    runningWhenFetchAllReturned = keys.stream()
                            .filter(k -> calls.get(k) == null || !calls.get(k).returned).toList();
                }
            });
        }

        /** Waits until fetchAll has ended, or its thread waits for something only the test can give. */
        void awaitReturnedOrWaiting(Background<List<String>> call) {
            call.awaitDoneOrBlocked(() -> "fetchAll's thread neither ended nor blocked within 5 s of its"
                    + " fetches seeing their context end: does it spin? Wait by blocking (g.await())");
        }

        /** Waits until at least {@code count} fetches are running, or fetchAll has ended (then reports how). */
        void awaitRunning(int count, Background<List<String>> call, String why) throws Exception {
            Eventually.until(() -> active.get() >= count || call.isDone(), () -> count + " fetches to be running"
                    + " at once (" + active.get() + " were): " + why + ". Start each fetch as a task of its own"
                    + " (g.go(...)) and wait only at the end");
            if (call.isDone()) {
                List<String> got;
                try {
                    got = call.await(ONE_SECOND, () -> "unreachable: the call is done");
                } catch (UnsupportedOperationException todo) {
                    throw todo;
                } catch (Exception e) {
                    throw new AssertionError("fetchAll threw " + e + " while " + count + " fetches should still"
                            + " have been running: " + why, e);
                }
                fail("fetchAll returned " + got + " while " + count + " fetches should still have been running: "
                        + why);
            }
        }

        /** The key of the fetch that started first among those still running and not yet told. */
        String oldestRunning() {
            synchronized (started) {
                return started.stream()
                        .filter(k -> !calls.get(k).returned && !told.contains(k))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no fetch is running"));
            }
        }

        /** Lets fetch {@code key} answer, and waits until it has returned. */
        void finish(String key, Background<List<String>> call) {
            tell(key);
            Await.until("fetch '" + key + "' to return", () -> calls.get(key).returned || call.isDone());
        }

        List<String> await(Background<List<String>> call, String after) throws Exception {
            return call.await(ONE_SECOND, () -> "fetchAll was still running 1 s after " + after + ": does it"
                    + " wait for something that will never come?");
        }

        /** Waits for fetchAll to throw; fails in plain words if it returns or hangs. */
        ExecutionException awaitFailure(Background<List<String>> call, String after) throws Exception {
            try {
                List<String> got = call.await(ONE_SECOND, () -> "fetchAll was still running 1 s after " + after
                        + ". The first failure must cancel the group's context, which every fetch was given, so"
                        + " that the fetches still running stop; then g.await() returns");
                fail("fetchAll returned " + got + " after " + after + ": it must throw an ExecutionException whose"
                        + " cause is the first failure (g.await() does)");
                throw new AssertionError("unreachable");
            } catch (ExecutionException e) {
                return e;
            }
        }

        @Override
        public void close() {
            parent.cancel();
            gates.keySet().forEach(this::tell);
            try {
                for (Call c : calls.values()) {
                    c.thread.interrupt();
                    c.thread.join(ONE_SECOND);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag
            }
        }
    }
}
