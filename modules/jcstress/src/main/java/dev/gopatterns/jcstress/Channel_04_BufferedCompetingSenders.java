package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Two senders race for the single slot of a buffered channel: exactly one wins, and the buffer holds exactly its
 * value.
 *
 * <p>Both call {@code trySend} on an empty {@code make(chan int, 1)}. The channel lock serialises them: the first
 * fills the slot and the second must see it full. Two winners would mean the capacity check and the write were not
 * atomic (one value overwritten, or a buffer holding more than its capacity); no winner would mean a send refused
 * with room available. The arbiter takes what is buffered, then checks that nothing else is.
 *
 * <p>Results: each sender's {@code trySend} result, then the arbiter's two receives.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int, 1)
 * go func() { select { case ch <- 1: ok1 = true; default: } }()
 * go func() { select { case ch <- 2: ok2 = true; default: } }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_04"}
 */
@JCStressTest
@Outcome(id = "true, false, 1, empty", expect = ACCEPTABLE, desc = "Sender 1 won the slot; sender 2 found it full.")
@Outcome(id = "false, true, 2, empty", expect = ACCEPTABLE, desc = "Sender 2 won the slot; sender 1 found it full.")
@Outcome(id = "true, true, .*", expect = FORBIDDEN, desc = "Both sends succeeded into one slot: a value was lost.")
@Outcome(id = "false, false, .*", expect = FORBIDDEN, desc = "Both sends failed although the slot was free.")
@Outcome(expect = FORBIDDEN, desc = "The buffer holds a value other than the winner's, or more than one value.")
@State
public class Channel_04_BufferedCompetingSenders {

    final Channel<Integer> ch = Channel.buffered(1);

    @Actor
    public void sender1(LLLL_Result r) {
        r.r1 = String.valueOf(ch.trySend(1));
    }

    @Actor
    public void sender2(LLLL_Result r) {
        r.r2 = String.valueOf(ch.trySend(2));
    }

    @Arbiter
    public void drain(LLLL_Result r) {
        r.r3 = word(ch.tryReceive());
        r.r4 = word(ch.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
