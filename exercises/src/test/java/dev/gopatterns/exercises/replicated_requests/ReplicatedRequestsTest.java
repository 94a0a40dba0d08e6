package dev.gopatterns.exercises.replicated_requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.replicated_requests.ReplicatedRequests.AllReplicasFailedException;
import dev.gopatterns.exercises.replicated_requests.ReplicatedRequests.Replica;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `replicated_requests`: what {@link ReplicatedRequests#call} must do, with replicas played by the test ({@link Replicas}):
 * one answers at once, one fails at once, one answers or fails when the test releases it, and a slow one answers
 * only when its context is cancelled (then throws its error), taking, if the test says so, until released to
 * clean up. Each replica writes down the context it got, and when it started and ended. So the tests order events
 * by waiting for them, never by sleeping, and every wait is bounded.
 *
 * <p>How to run: {@code ./learn check replicated_requests}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `replicated_requests`: replicated requests")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedRequestsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String REQUEST = "GET /user/42";

    @Test
    @Order(1)
    @DisplayName("the first success is returned at once, without waiting for the slow replicas")
    void firstSuccessWinsWithoutWaitingForTheSlowest() throws Exception {
        try (Replicas r = new Replicas()) {
            List<Replica> replicas = List.of(r.slow("slow 1"), r.answers("fast", "reply from fast"),
                    r.slow("slow 2"));

            String got;
            try (Background<String> call = Background.start("calls call",
                    () -> ReplicatedRequests.call(r.root, REQUEST, replicas))) {
                call.thread().join(ONE_SECOND); // returns as soon as call does
                String why = r.whyStillRunning(); // read before a call still running is stopped
                got = call.await(Duration.ZERO, () -> why);
            }

            assertThat(got).as("the first success").isEqualTo("reply from fast");
            assertThat(r.requests()).as("every replica must get the same request").containsOnlyKeys("slow 1",
                    "fast", "slow 2").allSatisfy((name, request) -> assertThat(request).isEqualTo(REQUEST));
        }
    }

    @Test
    @Order(2)
    @DisplayName("the losers' contexts are cancelled, and call returns only once every replica has ended")
    void losersAreCancelledAndWaitedFor() throws Exception {
        try (Replicas r = new Replicas()) {
            List<Replica> replicas = List.of(r.answers("fast", "reply from fast"), r.slow("slow"));
            r.holdCleanup("slow"); // once cancelled, the slow replica takes until released to stop
            try (Background<Returned> call = Background.start("calls call", () -> {
                String reply = ReplicatedRequests.call(r.root, REQUEST, replicas);
                return new Returned(reply, r.running());
            })) {
                Eventually.until(() -> r.cleaning("slow") || call.isDone(), () -> "the slow replica to see its"
                        + " context cancelled once the fast one had answered");
                if (!r.cleaning("slow")) {
                    call.await(ONE_SECOND, () -> "unreachable: call is done"); // a TODO or an exception reads as one
                    Eventually.until(() -> r.cleaning("slow"), () -> "the losing replica's context to be cancelled"
                            + " (call returned \"reply from fast\", and the slow replica, which ends only when its"
                            + " context is cancelled, is still waiting): cancel the losers' context once one has"
                            + " answered, or their threads run on after call has returned");
                }
                // The slow replica is held in its cleanup. A call that waits for its replicas parks until it is
                // released; one that does not returns. Wait for one or the other before releasing, so that a call
                // that returns early is seen returning while the replica still runs (no race with the release).
                Thread caller = call.thread();
                Eventually.until(() -> call.isDone() || caller.getState() == Thread.State.WAITING
                        || caller.getState() == Thread.State.TIMED_WAITING, () -> "call to either return or wait for"
                        + " the slow replica");
                boolean returnedWhileCleaning = call.isDone();
                r.releaseCleanup("slow");
                Returned returned = call.await(ONE_SECOND, () -> "call did not return within 1 s of the last"
                        + " replica ending");

                assertThat(returnedWhileCleaning || !returned.stillRunning().isEmpty()).as("call returned while a"
                        + " cancelled replica was still running (%s): cancelling does not wait for the work to stop."
                        + " Wait for every replica's thread (a WaitGroup) before returning, so that nothing outlives"
                        + " the call", returned.stillRunning().isEmpty() ? List.of("slow") : returned.stillRunning())
                        .isFalse();
                assertThat(returned.reply()).isEqualTo("reply from fast");
            }
            assertThat(r.endError("slow")).as("the slow replica's context must have ended with"
                    + " ContextCanceledException: call cancels the losers").containsInstanceOf(
                    ContextCanceledException.class);
            assertThat(r.contextOf("slow")).as("each replica gets a child of the caller's context, not the"
                    + " caller's context itself").isNotSameAs(r.root);
            assertThat(r.root.isDone()).as("call must not cancel the caller's context, only the replicas' child"
                    + " context").isFalse();
        }
    }

    @Test
    @Order(3)
    @DisplayName("an error from one replica does not win while another may still succeed")
    void anErrorDoesNotWin() throws Exception {
        try (Replicas r = new Replicas()) {
            List<Replica> replicas = List.of(r.failsAtOnce("broken"), r.held("good", "reply from good"));
            try (Background<String> call = Background.start("calls call",
                    () -> ReplicatedRequests.call(r.root, REQUEST, replicas))) {
                Eventually.until(() -> r.ended("broken") && r.started("good") || call.isDone(),
                        () -> "the broken replica to fail and the good one to start");
                r.release("good");
                String got;
                try {
                    got = call.await(ONE_SECOND, () -> "call did not return within 1 s of the good replica"
                            + " answering");
                } catch (ReplicaDown | AllReplicasFailedException e) {
                    throw new AssertionError("call threw the broken replica's error (" + e + ") while the good"
                            + " replica could still succeed: an error must not win while another replica may still"
                            + " succeed. Keep the errors, and throw only when every replica has failed", e);
                }
                assertThat(got).as("the good replica's reply, though the broken one answered first")
                        .isEqualTo("reply from good");
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("when every replica fails, call throws AllReplicasFailedException with every error, in replica"
            + " order")
    void allFailReportsEveryError() throws Exception {
        try (Replicas r = new Replicas()) {
            List<Replica> replicas = List.of(r.held("a", null), r.failsAtOnce("b"), r.failsAtOnce("c"));
            r.fail("a"); // fails when released, after b and c have failed
            try (Background<String> call = Background.start("calls call",
                    () -> ReplicatedRequests.call(r.root, REQUEST, replicas))) {
                Eventually.until(() -> r.ended("b") && r.ended("c") && r.started("a") || call.isDone(),
                        () -> "replicas b and c to fail and a to start");
                r.release("a");
                try {
                    String got = call.await(ONE_SECOND, () -> "call did not return within 1 s of the last replica"
                            + " failing");
                    fail("call returned \"" + got + "\" though every replica failed");
                } catch (AllReplicasFailedException e) {
                    assertThat(e.errors()).as("every replica's error, in the order of the replicas (a, b, c), not"
                            + " the order they failed in").extracting(Throwable::getMessage).containsExactly(
                            ReplicaDown.message("a"), ReplicaDown.message("b"), ReplicaDown.message("c"));
                } catch (ReplicaDown e) {
                    throw new AssertionError("every replica failed, but call threw only one error (" + e + "):"
                            + " report all errors, in an AllReplicasFailedException", e);
                }
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("when the caller's context ends first, call throws its error, and every replica has ended")
    void callersContextEndsFirst() throws Exception {
        try (Replicas r = new Replicas()) {
            CancellableContext caller = Context.withCancel(r.root);
            List<Replica> replicas = List.of(r.slow("slow 1"), r.slow("slow 2"));
            try (Background<Returned> call = Background.start("calls call", () -> {
                try {
                    return new Returned(ReplicatedRequests.call(caller, REQUEST, replicas), r.running());
                } catch (ContextCanceledException e) {
                    return new Returned(null, r.running());
                }
            })) {
                Eventually.until(() -> r.started("slow 1") && r.started("slow 2") || call.isDone(),
                        () -> "both replicas to start");
                caller.cancel();
                Returned returned = call.await(ONE_SECOND, () -> "call did not return within 1 s of its context"
                        + " being cancelled: it must stop waiting then (select on ctx.onDone() beside the results),"
                        + " and throw the context's error");
                assertThat(returned.reply()).as("call must throw the context's error").isNull();
                assertThat(returned.stillRunning()).as("every replica must have ended when call returns")
                        .isEmpty();
            } finally {
                caller.cancel();
            }
        }
    }

    @Test
    @Order(6)
    @DisplayName("call refuses an empty list of replicas")
    void refusesNoReplicas() throws Exception {
        try {
            String got = ReplicatedRequests.call(Context.background(), REQUEST, List.of());
            fail("call with no replicas returned \"" + got + "\": there is nobody to ask, so it must throw"
                    + " IllegalArgumentException(\"replicas must not be empty\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("replicas must not be empty");
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** What call returned, and which replicas were still running at that moment. */
    record Returned(String reply, List<String> stillRunning) {}

    /** What a failing replica throws. */
    static final class ReplicaDown extends Exception {
        private static final long serialVersionUID = 1L;

        ReplicaDown(String replica) {
            super(message(replica));
        }

        static String message(String replica) {
            return "replica " + replica + " is down";
        }
    }

    /** The replicas, played by the test; each writes down what it got and when it started and ended. */
    static final class Replicas implements AutoCloseable {
        /** The caller's context: cancelled at the end of the test, which stops every replica still running. */
        final CancellableContext root = Context.withCancel(Context.background());

        private final Map<String, String> requests = new ConcurrentHashMap<>();
        private final Map<String, Context> contexts = new ConcurrentHashMap<>();
        private final Set<String> started = ConcurrentHashMap.newKeySet();
        private final Map<String, Optional<Throwable>> ended = new ConcurrentHashMap<>();
        private final Set<String> cleaning = ConcurrentHashMap.newKeySet();
        private final Set<String> failing = ConcurrentHashMap.newKeySet();
        private final Map<String, Channel<Void>> gates = new ConcurrentHashMap<>();
        private final Map<String, Channel<Void>> cleanups = new ConcurrentHashMap<>();
        /** The replicas of the test, in order; guarded by itself. */
        private final Map<String, String> kinds = new LinkedHashMap<>();

        /** Answers {@code reply} at once. */
        Replica answers(String name, String reply) {
            return replica(name, "answers at once", ctx -> reply);
        }

        /** Fails at once. */
        Replica failsAtOnce(String name) {
            return replica(name, "fails at once", ctx -> {
                throw new ReplicaDown(name);
            });
        }

        /** Answers {@code reply} (or fails, if {@link #fail}ed) once released; stops if its context ends first. */
        Replica held(String name, String reply) {
            Channel<Void> gate = gates.computeIfAbsent(name, k -> Channel.make(0));
            return replica(name, "answers when the test releases it", ctx -> {
                boolean released = Select.select(gate.onReceiveOrClosed(x -> true), ctx.onDone(() -> false));
                if (!released) {
                    throw ctx.err().orElseThrow();
                }
                if (failing.contains(name)) {
                    throw new ReplicaDown(name);
                }
                return reply;
            });
        }

        /** Never answers: waits until its context ends, cleans up if told to, then throws the context's error. */
        Replica slow(String name) {
            return replica(name, "ends only when its context is cancelled", ctx -> {
                ctx.done().receiveOrClosed();
                Channel<Void> cleanup = cleanups.get(name);
                if (cleanup != null) {
                    cleaning.add(name);
                    cleanup.receiveOrClosed();
                }
                throw ctx.err().orElseThrow();
            });
        }

        void holdCleanup(String name) {
            cleanups.putIfAbsent(name, Channel.make(0));
        }

        void releaseCleanup(String name) {
            close(cleanups.get(name));
        }

        void release(String name) {
            close(gates.get(name));
        }

        void fail(String name) {
            failing.add(name);
        }

        boolean started(String name) {
            return started.contains(name);
        }

        boolean ended(String name) {
            return ended.containsKey(name);
        }

        boolean cleaning(String name) {
            return cleaning.contains(name);
        }

        Optional<Throwable> endError(String name) {
            return ended.getOrDefault(name, Optional.empty());
        }

        Context contextOf(String name) {
            return contexts.get(name);
        }

        Map<String, String> requests() {
            return Map.copyOf(requests);
        }

        /** The replicas that have started and not ended. */
        List<String> running() {
            List<String> running = new ArrayList<>();
            synchronized (kinds) {
                for (String name : kinds.keySet()) {
                    if (started.contains(name) && !ended.containsKey(name)) {
                        running.add(name);
                    }
                }
            }
            return running;
        }

        /** Why call may not have returned, in the words of the rule it breaks. */
        String whyStillRunning() {
            List<String> slow;
            synchronized (kinds) {
                slow = kinds.entrySet().stream().filter(e -> e.getValue().startsWith("ends only when"))
                        .map(Map.Entry::getKey).toList();
            }
            List<String> notEnded = slow.stream().filter(n -> !ended.containsKey(n)).toList();
            if (!notEnded.isEmpty()) {
                return "call did not return within 1 s, though a replica had answered at once: call waited for"
                        + " every replica, and " + notEnded + " end only when their context is cancelled. Return the"
                        + " first success as soon as it comes, then cancel the others";
            }
            return "call did not return within 1 s, though a replica answered at once and the losers " + slow
                    + " saw their context cancelled and threw: a loser is blocked sending its answer, on a results"
                    + " channel nobody reads any more. Give the results channel one slot per replica";
        }

        @FunctionalInterface
        interface Body {
            String handle(Context ctx) throws Exception;
        }

        private Replica replica(String name, String kind, Body body) {
            synchronized (kinds) {
                kinds.put(name, kind);
            }
            return (ctx, request) -> {
                requests.put(name, request);
                contexts.put(name, ctx);
                started.add(name);
                Throwable error = null;
                try {
                    return body.handle(ctx);
                } catch (Exception e) {
                    error = e;
                    throw e;
                } finally {
                    ended.put(name, Optional.ofNullable(error));
                }
            };
        }

        private static void close(Channel<Void> gate) {
            if (gate != null) {
                try {
                    gate.close();
                } catch (RuntimeException alreadyClosed) {
                    // released before
                }
            }
        }

        /** Cancels the caller's context and releases every gate, so no replica the test made waits any more. */
        @Override
        public void close() {
            root.cancel();
            gates.values().forEach(Replicas::close);
            cleanups.values().forEach(Replicas::close);
        }
    }
}
