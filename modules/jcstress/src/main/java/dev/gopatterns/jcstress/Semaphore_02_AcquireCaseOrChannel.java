package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.sync.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A select waits on a semaphore's acquire case ({@code Semaphore.onAcquire}, a {@code Selectable} clause) and on a
 * channel receive, while another thread makes both ready at once: it releases the semaphore's only unit and sends
 * one value. Exactly one case fires, and only its operation takes effect: if the acquire fired, the unit is held
 * and the value is still in the channel; if the receive fired, the value is gone and the unit is free.
 *
 * <p>It catches a clause whose units are granted to a select that has already fired through the channel (a
 * {@code release} that does not check {@code Ticket.tryFire}), and a select that performs two operations.
 *
 * <pre>{@code
 * // Go has no semaphore case; the nearest is a token channel:
 * select { case tokens <- struct{}{}: ...; case v := <-ch: ... }
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Semaphore_02"}
 */
@JCStressTest
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The acquire fired: the unit is held, the value still buffered.")
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The receive fired: the value is taken, the unit is free.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "The acquire fired but the unit is not held: lost grant.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The receive fired but the unit was taken too: two cases took effect.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Anything else: a value lost or duplicated.")
@State
public class Semaphore_02_AcquireCaseOrChannel {

    final Semaphore sem = new Semaphore(1);
    final Channel<Integer> ch = Channel.make(1);

    public Semaphore_02_AcquireCaseOrChannel() {
        if (!sem.tryAcquire(1)) {
            throw new AssertionError("a fresh semaphore has its unit");
        }
    }

    @Actor
    public void selector(III_Result r) {
        try {
            r.r1 = Select.select(sem.onAcquire(1, () -> 0), ch.onReceive(v -> 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = -1; // nobody interrupts the actors: a forbidden outcome if it ever happens
        }
    }

    @Actor
    public void releaserAndSender() {
        sem.release(1);
        if (!ch.trySend(42)) { // the buffer has room: it never blocks
            throw new AssertionError("a send to an empty buffered channel must not wait");
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = (int) sem.held();
        r.r3 = ch.length();
    }
}
