/*
 * Flawed solution of exercise `pingpong`.
 * Mistake: each player sends the ball across first and tells the umpire of its hit afterwards, when the other
 *          player may already hold the ball.
 * Verdict: pong sent the ball back before telling the umpire of its hit
 */
package dev.gopatterns.exercises.pingpong;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Exercise `pingpong`, reference solution: ping-pong over an unbuffered channel.
 *
 * <p>Why the players take turns without any other coordination: {@code table} is unbuffered, so a {@code send}
 * completes only when the other player's {@code receive} takes the ball. A player that has just sent cannot
 * receive its own ball (it was taken), so the next ball it receives is the other player's hit. The ball is in one
 * thread at a time, and the umpire is called by one thread at a time.
 *
 * <p>Why the rally ends for both: the player who finds the last hit in its hands closes the table. At that moment
 * the other player has just sent that hit, and its next step is to wait for the ball, where it sees "closed". Close
 * is for the side that knows there will be no more values, and here that is whoever holds the last ball.
 *
 * <p>Memory consistency: everything a player did before sending the ball happens-before everything the other
 * player does after receiving it, so {@code Ball} needs no synchronization of its own (it is immutable anyway).
 *
 * <p>How to run: {@code ./learn check pingpong --solution}
 */
public final class PingPong {

    private PingPong() {}

    /** The ball, and how many times it has been hit. A player hits it by making a new one. */
    public record Ball(int hits) {}

    /** Watches the game: told of every hit, in the thread of the player who made it. */
    @FunctionalInterface
    public interface Umpire {
        void hit(String player, Ball ball);
    }

    /**
     * Plays one rally of exactly {@code hits} hits, ping serving, and returns when both players have left the
     * table. {@code play(0, umpire)} ends at once: ping is holding a ball already hit 0 times.
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits for the players
     */
    public static void play(int hits, Umpire umpire) throws InterruptedException {
        play(hits, umpire, Thread.ofVirtual().factory());
    }

    /** {@link #play(int, Umpire)}, with each player's thread made by {@code players}. */
    public static void play(int hits, Umpire umpire, ThreadFactory players) throws InterruptedException {
        Channel<Ball> table = Channel.unbuffered();
        Future<Integer> ping;
        Future<Integer> pong;
        // close() at the end of the try waits until every task has finished: the Java for Go's wg.Wait().
        try (ExecutorService rally = Executors.newThreadPerTaskExecutor(players)) {
            ping = rally.submit(() -> player("ping", true, hits, table, umpire));
            pong = rally.submit(() -> player("pong", false, hits, table, umpire));
        }
        // A player's exception would otherwise stay inside its Future, unseen.
        for (Future<Integer> player : List.of(ping, pong)) {
            if (player.state() == Future.State.FAILED) {
                throw new IllegalStateException("a player failed", player.exceptionNow());
            }
        }
    }

    /**
     * One player's side of the rally, run in that player's own thread.
     *
     * @param serves whether this player starts holding the ball ({@code new Ball(0)}) or waiting for it
     * @return how many times this player hit the ball
     * @throws InterruptedException if interrupted while waiting for the ball or for the other player to take it
     */
    static int player(String name, boolean serves, int hits, Channel<Ball> table, Umpire umpire)
            throws InterruptedException {
        int made = 0;
        // Go: ball, ok := <-table
        Received<Ball> holding = serves ? new Received.Value<>(new Ball(0)) : table.receiveOrClosed();
        while (holding instanceof Received.Value<Ball>(Ball ball)) {
            if (ball.hits() == hits) {
                table.close(); // the rally is over; the other player is waiting and will see it closed
                break;
            }
            Ball hit = new Ball(ball.hits() + 1);
            table.send(hit);                     // waits until the other player has taken it
            umpire.hit(name, hit);               // then report the hit
            made++;
            holding = table.receiveOrClosed();   // the return ball, or Closed once the other player ended the rally
        }
        return made;
    }
}
