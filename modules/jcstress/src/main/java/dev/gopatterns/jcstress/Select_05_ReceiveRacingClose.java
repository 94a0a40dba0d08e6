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
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A select receiving from two channels races a value arriving on one and a close of the other: it fires exactly
 * one of the two, and if it fires the close, the value is still in its channel.
 *
 * <p>The select waits on {@code a} and {@code b} with {@code onReceiveOrClosed}, so "closed" is an ordinary outcome.
 * The other actor puts 1 on {@code a}, then closes {@code b}. A parked select is woken by the value (the close then
 * meets a stale node, which it must skip, not complete a second time); a select that looks after both is free to
 * choose either. The close must never consume the value on the other channel, and a select woken by the value must
 * not also report the close.
 *
 * <p>Results: the case that fired, the {@code trySend} result, then what is left in {@code a}.
 *
 * <pre>{@code
 * // Go:
 * a, b := make(chan int, 1), make(chan int, 1)
 * go func() { select { case v, ok := <-a: ...; case v, ok := <-b: ... } }()
 * go func() { a <- 1; close(b) }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_05"}
 */
@JCStressTest
@Outcome(id = "a 1, sent, empty", expect = ACCEPTABLE, desc = "The select took the value from a.")
@Outcome(id = "b closed, sent, 1", expect = ACCEPTABLE,
        desc = "Both cases were ready and the select chose b's close; the value stays in a.")
@Outcome(id = "b closed, sent, empty", expect = FORBIDDEN, desc = "The select fired b's close, and a's value vanished.")
@Outcome(id = "a 1, sent, 1", expect = FORBIDDEN, desc = "The value was received and is still in a: duplicated.")
@Outcome(expect = FORBIDDEN, desc = "Anything else, e.g. a reported closed, or the trySend refused.")
@State
public class Select_05_ReceiveRacingClose {

    final Channel<Integer> a = Channel.buffered(1);
    final Channel<Integer> b = Channel.buffered(1);

    @Actor
    public void selector(LLL_Result r) {
        try {
            r.r1 = Select.select(
                    a.onReceiveOrClosed(got -> "a " + word(got)),
                    b.onReceiveOrClosed(got -> "b " + word(got)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void sendThenClose(LLL_Result r) {
        r.r2 = a.trySend(1) ? "sent" : "not sent";
        b.close();
    }

    @Arbiter
    public void leftover(LLL_Result r) {
        r.r3 = word(a.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
