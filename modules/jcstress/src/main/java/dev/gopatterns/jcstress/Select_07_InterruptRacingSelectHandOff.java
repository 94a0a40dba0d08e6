package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * An interrupt races a hand-off to a select parked on two channels: the select either fires the case and keeps the
 * interrupt flag set, or throws {@link InterruptedException} with no case fired and nothing taken.
 *
 * <p>{@link Channel_05_InterruptRacingHandOff} for {@code select}. The select waits to receive on {@code a} or
 * {@code b}. The other actor interrupts it, then offers 1 on {@code a} with {@code trySend}. One waiter stands for
 * the whole select, so the same cancel-or-claim race decides it; in addition, when the select throws it must have
 * withdrawn both of its nodes, and when it fires it must retire the node it left on {@code b}.
 *
 * <p>The selector waits until the interrupter is done before it clears the flag and records it, so the interrupt
 * cannot leak into the next test run on the same thread.
 *
 * <p>Results: what the select did, its interrupt flag afterwards, the {@code trySend} result.
 *
 * <p>Go equivalent: none; Go would add {@code case <-ctx.Done():} to the select.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_07"}
 */
@JCStressTest
@Outcome(id = "interrupted, flag clear, not sent", expect = ACCEPTABLE,
        desc = "The interrupt came first: the select threw, and the late trySend found nobody waiting.")
@Outcome(id = "a 1, flag set, sent", expect = ACCEPTABLE_INTERESTING,
        desc = "The hand-off beat the interrupt: the case fired and the interrupt flag was re-asserted.")
@Outcome(id = "interrupted, .*, sent", expect = FORBIDDEN,
        desc = "trySend handed the value to a select that then threw: the value is lost.")
@Outcome(id = "a 1, flag clear, .*", expect = FORBIDDEN, desc = "The case fired and the interrupt was swallowed.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: the b case fired, a value from nowhere, an interrupt seen twice.")
@State
public class Select_07_InterruptRacingSelectHandOff {

    final Channel<Integer> a = Channel.unbuffered();
    final Channel<Integer> b = Channel.unbuffered();
    volatile Thread selectorThread;
    volatile boolean interrupterDone;

    @Actor
    public void selector(LLL_Result r) {
        selectorThread = Thread.currentThread();
        String fired;
        try {
            fired = Select.select(
                    a.onReceive(v -> "a " + v),
                    b.onReceive(v -> "b " + v));
        } catch (InterruptedException e) {
            fired = "interrupted"; // the expected outcome of half the runs; the flag is now clear, as the policy says
        }
        while (!interrupterDone) {
            Thread.onSpinWait();
        }
        r.r1 = fired;
        r.r2 = Thread.interrupted() ? "flag set" : "flag clear";
    }

    @Actor
    public void interrupter(LLL_Result r) {
        Thread selector;
        while ((selector = selectorThread) == null) {
            Thread.onSpinWait();
        }
        selector.interrupt();
        r.r3 = a.trySend(1) ? "sent" : "not sent";
        interrupterDone = true;
    }
}
