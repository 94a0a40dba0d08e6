package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@code close} wakes a receiver parked in {@code receiveOrClosed()}, which returns {@link Received.Closed}.
 *
 * <p>In termination mode jcstress starts the actor on a fresh thread, sends the signal once the thread is running,
 * and waits for the actor to return. Here the actor parks on an empty unbuffered channel and the signal closes it.
 * This is how a Go producer tells its consumers "no more": a close that forgot one parked receiver would leave that
 * goroutine (here, thread) blocked forever, a leak no test that merely checks values would notice. Usually the
 * actor is already parked when the signal comes; when it is not, it must see "closed" on arrival instead.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int)
 * go func() { _, ok := <-ch; done <- ok }()   // ok == false once ch is closed
 * close(ch)
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Termination_01"}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "close woke the receiver, and it reported Closed.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "The receiver was still parked long after close (jcstress waits at least 30 s): a lost wakeup.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The receiver returned something other than Closed, or threw.")
@State
public class Termination_01_CloseWakesReceiver {

    final Channel<Integer> ch = Channel.unbuffered();

    @Actor
    public void receiver() throws InterruptedException {
        Received<Integer> got = ch.receiveOrClosed();
        if (!(got instanceof Received.Closed<Integer>)) {
            throw new IllegalStateException("expected Closed from a closed, empty channel, got " + got);
        }
    }

    @Signal
    public void close() {
        ch.close();
    }
}
