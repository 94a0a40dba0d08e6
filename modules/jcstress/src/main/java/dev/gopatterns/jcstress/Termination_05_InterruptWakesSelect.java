package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An interrupt wakes a select parked on two channels: it throws {@link InterruptedException} with no case fired,
 * and withdraws its registration from both channels.
 *
 * <p>The select waits to receive on {@code a} and to send on {@code b}; nobody uses either. The signal interrupts
 * the actor's thread. A parked select has a node in {@code a}'s receive queue and in {@code b}'s send queue; on
 * interrupt it must cancel its waiter, remove both nodes, and throw. After the throw the actor checks that the
 * interrupt flag is clear and that its value is no longer on offer: a receiver that came later and still got 2 from
 * {@code b} would have completed a send the select reported as not done.
 *
 * <p>Go equivalent: none; Go would add {@code case <-ctx.Done():} to the select.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Termination_05"}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE,
        desc = "The interrupt woke the select; it threw, left the flag clear and withdrew from both channels.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "The select was still parked long after the interrupt (jcstress waits at least 30 s).")
@Outcome(id = "ERROR", expect = FORBIDDEN,
        desc = "A case fired though none could, the flag stayed set, or the send case's value was still on offer.")
@State
public class Termination_05_InterruptWakesSelect {

    final Channel<Integer> a = Channel.unbuffered();
    final Channel<Integer> b = Channel.unbuffered();
    volatile Thread selectorThread;

    @Actor
    public void selector() {
        selectorThread = Thread.currentThread();
        try {
            String fired = Select.select(
                    a.onReceive(v -> "a " + v),
                    b.onSend(2, () -> "b"));
            throw new IllegalStateException("select fired '" + fired + "', but no case could ever be ready");
        } catch (InterruptedException expected) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("InterruptedException thrown with the interrupt flag still set");
            }
        }
        if (b.tryReceive() instanceof Received.Value<Integer>(var v)) {
            throw new IllegalStateException("the interrupted select's send case still delivered " + v);
        }
    }

    @Signal
    public void interrupt() {
        Thread selector;
        while ((selector = selectorThread) == null) {
            Thread.onSpinWait(); // the actor is already running; it publishes itself in its first statement
        }
        selector.interrupt();
    }
}
