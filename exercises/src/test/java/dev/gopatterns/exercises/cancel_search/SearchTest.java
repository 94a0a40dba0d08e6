package dev.gopatterns.exercises.cancel_search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `cancel_search`: what {@link Search#search} must do, checked through backends the test controls.
 *
 * <p>The search's parent context has a {@link FakeClock} at its root ({@code Context.background(clock)}): time
 * stands still until the test advances it, so "the timeout passed first" is certain, not a race. A slow backend
 * waits until its context is done, so it returns only if the search cancels it; every backend writes down the
 * context it was given, its thread, and whether its call had returned. No test sleeps: each waits for the search
 * for at most a second.
 *
 * <p>How to run: {@code ./learn check cancel_search}
 */
@HangTimeout(seconds = 8) // above Await's 5 s, so a search that never asks its backends fails with Await's message
@DisplayName("Exercise `cancel_search`: cancel a slow search with a timeout")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class SearchTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("search returns the first answer, while the other backends are still waiting")
    void returnsTheFirstAnswer() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.answers("fast", "results for gopher");
            f.slow("slow-2");

            String got = f.search(() -> "search did not return within 1 s, although backend 'fast' answered at"
                    + " once. " + Fixture.STILL_WAITING);

            assertThat(got).as("the answer of the one backend that answered").isEqualTo("results for gopher");
            for (Replica r : f.replicas) {
                assertThat(r.calls.get()).as("backend '%s' must be asked exactly once", r.name).isEqualTo(1);
                assertThat(r.query).as("backend '%s' must be asked the search's query", r.name).isEqualTo("gopher");
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("every backend is asked at once, in a thread of its own, with a context derived from the parent")
    void everyBackendAskedAtOnce() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.slow("slow-2");
            f.slow("slow-3");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);

                List<Thread> threads = f.replicas.stream().map(r -> r.thread).distinct().toList();
                assertThat(threads).as("each backend must be asked in a thread of its own: a slow backend must"
                        + " not hold up the others").hasSize(3);
                assertThat(threads).as("a backend was asked in the thread that called search: start a new thread"
                        + " for each, and keep the caller free to wait for the first answer")
                        .doesNotContain(call.thread());
                for (Replica r : f.replicas) {
                    Context ctx = r.ctx;
                    assertThat(ctx).as("backend '%s' must get the context the search derived, not the parent"
                            + " itself", r.name).isNotSameAs(f.parent);
                    assertThat(ctx.clock()).as("backend '%s' got a context on another clock: derive it from the"
                            + " parent (Context.withTimeout(parent, timeout)), which carries the parent's clock",
                            r.name).isSameAs(f.clock);
                    assertThat(ctx.deadline()).as("backend '%s' must get a context whose deadline is the timeout"
                            + " from now on the parent's clock: Context.withTimeout(parent, timeout)", r.name)
                            .isEqualTo(OptionalLong.of(TIMEOUT.toNanos()));
                }
                f.clock.advance(TIMEOUT); // let the search end its own way: the timeout
                f.awaitEnd(call, DeadlineExceededException.class, "the timeout had passed on the clock");
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("when the timeout passes first, search throws DeadlineExceededException and every backend sees"
            + " its context end")
    void timeoutFirst() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.slow("slow-2");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);
                f.clock.advance(TIMEOUT.minusMillis(1));
                f.failIfReturned(call, "999 ms of its 1 s timeout had passed on the clock, and no backend had"
                        + " answered: it must wait until the timeout has passed");

                f.clock.advance(Duration.ofMillis(1));

                f.awaitEnd(call, DeadlineExceededException.class, "the timeout had passed on the clock");
                f.assertEveryBackendStopped(DeadlineExceededException.class);
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("an answer that comes just before the timeout still wins")
    void answerJustInTime() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow");
            Replica late = f.answersWhenTold("late", "late results");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);
                f.clock.advance(TIMEOUT.minusMillis(1));

                late.tell();

                String got = call.await(ONE_SECOND, () -> "search did not return within 1 s of backend 'late'"
                        + " answering, at 999 ms of its 1 s timeout. " + Fixture.STILL_WAITING);
                assertThat(got).as("the answer that came before the timeout").isEqualTo("late results");
            } catch (DeadlineExceededException e) {
                fail("search threw DeadlineExceededException when only 999 ms of its 1 s timeout had passed, and"
                        + " backend 'late' then answered: the context's deadline must be the whole timeout", e);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("cancelling the parent ends the search with ContextCanceledException, and reaches every backend")
    void parentCancelled() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.slow("slow-2");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);

                f.parent.cancel();

                f.awaitEnd(call, ContextCanceledException.class, "its parent context had been cancelled");
                f.assertEveryBackendStopped(ContextCanceledException.class);
            }
        }
    }

    @Test
    @Order(6)
    @DisplayName("a backend that fails has not answered: the search waits for another")
    void failureIsNotAnAnswer() throws Exception {
        try (Fixture f = new Fixture()) {
            Replica down = f.fails("down");
            Replica up = f.answersWhenTold("up", "results from up");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);
                Await.until("backend 'down' to fail", () -> down.returned || call.isDone());
                f.failIfReturned(call, "backend 'down' failed, and backend 'up' had not answered yet: a failure"
                        + " is not an answer, so the search must go on waiting for another");

                up.tell();

                String got = call.await(ONE_SECOND, () -> "search did not return within 1 s of backend 'up'"
                        + " answering. " + Fixture.STILL_WAITING);
                assertThat(got).as("the answer of the backend that did not fail").isEqualTo("results from up");
            } catch (Exception e) {
                if (!causedBy(e, ReplicaDown.class)) {
                    throw e;
                }
                fail("search threw backend 'down''s failure (" + e + "), but a backend that fails has not"
                        + " answered: another may still answer before the timeout, so wait for it", e);
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("when several backends answer, search returns one answer and no backend is left blocked")
    void severalAnswers() throws Exception {
        try (Fixture f = new Fixture()) {
            f.answers("a", "answer a");
            f.answers("b", "answer b");
            f.answers("c", "answer c");

            String got = f.search(() -> "search did not return within 1 s, although all three backends answered"
                    + " at once. Are the threads of the late answers stuck sending to a channel nobody receives"
                    + " from any more? Give the channel room for every answer (Channel.make(backends.size())), as"
                    + " Go's make(chan string, len(backends))");

            assertThat(got).as("one of the answers").isIn("answer a", "answer b", "answer c");
            f.assertEveryCallReturned();
        }
    }

    @Test
    @Order(8)
    @DisplayName("once it has an answer, the search cancels its context and waits until every backend has"
            + " returned")
    void cancelsAndWaitsAfterAnswer() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.answers("fast", "results for gopher");
            f.slow("slow-2");

            f.search(() -> "search did not return within 1 s, although backend 'fast' answered at once. "
                    + Fixture.STILL_WAITING);

            f.assertEveryCallReturned();
            f.assertEveryBackendStopped(ContextCanceledException.class);
            assertThat(f.clock.pendingTasks()).as("the timeout's timer was still scheduled on the clock after"
                    + " search returned: cancelling the context releases it").isZero();
        }
    }

    @Test
    @Order(9)
    @DisplayName("the search waits for every backend it started, also for backends that take a while to stop once"
            + " their context has ended")
    void waitsForBackendsSlowToStop() throws Exception {
        try (Fixture f = new Fixture()) {
            Replica first = f.lingers("slow-1");
            f.answers("fast", "results for gopher");
            Replica last = f.lingers("slow-2");
            try (Background<String> call = f.startSearch()) {
                Eventually.until(() -> (first.sawCancel && last.sawCancel) || call.isDone(), () -> "backends"
                        + " 'slow-1' and 'slow-2' to see their context end, once backend 'fast' had answered. The"
                        + " search must cancel the context it gave the backends as soon as it has an answer");
                if (call.isDone()) {
                    call.await(ONE_SECOND, () -> "unreachable: the call is done"); // what it threw, a TODO too
                }
                // Both have seen the cancel, and neither returns until the test says. A search that waits for them
                // is now parked; one that does not has returned, or soon will.
                f.awaitReturnedOrWaiting(call);
                first.tell();
                Await.until("backend 'slow-1' to return once told", () -> first.returned);
                f.awaitReturnedOrWaiting(call);
                last.tell();

                String got = call.await(ONE_SECOND, () -> "search did not return within 1 s of its last backend"
                        + " returning. " + Fixture.STILL_WAITING);
                assertThat(got).as("the answer of the one backend that answered").isEqualTo("results for gopher");
            }
            List<String> running = f.runningWhenSearchReturned;
            if (running.containsAll(List.of("slow-1", "slow-2"))) {
                fail("search returned while backends 'slow-1' and 'slow-2' were still stopping: they had seen"
                        + " their context end, and had not returned yet. Cancelling does not wait for the work to"
                        + " stop (Go: \"A CancelFunc does not wait for the work to stop\"): after the cancel, wait"
                        + " until every backend call has returned (close the executor that runs them, or join every"
                        + " thread you started), so that nothing the search started outlives it");
            }
            assertThat(running).as("search returned once backend 'slow-1' had stopped, while %s was still"
                    + " running: wait for every backend's call, not only one (close the executor that runs them, or"
                    + " join every thread you started)", running).isEmpty();
        }
    }

    @Test
    @Order(10)
    @DisplayName("interrupting the caller stops the search: it throws InterruptedException and every backend sees"
            + " its context end")
    void interrupted() throws Exception {
        try (Fixture f = new Fixture()) {
            f.slow("slow-1");
            f.slow("slow-2");
            try (Background<String> call = f.startSearch()) {
                f.awaitAllAsked(call);

                call.thread().interrupt();

                try {
                    String got = call.await(ONE_SECOND, () -> "search did not return within 1 s of its thread"
                            + " being interrupted. " + Fixture.STILL_WAITING);
                    fail("search returned \"" + got + "\" when interrupted, but no backend had answered: it must"
                            + " throw InterruptedException");
                } catch (InterruptedException expected) {
                    // the rule holds: the interrupt is reported, not swallowed
                }
                f.assertEveryCallReturned();
                f.assertEveryBackendStopped(ContextCanceledException.class);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The failure of a backend that is down. */
    static final class ReplicaDown extends Exception {
        ReplicaDown(String name) {
            super("backend '" + name + "' is down");
        }
    }

    /** A backend the test controls, which writes down how it was called and how its call ended. */
    static final class Replica implements Search.Backend {
        enum Kind { SLOW, ANSWERS, ANSWERS_WHEN_TOLD, FAILS, LINGERS }

        final String name;
        final Kind kind;
        final String answer;
        final Channel<Void> go = Channel.unbuffered(); // closed by tell()
        private final AtomicBoolean told = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        volatile Context ctx;
        volatile String query;
        volatile Thread thread;
        /** Why its context had ended when the call returned, if it had. */
        volatile Optional<ContextException> errAtReturn = Optional.empty();
        volatile boolean returned;
        /** A {@code LINGERS} backend has seen its context end. */
        volatile boolean sawCancel;

        Replica(String name, Kind kind, String answer) {
            this.name = name;
            this.kind = kind;
            this.answer = answer;
        }

        @Override
        public String search(Context ctx, String query) throws Exception {
            this.ctx = ctx;
            this.query = query;
            this.thread = Thread.currentThread();
            calls.incrementAndGet();
            try {
                return switch (kind) {
                    case ANSWERS -> answer;
                    case FAILS -> throw new ReplicaDown(name);
                    case SLOW -> {
                        ctx.done().receiveOrClosed(); // returns once ctx is done (closed), and never before
                        throw ctx.err().orElseThrow();
                    }
                    case ANSWERS_WHEN_TOLD -> {
                        boolean told = Select.select(go.onReceiveOrClosed(r -> true), ctx.onDone(() -> false));
                        if (!told) {
                            throw ctx.err().orElseThrow();
                        }
                        yield answer;
                    }
                    case LINGERS -> {
                        // Like a backend that must close a connection before it returns: it stops when its context
                        // ends, but returns only when the test says, interrupted or not.
                        awaitUninterruptibly(ctx.done());
                        sawCancel = true;
                        awaitUninterruptibly(go);
                        throw ctx.err().orElseThrow();
                    }
                };
            } finally {
                errAtReturn = ctx.err();
                returned = true;
            }
        }

        /** Lets an {@code ANSWERS_WHEN_TOLD} backend answer, or a {@code LINGERS} one return. */
        void tell() {
            if (told.compareAndSet(false, true)) {
                go.close();
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
    }

    /**
     * A parent context on a fake clock, the backends, and clean-up: on close it cancels the parent and interrupts
     * and joins any backend still running, so a test never leaves a thread behind, whatever the search did.
     */
    static final class Fixture implements AutoCloseable {
        static final String STILL_WAITING = "Are backends still waiting for their context to end? Cancel it"
                + " before you wait for their threads: try-with-resources closes its resources in reverse order, so"
                + " declare the context after the executor (Go: defer wg.Wait(); defer cancel())";

        final FakeClock clock = new FakeClock();
        final CancellableContext parent = Context.withCancel(Context.background(clock));
        final List<Replica> replicas = new ArrayList<>();
        /**
         * The backends whose call had not returned when the search did, begun or not (set by {@link #startSearch}).
         */
        volatile List<String> runningWhenSearchReturned = List.of();

        Replica slow(String name) {
            return add(new Replica(name, Replica.Kind.SLOW, null));
        }

        Replica answers(String name, String answer) {
            return add(new Replica(name, Replica.Kind.ANSWERS, answer));
        }

        Replica answersWhenTold(String name, String answer) {
            return add(new Replica(name, Replica.Kind.ANSWERS_WHEN_TOLD, answer));
        }

        Replica fails(String name) {
            return add(new Replica(name, Replica.Kind.FAILS, null));
        }

        /** A backend that stops when its context ends, but returns only once told ({@link Replica#tell}). */
        Replica lingers(String name) {
            return add(new Replica(name, Replica.Kind.LINGERS, null));
        }

        private Replica add(Replica r) {
            replicas.add(r);
            return r;
        }

        /** Starts the search for "gopher" with a 1 s timeout, in a thread of the test's own. */
        Background<String> startSearch() {
            List<Search.Backend> backends = List.copyOf(replicas);
            return Background.start("calls search", () -> {
                try {
                    return Search.search(parent, backends, "gopher", TIMEOUT);
                } finally {
                    runningWhenSearchReturned = replicas.stream().filter(r -> !r.returned)
                            .map(r -> r.name).toList();
                }
            });
        }

        /** Waits until the call has returned, or its thread waits for something only the test can give. */
        void awaitReturnedOrWaiting(Background<String> call) {
            call.awaitDoneOrBlocked(() -> "the search's thread neither returned nor blocked within 5 s"
                    + " of its backends seeing their context end: does it spin? Wait by blocking (close the executor,"
                    + " join the threads)");
        }

        /** Runs the search to its end, waiting at most a second. */
        String search(Supplier<String> ifStillRunning) throws Exception {
            try (Background<String> call = startSearch()) {
                return call.await(ONE_SECOND, ifStillRunning);
            }
        }

        /** Waits until every backend has been asked, or the search has ended (then reports how). */
        void awaitAllAsked(Background<String> call) throws Exception {
            Eventually.until(() -> asked() == replicas.size() || call.isDone(), () -> "all " + replicas.size()
                    + " backends to be asked at once (" + asked() + " were). Ask each in a thread of its own, so"
                    + " that a slow one cannot hold up the others");
            failIfReturned(call, "not every backend had been asked yet");
        }

        private long asked() {
            return replicas.stream().filter(r -> r.calls.get() > 0).count();
        }

        /** Fails if the search has ended already, saying how; a TODO in the stub is rethrown as it is. */
        void failIfReturned(Background<String> call, String when) throws Exception {
            if (call.isDone()) {
                String got;
                try {
                    got = call.await(ONE_SECOND, () -> "unreachable: the call is done");
                } catch (UnsupportedOperationException todo) {
                    throw todo;
                } catch (Exception e) {
                    if (causedBy(e, ReplicaDown.class)) {
                        throw e; // the test of failing backends words this one itself
                    }
                    throw new AssertionError("search threw " + e + " too early: " + when, e);
                }
                fail("search returned \"" + got + "\" too early: " + when);
            }
        }

        /** Waits for the search to end with {@code expected}; fails in plain words if it returns or hangs. */
        void awaitEnd(Background<String> call, Class<? extends ContextException> expected, String because)
                throws Exception {
            try {
                String got = call.await(ONE_SECOND, () -> "search was still waiting 1 s after " + because + ". It"
                        + " must stop when its context ends: wait for the first answer or ctx.onDone() in one"
                        + " select. " + STILL_WAITING);
                fail("search returned \"" + got + "\", but no backend answered: after " + because + " it must"
                        + " throw " + expected.getSimpleName() + " (the context's ctx.err())");
            } catch (ContextException e) {
                assertThat(e).as("search must throw the context's error, ctx.err(), after %s", because)
                        .isInstanceOf(expected);
            }
        }

        /** Every backend call had returned when the search did. */
        void assertEveryCallReturned() {
            for (Replica r : replicas) {
                assertThat(r.returned).as("backend '%s' was still running when search returned: the search must"
                        + " wait until every backend call has returned (close the executor, or join the threads),"
                        + " so that nothing it started outlives it", r.name).isTrue();
            }
        }

        /** Every backend that waited for its context stopped because the context ended, for that reason. */
        void assertEveryBackendStopped(Class<? extends ContextException> why) {
            for (Replica r : replicas) {
                if (r.kind != Replica.Kind.SLOW) {
                    continue;
                }
                assertThat(r.returned).as("backend '%s' was still waiting for its context to end when search"
                        + " returned: the search must cancel the context it gave the backends (closing it at the"
                        + " end of try-with-resources does), then wait for them", r.name).isTrue();
                assertThat(r.errAtReturn).as("backend '%s' stopped, but its context had not ended: it was"
                        + " interrupted or abandoned instead. Stop backends by cancelling the context they were"
                        + " given", r.name).isPresent();
                assertThat(r.errAtReturn.orElseThrow()).as("backend '%s''s context ended for the wrong reason",
                        r.name).isInstanceOf(why);
            }
        }

        @Override
        public void close() {
            parent.cancel();
            replicas.forEach(Replica::tell);
            try {
                for (Replica r : replicas) {
                    Thread t = r.thread;
                    if (t != null) {
                        t.interrupt();
                        t.join(ONE_SECOND);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag
            }
        }
    }
}
