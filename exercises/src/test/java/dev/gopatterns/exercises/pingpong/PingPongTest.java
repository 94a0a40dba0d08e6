package dev.gopatterns.exercises.pingpong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.LearnerCall;
import dev.gopatterns.exercises.pingpong.PingPong.Ball;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `pingpong`: what {@link PingPong#play} must do, checked through the umpire. Every hit is recorded with the
 * thread that made it, so the tests can see who hit, in which order, from which thread, and whether two hits ever
 * overlapped. No test sleeps: each one waits for {@code play} to return, for at most a second.
 *
 * <p>The last checks play one player ({@link PingPong#player}) against the test, which holds the table: the test
 * decides when the ball comes back, so it can see that the player waits for it blocked on the table (not spinning
 * on a flag of its own), takes it from the table, and tells the umpire of its hit while it still holds the ball,
 * whatever the schedule. The player runs in a platform thread of the test's own ({@link LearnerCall}).
 *
 * <p>How to run: {@code ./learn check pingpong}
 */
@HangTimeout(seconds = 5)
@DisplayName("Exercise `pingpong`: ping-pong")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class PingPongTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("ping serves, then the players take turns: ping, pong, ping, pong, ping")
    void playersTakeTurns() throws Exception {
        Game game = play(5);

        assertThat(game.hits).as("play(5) must make exactly 5 hits; the umpire saw %s", game.hits).hasSize(5);
        assertTakeTurns(game.hits);
    }

    @Test
    @Order(2)
    @DisplayName("each player is a thread of its own, and neither is the thread that called play")
    void eachPlayerHasItsOwnThread() throws Exception {
        Game game = play(6);

        Map<String, Set<Thread>> threadsOf = game.threadsByPlayer();
        assertThat(threadsOf.keySet()).as("the players must be called \"ping\" and \"pong\" when they tell the"
                + " umpire of a hit").containsExactlyInAnyOrder("ping", "pong");
        threadsOf.forEach((player, threads) -> assertThat(threads)
                .as("every hit by %s must come from %s's own thread, always the same one; it came from %d threads",
                        player, player, threads.size())
                .hasSize(1));
        Thread ping = threadsOf.get("ping").iterator().next();
        Thread pong = threadsOf.get("pong").iterator().next();
        assertThat(ping).as("ping and pong hit from the same thread, but each player needs a thread of its own:"
                + " with one thread, nobody would be there to receive a send").isNotSameAs(pong);
        assertThat(List.of(ping, pong)).as("a player hit the ball in the thread that called play; start a new"
                + " thread for each player").doesNotContain(game.caller);
    }

    @Test
    @Order(3)
    @DisplayName("both players' threads have ended when play returns")
    void bothPlayersLeave() throws Exception {
        Game game = play(4);

        for (Map.Entry<String, Set<Thread>> player : game.threadsByPlayer().entrySet()) {
            for (Thread thread : player.getValue()) {
                // A thread that has finished its work may still be returning; give it a moment, then judge.
                thread.join(Duration.ofSeconds(1));
                assertThat(thread.isAlive())
                        .as("%s's thread was still running after play returned. When the rally is over both"
                                + " players must leave (the one holding the last ball closes the table, the other"
                                + " sees it closed), and play must wait for both threads to end", player.getKey())
                        .isFalse();
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("a rally of 1,000 hits keeps strict turns, and no two hits ever overlap")
    void longRally() throws Exception {
        Game game = play(1000);

        assertThat(game.overlapped).as("two players were hitting the ball at the same time, but there is one"
                + " ball: a player may hit only after receiving it from the table").isFalse();
        assertThat(game.hits).as("play(1000) must make exactly 1000 hits").hasSize(1000);
        assertTakeTurns(game.hits);
    }

    @Test
    @Order(5)
    @DisplayName("a rally of 1 hit: ping serves, and pong, holding a ball hit once, ends it")
    void oneHit() throws Exception {
        Game game = play(1);

        assertThat(game.hits).as("play(1) must make exactly one hit, ping's serve").hasSize(1);
        assertTakeTurns(game.hits);
    }

    @Test
    @Order(6)
    @DisplayName("a rally of 0 hits ends at once, and play still returns")
    void zeroHits() throws Exception {
        Game game = play(0);

        assertThat(game.hits).as("play(0) must not hit the ball at all: ping is holding a ball already hit 0"
                + " times, so it closes the table at once").isEmpty();
    }

    @Test
    @Order(7)
    @DisplayName("a player waits for the ball blocked on the table, tells the umpire of its hit, then sends it back")
    void playerUsesTheTable() throws Exception {
        Channel<Ball> table = Channel.unbuffered();
        Game game = new Game();
        try (LearnerCall<Integer> pong = LearnerCall.<Integer>start("pong",
                () -> PingPong.player("pong", false, 3, table, game)).releaseWith(table::close)) {
            LearnerCall.Waiting w = pong.awaitParked(Duration.ofSeconds(2), () -> true);
            switch (w.seen()) {
                case PARKED, PARKED_ELSEWHERE -> { }
                case DONE -> fail("pong's player(...) returned " + pong.await(ONE_SECOND, () -> "unreachable")
                        + " before anyone sent it the ball: a player that does not serve starts by waiting for the"
                        + " ball on the table (table.receiveOrClosed())");
                case SPINNING -> fail("pong spins instead of waiting for the ball on the table: for 2 s its thread"
                        + " kept running (" + w.cpuMillis() + " ms of CPU) while the ball had not come. The table is"
                        + " the turn: a player without the ball blocks in table.receiveOrClosed(), and the other"
                        + " player's send wakes it; a shared flag or counter to spin on is not needed");
                case POLLING -> fail("pong polls instead of waiting for the ball on the table: its thread kept"
                        + " waking up from short timed waits. A player without the ball blocks in"
                        + " table.receiveOrClosed(), and the other player's send wakes it");
            }

            boolean taken = table.send(new Ball(1), ONE_SECOND, Clock.system());
            assertThat(taken).as("pong never took the ball from the table: the test sent it a ball hit once, and"
                    + " nobody received it within 1 s. The ball travels only over the table channel: a player"
                    + " receives it there (table.receiveOrClosed())").isTrue();
            // Now pong holds the ball: it must tell the umpire before it sends. The test does not receive yet, so
            // a player that sends first is certainly found stuck in its send, with the umpire told nothing.
            Await.until("pong to tell the umpire of its hit, or to block sending the ball back",
                    () -> !game.hits.isEmpty() || inSend(pong.thread()));
            assertThat(game.hits).as("pong sent the ball back before telling the umpire of its hit: the umpire"
                    + " must hear of a hit while the player still holds the ball, before the other player can"
                    + " have it (else the umpire may hear of hit k after hit k+1). Tell the umpire, then send")
                    .isNotEmpty();

            TryReceived<Ball> back = table.receive(ONE_SECOND, Clock.system());
            assertThat(back).as("pong must hit the ball (new Ball(hits + 1)) and send it back across the table")
                    .isEqualTo(new Received.Value<>(new Ball(2)));
            assertThat(game.hits).as("the umpire must hear of exactly pong's hit, ball 2").extracting(Hit::toString)
                    .containsExactly("pong 2");

            assertThat(table.send(new Ball(3), ONE_SECOND, Clock.system())).as("pong did not take the ball back"
                    + " from the table after sending it: after each send a player waits for the ball to return")
                    .isTrue();
            Received<Ball> end = Background.within(ONE_SECOND, "waits for the close", table::receiveOrClosed,
                    () -> "pong was holding a ball hit 3 times, the last hit of the rally, and must close the"
                            + " table; the table was still open 1 s later");
            assertThat(end).as("pong was holding the last ball: it must close the table instead of hitting")
                    .isInstanceOf(Received.Closed.class);
            assertThat(pong.await(ONE_SECOND, () -> "pong did not leave within 1 s of closing the table"))
                    .as("player returns how many times this player hit the ball").isEqualTo(1);
        }
    }

    @Test
    @Order(8)
    @DisplayName("the server hits first, and leaves when the other player closes the table")
    void serverLeavesWhenTheTableCloses() throws Exception {
        Channel<Ball> table = Channel.unbuffered();
        Game game = new Game();
        try (LearnerCall<Integer> ping = LearnerCall.<Integer>start("ping",
                () -> PingPong.player("ping", true, 4, table, game)).releaseWith(table::close)) {
            TryReceived<Ball> serve = ping.isDone() ? TryReceived.notReady() : table.receive(ONE_SECOND,
                    Clock.system());
            if (ping.isDone()) {
                ping.await(ONE_SECOND, () -> "unreachable"); // rethrows what it threw
            }
            assertThat(serve).as("ping must serve: hit new Ball(0), tell the umpire, and send Ball(1) across the"
                    + " table").isEqualTo(new Received.Value<>(new Ball(1)));
            assertThat(game.hits).as("the umpire must hear of the serve").extracting(Hit::toString)
                    .containsExactly("ping 1");

            table.close(); // the other player ended the rally
            Integer hits = ping.await(ONE_SECOND, () -> "ping was waiting for the ball and the table was closed,"
                    + " but it did not leave within 1 s: a closed table means the rally is over"
                    + " (table.receiveOrClosed() returns Closed)");
            assertThat(hits).as("player returns how many times this player hit the ball").isEqualTo(1);
        }
    }

    @Test
    @Order(9)
    @DisplayName("play waits for both players' threads, also for a player whose thread starts late")
    void waitsForALatePlayer() throws Exception {
        // The test's thread factory holds each player's thread before it starts its work, and lets the threads
        // go one at a time, in both orders. A rally of 0 hits: ping closes the table at once and leaves. When
        // ping is let go first, pong has not even started; play must still wait for it.
        for (int first = 0; first < 2; first++) {
            HeldThreads players = new HeldThreads();
            Game game = new Game();
            try (LearnerCall<Void> call = LearnerCall.<Void>start("calls play", () -> {
                PingPong.play(0, game, players);
                return null;
            }).releaseWith(players::releaseAll)) {
              try {
                Await.until("play to make both players' threads with the ThreadFactory it is given"
                        + " (players.newThread(...), or Executors.newThreadPerTaskExecutor(players))",
                        () -> players.made.size() >= 2 || call.isDone());
                if (call.isDone()) {
                    call.await(ONE_SECOND, () -> "unreachable: it is done"); // rethrows what it threw
                    fail("play(0) returned before it had made two player threads with the ThreadFactory it is"
                            + " given: make each player's thread with it, and wait for both");
                }
                Thread early = players.made.get(first);
                Thread late = players.made.get(1 - first);
                players.release(early);
                Await.until("the first player let go to leave (ping, holding a ball hit 0 times) or to wait for"
                        + " the ball (pong)", () -> early.getState() == Thread.State.TERMINATED
                        || (players.working(early) && early.getState() == Thread.State.WAITING));
                if (early.getState() == Thread.State.TERMINATED) {
                    // ping has left; pong has not started. A play that waits for both cannot return now.
                    long deadline = System.nanoTime() + ONE_SECOND.toNanos();
                    while (!call.isDone() && System.nanoTime() - deadline < 0) {
                        Thread.yield(); // a bounded look: a play that waits for ping alone returns at once
                    }
                    assertThat(call.isDone()).as("play returned while pong's thread had not ended (it had not even"
                            + " started: its start was held back by the test). play must wait until both players'"
                            + " threads have ended, not only ping's (close the executor that started them, or"
                            + " join both threads)").isFalse();
                }
                players.release(late);
                call.await(ONE_SECOND, () -> "play(0) did not return within 1 s of both players being let go");
                assertThat(game.hits).as("play(0) must not hit the ball").isEmpty();
              } finally {
                players.releaseAll(); // never leave a held thread behind
              }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** One hit as the umpire saw it. */
    record Hit(String player, int hits, Thread thread) {
        @Override
        public String toString() {
            return player + " " + hits;
        }
    }

    /** What the umpire saw of one game, and the thread that called {@code play}. */
    static final class Game implements PingPong.Umpire {
        final List<Hit> hits = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger hitting = new AtomicInteger();
        volatile boolean overlapped;
        volatile Thread caller;

        @Override
        public void hit(String player, Ball ball) {
            if (hitting.incrementAndGet() > 1) {
                overlapped = true;
            }
            hits.add(new Hit(player, ball.hits(), Thread.currentThread()));
            hitting.decrementAndGet();
        }

        Map<String, Set<Thread>> threadsByPlayer() {
            Map<String, Set<Thread>> byPlayer = new LinkedHashMap<>();
            synchronized (hits) {
                hits.forEach(h -> byPlayer.computeIfAbsent(h.player(), p -> new LinkedHashSet<>()).add(h.thread()));
            }
            return byPlayer;
        }
    }

    /** Plays a rally of {@code hits} in a thread of the test's own, and fails in plain words if it hangs. */
    private static Game play(int hits) throws Exception {
        Game game = new Game();
        Background.within(ONE_SECOND, "calls play", () -> {
            game.caller = Thread.currentThread();
            PingPong.play(hits, game);
            return null;
        }, () -> "play(" + hits + ") did not return within 1 s; " + sofar(game, hits) + ". Is a player still"
                + " waiting for a ball that will never come? The player holding the last ball must close the table,"
                + " the other must leave when it sees the table closed, and play must then return");
        return game;
    }

    /** A thread factory that holds each thread it makes before its task, until the test lets it go. */
    static final class HeldThreads implements java.util.concurrent.ThreadFactory {
        final List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<Thread, java.util.concurrent.CountDownLatch> gates =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final Set<Thread> working = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public Thread newThread(Runnable task) {
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            Thread t = Thread.ofPlatform().daemon(true).name("player-" + (made.size() + 1)).unstarted(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the task will see it
                }
                working.add(Thread.currentThread());
                task.run();
            });
            gates.put(t, gate);
            made.add(t);
            return t;
        }

        void release(Thread t) {
            gates.get(t).countDown();
        }

        void releaseAll() {
            gates.values().forEach(java.util.concurrent.CountDownLatch::countDown);
        }

        /** Whether {@code t} has been let go and is running its task. */
        boolean working(Thread t) {
            return working.contains(t);
        }
    }

    /** Whether {@code thread} is inside a channel's send (its stack shows a send of the chan package). */
    private static boolean inSend(Thread thread) {
        for (StackTraceElement f : thread.getStackTrace()) {
            if (f.getClassName().startsWith("dev.gopatterns.chan.") && f.getMethodName().startsWith("send")) {
                return true;
            }
        }
        return false;
    }

    private static String sofar(Game game, int hits) {
        int n = game.hits.size();
        if (hits == 0) {
            return "no hit was due";
        }
        return n == hits ? "all " + hits + " hits were made" : "the umpire saw " + n + " of " + hits + " hits";
    }

    /** Hit k (from 1) is ping's when k is odd and pong's when it is even, and reports a ball hit k times. */
    private static void assertTakeTurns(List<Hit> hits) {
        List<Hit> seen;
        synchronized (hits) {
            seen = List.copyOf(hits);
        }
        for (int i = 0; i < seen.size(); i++) {
            int k = i + 1;
            String turn = k % 2 == 1 ? "ping" : "pong";
            Hit hit = seen.get(i);
            assertThat(hit.player()).as("hit %d was made by %s, but ping serves and then the players take"
                    + " turns, so hit %d is %s's. The hits: %s", k, hit.player(), k, turn, abbreviate(seen))
                    .isEqualTo(turn);
            assertThat(hit.hits()).as("each hit adds one to the ball: hit %d told the umpire of a ball hit %d"
                    + " times. The hits: %s", k, hit.hits(), abbreviate(seen)).isEqualTo(k);
        }
    }

    private static String abbreviate(List<Hit> hits) {
        return hits.size() <= 12 ? hits.toString()
                : hits.subList(0, 12).toString().replace("]", ", ... (" + hits.size() + " hits)]");
    }
}
