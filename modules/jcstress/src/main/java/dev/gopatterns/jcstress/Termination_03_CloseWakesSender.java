package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@code close} wakes a sender parked on an unbuffered channel, and its {@code send} throws
 * {@link ChannelClosedException}.
 *
 * <p>The actor sends on a channel nobody receives from, so it parks. The signal closes the channel. In Go the parked
 * sender panics with "send on closed channel"; here {@code send} throws. Either way it must not stay parked, and it
 * must not return normally, which would claim a delivery that never happened.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int)
 * go func() { defer func() { recover() }(); ch <- 1 }()   // panics once ch is closed
 * close(ch)
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Termination_03"}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "close woke the sender, and send threw ChannelClosedException.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "The sender was still parked long after close (jcstress waits at least 30 s): a lost wakeup.")
@Outcome(id = "ERROR", expect = FORBIDDEN,
        desc = "send returned normally although nobody received, or threw otherwise.")
@State
public class Termination_03_CloseWakesSender {

    final Channel<Integer> ch = Channel.unbuffered();

    @Actor
    public void sender() throws InterruptedException {
        try {
            ch.send(1);
        } catch (ChannelClosedException expected) {
            return;
        }
        throw new IllegalStateException("send returned normally, but nobody ever receives from this channel");
    }

    @Signal
    public void close() {
        ch.close();
    }
}
