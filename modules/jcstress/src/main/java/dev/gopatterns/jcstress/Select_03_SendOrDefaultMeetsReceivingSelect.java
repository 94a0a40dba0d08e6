package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two selects meet on opposite ends of one unbuffered channel: a sending select with a {@code default} and a
 * receiving select parked on two channels. The value is delivered exactly once, on the path both sides report.
 *
 * <p>The sender tries {@code ch <- 1} with a {@code default}: if a receiver is parked on {@code ch} it hands the value
 * over, otherwise it takes the default and puts the value on a one-slot {@code side} channel instead. The receiver
 * waits on both {@code ch} and {@code side}. Either way it must end up with the one value, through the channel the
 * sender used. The interesting path is select-to-select: the receiving select has registered on both channels and
 * parked; the sending select finds its node in {@code ch}'s queue and claims it, which must also retire the node it
 * left on {@code side}.
 *
 * <p>Results: the sender's case, the receiver's case and value, then what is left on {@code side}.
 *
 * <pre>{@code
 * // Go:
 * ch, side := make(chan int), make(chan int, 1)
 * go func() { select { case ch <- 1: r1 = "ch"; default: side <- 1; r1 = "default" } }()
 * go func() { select { case v := <-ch: r2 = "ch"; case v := <-side: r2 = "side" } }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_03"}
 */
@JCStressTest
@Outcome(id = "ch, ch 1, empty", expect = ACCEPTABLE_INTERESTING,
        desc = "The receiving select was already parked: the sending select handed the value over on ch.")
@Outcome(id = "default, side 1, empty", expect = ACCEPTABLE,
        desc = "No receiver was parked yet: the sender took default and the receiver got the value from side.")
@Outcome(id = "ch, side 1, .*", expect = FORBIDDEN,
        desc = "The sender's ch case fired, yet the receiver got its value elsewhere: the hand-off went nowhere.")
@Outcome(id = "default, ch 1, .*", expect = FORBIDDEN,
        desc = "The sender took default, yet a value arrived on ch: a send case that did not fire sent anyway.")
@Outcome(expect = FORBIDDEN, desc = "Anything else, e.g. a value left on side after being received.")
@State
public class Select_03_SendOrDefaultMeetsReceivingSelect {

    final Channel<Integer> ch = Channel.unbuffered();
    final Channel<Integer> side = Channel.buffered(1);

    @Actor
    public void sender(LLL_Result r) {
        try {
            r.r1 = Select.select(
                    ch.onSend(1, () -> "ch"),
                    Select.defaultCase(() -> side.trySend(1) ? "default" : "default, side full"));
        } catch (InterruptedException e) {
            throw new AssertionError("a select with a default case never waits, so it cannot be interrupted", e);
        }
    }

    @Actor
    public void receiver(LLL_Result r) {
        try {
            r.r2 = Select.select(
                    ch.onReceive(v -> "ch " + v),
                    side.onReceive(v -> "side " + v));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r2 = "interrupted";
        }
    }

    @Arbiter
    public void leftover(LLL_Result r) {
        r.r3 = word(side.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
