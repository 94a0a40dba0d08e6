package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
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
 * A select with a send case races {@code close} of that channel: if the case fired, its value was received; if the
 * select threw {@link ChannelClosedException}, nothing was sent.
 *
 * <p>The select offers {@code ch <- 1} and a receive on a channel nobody uses, so it parks on two channels. The other
 * actor makes one non-blocking receive on {@code ch}, then closes it. If the select is parked, the receive claims it
 * through its send node and takes the value; otherwise the close wakes the parked select (or the select finds
 * {@code ch} closed on arrival) and, as in Go, a chosen send case on a closed channel fails. This is
 * {@link Channel_06_UnbufferedSendRacingClose} with the sender inside a select.
 *
 * <p>Results: how the select ended, what the closer's {@code tryReceive} got, what a receive after close gets.
 *
 * <pre>{@code
 * // Go:
 * ch, idle := make(chan int), make(chan int)
 * go func() { defer recoverPanic(); select { case ch <- 1: r1 = "sent"; case <-idle: } }()
 * go func() { select { case v := <-ch: r2 = v; default: }; close(ch) }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_06"}
 */
@JCStressTest
@Outcome(id = "sent, 1, closed", expect = ACCEPTABLE,
        desc = "The select was parked first; the closer took its value through the send case, then closed.")
@Outcome(id = "threw, empty, closed", expect = ACCEPTABLE,
        desc = "The closer found no sender; the select's send case then failed on the closed channel.")
@Outcome(id = "sent, empty, .*", expect = FORBIDDEN, desc = "The send case fired but nobody received the value.")
@Outcome(id = "threw, 1, .*", expect = FORBIDDEN, desc = "The select threw, yet its value was delivered.")
@Outcome(expect = FORBIDDEN, desc = "Anything else, e.g. the idle case fired, or the closed channel did not say so.")
@State
public class Select_06_SendCaseRacingClose {

    final Channel<Integer> ch = Channel.unbuffered();
    final Channel<Integer> idle = Channel.unbuffered();

    @Actor
    public void selector(LLL_Result r) {
        try {
            r.r1 = Select.select(
                    ch.onSend(1, () -> "sent"),
                    idle.onReceive(v -> "idle " + v));
        } catch (ChannelClosedException e) {
            r.r1 = "threw";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void closer(LLL_Result r) {
        r.r2 = word(ch.tryReceive());
        ch.close();
    }

    @Arbiter
    public void afterClose(LLL_Result r) {
        r.r3 = word(ch.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
