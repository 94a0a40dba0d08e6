package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A select over two channels that both hold a value fires exactly one case and takes exactly one value; the other
 * value stays where it was, even while a rival receiver competes for one of the channels.
 *
 * <p>Channels {@code a} and {@code b} each start with one buffered value (1 and 2). The selector receives from
 * whichever case it picks; at the same time a rival does a plain {@code tryReceive} on {@code a}. The arbiter then
 * looks at what is left. A select locks all its channels, then tries the cases in a random order and performs the
 * first that can proceed, so it must never take from both, nor disturb the channel it did not choose. If the rival
 * got {@code a}'s value first, the select must fall through to {@code b}; if the select chose {@code b}, the rival
 * must still find {@code a}'s value.
 *
 * <p>Results: the case the select fired and its value, the rival's receive on {@code a}, then what is left in
 * {@code a} and in {@code b}.
 *
 * <pre>{@code
 * // Go:
 * a, b := make(chan int, 1), make(chan int, 1)
 * a <- 1; b <- 2
 * go func() { select { case v := <-a: r1 = "a"; case v := <-b: r1 = "b" } }()
 * go func() { select { case v := <-a: r2 = v; default: } }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_01"}
 */
@JCStressTest
@Outcome(id = "a 1, empty, empty, 2", expect = ACCEPTABLE,
        desc = "The select took a's value; the rival found a empty; b still holds 2.")
@Outcome(id = "b 2, 1, empty, empty", expect = ACCEPTABLE,
        desc = "The select took b's value (by choice, or because the rival emptied a first); the rival took a's.")
@Outcome(id = "b 2, empty, 1, empty", expect = FORBIDDEN,
        desc = "The rival found a empty though its value was never taken: the unfired case was disturbed.")
@Outcome(expect = FORBIDDEN, desc = "Two cases fired, or a value was taken twice or lost.")
@State
public class Select_01_ExactlyOneCase {

    final Channel<Integer> a = Channel.buffered(1);
    final Channel<Integer> b = Channel.buffered(1);

    public Select_01_ExactlyOneCase() {
        a.trySend(1);
        b.trySend(2);
    }

    @Actor
    public void selector(LLLL_Result r) {
        try {
            r.r1 = Select.select(
                    a.onReceive(v -> "a " + v),
                    b.onReceive(v -> "b " + v));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void rival(LLLL_Result r) {
        r.r2 = word(a.tryReceive());
    }

    @Arbiter
    public void leftover(LLLL_Result r) {
        r.r3 = word(a.tryReceive());
        r.r4 = word(b.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
