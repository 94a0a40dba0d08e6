package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An interrupt wakes a receiver parked in {@code receive()}: it throws {@link InterruptedException} with the
 * interrupt flag cleared, as the JDK's blocking methods do.
 *
 * <p>jcstress signals by calling a method, not by interrupting, so the actor publishes its thread and the signal
 * interrupts it (after a short spin, in case the actor has not yet published). The interrupt may land before the
 * actor calls {@code receive} (it must then throw at once, without parking) or while it is parked (the waiter must
 * cancel itself and throw). Both ways the flag must be clear after the throw: the exception reports the interrupt,
 * and leaving the flag set too would make the caller's next blocking call fail for no new reason.
 *
 * <p>Go equivalent: none; Go cancels a blocked receive with {@code select { case v := <-ch: case <-ctx.Done(): }}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Termination_04"}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
        desc = "The interrupt woke the receiver; receive threw InterruptedException and the flag was clear.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "The receiver was still parked long after the interrupt (jcstress waits at least 30 s).")
@Outcome(id = "ERROR", expect = FORBIDDEN,
        desc = "receive returned a value nobody sent, or threw with the interrupt flag still set.")
@State
public class Termination_04_InterruptWakesReceiver {

    final Channel<Integer> ch = Channel.unbuffered();
    volatile Thread receiverThread;

    @Actor
    public void receiver() {
        receiverThread = Thread.currentThread();
        try {
            Integer v = ch.receive();
            throw new IllegalStateException("receive returned " + v + ", but nobody ever sends on this channel");
        } catch (InterruptedException expected) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("InterruptedException thrown with the interrupt flag still set");
            }
        }
    }

    @Signal
    public void interrupt() {
        Thread receiver;
        while ((receiver = receiverThread) == null) {
            Thread.onSpinWait(); // the actor is already running; it publishes itself in its first statement
        }
        receiver.interrupt();
    }
}
