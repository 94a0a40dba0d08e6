package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.Received;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A send into a buffered channel races {@code close}: a value whose send returned normally is still received after
 * the close, and only then does the channel report closed.
 *
 * <p>The sender calls {@code send(1)} on an empty {@code make(chan int, 1)}, which never has to wait. The other actor
 * closes the channel and then receives twice; after a close, {@code receiveOrClosed} never blocks. If the send got
 * in first, its value sits in the buffer and must come out of the first receive: Go's rule is that closing stops
 * new sends but lets buffered values drain. If the close got in first, the send must throw and leave nothing behind.
 *
 * <p>Results: how the send ended, then the closer's two receives after its close.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int, 1)
 * go func() { defer recoverPanic(); ch <- 1 }()
 * go func() { close(ch); v1, ok1 := <-ch; v2, ok2 := <-ch }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_07"}
 */
@JCStressTest
@Outcome(id = "sent, 1, closed", expect = ACCEPTABLE,
        desc = "The send came first: the buffered value drained after close, then the channel reported closed.")
@Outcome(id = "threw, closed, closed", expect = ACCEPTABLE,
        desc = "The close came first: the send threw and left nothing.")
@Outcome(id = "sent, closed, .*", expect = FORBIDDEN,
        desc = "Closed reported while a sent value was still buffered: close dropped or hid it.")
@Outcome(id = "threw, 1, .*", expect = FORBIDDEN, desc = "send threw, yet its value was buffered.")
@Outcome(expect = FORBIDDEN, desc = "Anything else, e.g. the value received twice.")
@State
public class Channel_07_BufferedSendRacingClose {

    final Channel<Integer> ch = Channel.buffered(1);

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
        ch.close();
        try {
            r.r2 = word(ch.receiveOrClosed());
            r.r3 = word(ch.receiveOrClosed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r3 = "interrupted";
        }
    }

    private static String word(Received<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
        };
    }
}
