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
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@code trySend} and {@code tryReceive} race on a one-slot buffer: a value is in the channel if and only if its
 * {@code trySend} said so, and it comes out exactly once.
 *
 * <p>The sender tries 1 then 2; the receiver tries twice; afterwards the arbiter drains what is left. The first
 * {@code trySend} always finds the slot empty, so it must succeed. The second succeeds only if the receiver emptied
 * the slot in between. Every interleaving of the four calls gives one of the six outcomes below, and each of them
 * accounts for every value: received by the actor, or still buffered for the arbiter. The non-blocking forms are
 * what Go's {@code select} with {@code default} compiles to, and what worker pools use to shed load, so a
 * {@code false} that had in fact enqueued the value (or a {@code true} that had not) would silently drop work.
 *
 * <p>Results: the two {@code trySend} results (1 = sent), the two values received (0 = not ready), and what the
 * arbiter found left in the buffer (0 = nothing).
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int, 1)
 * go func() {                                  go func() {
 *     select { case ch <- 1: s1 = 1; default: }    select { case v := <-ch: g1 = v; default: }
 *     select { case ch <- 2: s2 = 1; default: }    select { case v := <-ch: g2 = v; default: }
 * }()                                          }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_03"}
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0, 1", expect = ACCEPTABLE,
        desc = "Receiver tried twice before the sender: nothing received, 1 stays buffered, 2 found the slot full.")
@Outcome(id = "1, 0, 0, 1, 0", expect = ACCEPTABLE,
        desc = "Receiver missed once, then took 1 after 2 had found the slot full.")
@Outcome(id = "1, 0, 1, 0, 0", expect = ACCEPTABLE,
        desc = "Both sends before the receiver: 2 found the slot full, the receiver took 1 and then found nothing.")
@Outcome(id = "1, 1, 1, 2, 0", expect = ACCEPTABLE,
        desc = "Fully alternating: the receiver emptied the slot between the sends and took both values.")
@Outcome(id = "1, 1, 1, 0, 2", expect = ACCEPTABLE,
        desc = "The receiver took 1 and tried again before 2 was sent; 2 stays buffered.")
@Outcome(id = "1, 1, 0, 1, 2", expect = ACCEPTABLE,
        desc = "Receiver missed, took 1, and 2 was sent after it; 2 stays buffered.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The first trySend found an empty slot and still failed.")
@Outcome(expect = FORBIDDEN, desc = "A value lost (sent but nowhere) or duplicated (seen twice), or received unsent.")
@State
public class Channel_03_BufferedTrySendTryReceive {

    final Channel<Integer> ch = Channel.buffered(1);

    @Actor
    public void sender(IIIII_Result r) {
        r.r1 = ch.trySend(1) ? 1 : 0;
        r.r2 = ch.trySend(2) ? 1 : 0;
    }

    @Actor
    public void receiver(IIIII_Result r) {
        r.r3 = valueOrZero(ch.tryReceive());
        r.r4 = valueOrZero(ch.tryReceive());
    }

    @Arbiter
    public void leftover(IIIII_Result r) {
        r.r5 = valueOrZero(ch.tryReceive());
    }

    private static int valueOrZero(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v;
            case Received.Closed<Integer>() -> -1; // nobody closes this channel: falls into "anything else"
            case TryReceived.NotReady<Integer>() -> 0;
        };
    }
}
