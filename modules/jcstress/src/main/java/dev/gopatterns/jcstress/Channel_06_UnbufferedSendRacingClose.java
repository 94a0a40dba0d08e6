package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A blocking send on an unbuffered channel races {@code close}: a send that returned normally was received, and a
 * send that threw {@link ChannelClosedException} delivered nothing.
 *
 * <p>The sender calls {@code send(1)}. The other actor makes one non-blocking attempt to take a value, then closes
 * the channel. If the sender was already parked, the attempt takes its value and completes the send; otherwise the
 * sender either finds the channel closed on arrival or is parked when {@code close} comes, and {@code close} must
 * wake it with the exception. Both ways it terminates. The arbiter then checks that the closed channel reports
 * {@code closed}.
 *
 * <p>Results: how the send ended, what the closer's {@code tryReceive} got, what a receive after close gets.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int)
 * go func() { defer recoverPanic(); ch <- 1 }()   // panics "send on closed channel" if close wins
 * go func() { select { case v := <-ch: got = v; default: }; close(ch) }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_06"}
 */
@JCStressTest
@Outcome(id = "sent, 1, closed", expect = ACCEPTABLE,
        desc = "The sender was parked first; the closer took its value, then closed.")
@Outcome(id = "threw, empty, closed", expect = ACCEPTABLE,
        desc = "The closer found no sender; the send then failed on the closed channel, parked or not.")
@Outcome(id = "sent, empty, .*", expect = FORBIDDEN, desc = "send returned normally but nobody received the value.")
@Outcome(id = "threw, 1, .*", expect = FORBIDDEN, desc = "send threw, yet its value was delivered.")
@Outcome(expect = FORBIDDEN, desc = "Anything else, e.g. a closed channel that does not report closed.")
@State
public class Channel_06_UnbufferedSendRacingClose {

    final Channel<Integer> ch = Channel.unbuffered();

    @Actor
    public void sender(LLL_Result r) {
        try {
            ch.send(1);
            r.r1 = "sent";
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
