package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A sender pushes three values through a one-slot buffer to a receiver: all three arrive, once each, in order.
 *
 * <p>With capacity 1 the sender fills the slot, then parks on its second send until the receiver frees the slot. The
 * receiver then does what Go's {@code chanrecv} does: it takes the buffered value and moves the parked sender's value
 * into the freed slot, completing that send, so the order stays first-in first-out. When the buffer is empty the
 * receiver parks instead and the next send hands its value straight to it. jcstress varies which side gets ahead, so
 * all three paths (buffer, refill from a parked sender, direct hand-off to a parked receiver) are taken. A refill
 * that lost the parked sender's value, took it twice, or put it behind a later value shows up here.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int, 1)
 * go func() { ch <- 1; ch <- 2; ch <- 3 }()
 * r1, r2, r3 := <-ch, <-ch, <-ch   // always 1, 2, 3
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_02"}
 */
@JCStressTest
@Outcome(id = "1, 2, 3", expect = ACCEPTABLE, desc = "Every value arrived once, in the order it was sent.")
@Outcome(expect = FORBIDDEN,
        desc = "A value lost, duplicated or reordered; -1 means an actor was interrupted, which nothing here does.")
@State
public class Channel_02_BufferedFullBufferFifo {

    final Channel<Integer> ch = Channel.buffered(1);

    @Actor
    public void sender() {
        try {
            ch.send(1);
            ch.send(2);
            ch.send(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the receiver then never returns, and jcstress reports a timeout
        }
    }

    @Actor
    public void receiver(III_Result r) {
        try {
            r.r1 = ch.receive();
            r.r2 = ch.receive();
            r.r3 = ch.receive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r3 = -1;
        }
    }
}
