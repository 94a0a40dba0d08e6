package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * One sender and one receiver meet on an unbuffered channel: the value crosses, and so does everything the sender
 * wrote before sending.
 *
 * <p>An unbuffered channel has nowhere to keep a value, so {@code send} and {@code receive} are a rendezvous: whichever
 * arrives first parks in the channel's wait queue, and the second hands the value across and wakes it. jcstress runs
 * both arrival orders many times, so both paths (receiver parked, sender parked) are taken. The sender also writes a
 * plain, non-volatile field before sending; the receiver reads it after receiving. The channel's contract ("actions in
 * a thread prior to a send happen-before actions subsequent to the receive of that value") says the receiver must
 * see the write. This is the guarantee every Go program that passes a pointer through a channel relies on.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int)
 * go func() { payload = 42; ch <- 1 }()
 * v := <-ch; seen := payload   // always 1, 42
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_01"}
 */
@JCStressTest
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "The value arrived, and with it the write made before the send.")
@Outcome(id = "1, 0", expect = FORBIDDEN,
        desc = "The value arrived but the earlier write did not: send does not happen-before receive.")
@Outcome(expect = FORBIDDEN, desc = "Anything else; -1 means an actor was interrupted, which nothing here does.")
@State
public class Channel_01_UnbufferedHandOff {

    final Channel<Integer> ch = Channel.unbuffered();

    /** Plain on purpose: only the channel orders the write before the read. */
    int payload;

    @Actor
    public void sender() {
        payload = 42;
        try {
            ch.send(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the receiver then never returns, and jcstress reports a timeout
        }
    }

    @Actor
    public void receiver(II_Result r) {
        try {
            r.r1 = ch.receive();
            r.r2 = payload;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = -1;
        }
    }
}
