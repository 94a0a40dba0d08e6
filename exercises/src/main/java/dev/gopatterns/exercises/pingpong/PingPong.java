package dev.gopatterns.exercises.pingpong;

import dev.gopatterns.chan.Channel;
import java.util.concurrent.ThreadFactory;

/**
 * Exercise `pingpong`: ping-pong over an unbuffered channel.
 *
 * <p>Two players, each in its own thread, hit one ball back and forth across a table. The table is an unbuffered
 * {@link Channel}: a send waits until the other player receives, so the ball is always in exactly one place and
 * the players cannot help taking turns. Nothing else coordinates them: no lock, no flag, no sleep.
 *
 * <p>The rules of {@link #play}:
 * <ol>
 *   <li>The table is one {@code Channel.unbuffered()}. "ping" and "pong" each run {@link #player} in a thread of
 *       their own.
 *   <li>ping serves: it starts holding {@code new Ball(0)}. pong starts by waiting for the ball.
 *   <li>A player holding the ball hits it ({@code new Ball(hits + 1)}), tells the umpire
 *       ({@code umpire.hit(name, ball)}), sends it across the table, and waits for it to come back.
 *   <li>A player holding a ball that has already been hit {@code hits} times ends the rally: instead of hitting,
 *       it closes the table and leaves. The other player, waiting for the ball, finds the table closed and leaves.
 *   <li>{@code play} returns once both players have left, that is, both threads have ended.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check pingpong}
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

    /**
     * {@link #play(int, Umpire)}, with each player's thread made by {@code players} (the tests pass a factory that
     * lets them decide when each thread starts).
     *
     * @throws InterruptedException if the calling thread is interrupted while it waits for the players
     */
    public static void play(int hits, Umpire umpire, ThreadFactory players) throws InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: make the table, start ping and pong in threads made by players, wait for both");
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
        throw new UnsupportedOperationException(
                "TODO: hit, tell the umpire, send, wait for the ball; at the last hit, close the table");
    }
}
