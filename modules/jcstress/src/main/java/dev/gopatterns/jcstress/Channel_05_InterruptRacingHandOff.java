package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * An interrupt races a hand-off to a parked receiver: the receiver either gets the value and keeps the interrupt
 * flag set, or throws {@link InterruptedException} and the value was never taken. Never both, never neither.
 *
 * <p>The receiver blocks in {@code receive()} on an unbuffered channel. The other actor interrupts it and then,
 * immediately, offers a value with {@code trySend}. Both want to complete the same parked waiter: the interrupt by
 * cancelling it, the sender by claiming it. Exactly one must win (the project's interruption policy,
 * docs/interruption.md):
 * <ul>
 *   <li>the cancel wins: {@code receive} throws, and {@code trySend} finds no receiver and returns {@code false};
 *   <li>the claim wins: {@code receive} returns the value, and because the interrupt was not the reason it woke, it
 *       re-asserts the interrupt flag instead of swallowing it.
 * </ul>
 * A value handed to a receiver that then throws is lost; a receive that returns with the flag cleared has swallowed
 * an interrupt, and the thread will not notice it was asked to stop.
 *
 * <p>So that the interrupt cannot leak into the next test run on the same thread, the receiver waits until the
 * interrupter is done, then clears the flag with {@link Thread#interrupted()} and records what it saw. Both spins
 * are short: each waits for the other actor's next few instructions.
 *
 * <p>Results: what the receiver got, its interrupt flag afterwards, the {@code trySend} result.
 *
 * <p>Go equivalent: none; Go has no interrupts and cancels a blocked receive with a {@code context} in a
 * {@code select}. This is the Java-only half of the API.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_05"}
 */
@JCStressTest
@Outcome(id = "interrupted, flag clear, not sent", expect = ACCEPTABLE,
        desc = "The interrupt came first: receive threw, and the late trySend found no receiver.")
@Outcome(id = "1, flag set, sent", expect = ACCEPTABLE_INTERESTING,
        desc = "The hand-off beat the interrupt: receive kept the value and re-asserted the interrupt flag.")
@Outcome(id = "interrupted, .*, sent", expect = FORBIDDEN,
        desc = "trySend handed the value to a receiver that then threw: the value is lost.")
@Outcome(id = "1, flag clear, .*", expect = FORBIDDEN, desc = "receive returned the value and swallowed the interrupt.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a value out of nowhere, or an interrupt seen twice.")
@State
public class Channel_05_InterruptRacingHandOff {

    final Channel<Integer> ch = Channel.unbuffered();
    volatile Thread receiverThread;
    volatile boolean interrupterDone;

    @Actor
    public void receiver(LLL_Result r) {
        receiverThread = Thread.currentThread();
        String got;
        try {
            got = String.valueOf(ch.receive());
        } catch (InterruptedException e) {
            got = "interrupted"; // the expected outcome of half the runs; the flag is now clear, as the policy says
        }
        while (!interrupterDone) {
            Thread.onSpinWait();
        }
        r.r1 = got;
        r.r2 = Thread.interrupted() ? "flag set" : "flag clear";
    }

    @Actor
    public void interrupter(LLL_Result r) {
        Thread receiver;
        while ((receiver = receiverThread) == null) {
            Thread.onSpinWait();
        }
        receiver.interrupt();
        r.r3 = ch.trySend(1) ? "sent" : "not sent";
        interrupterDone = true;
    }
}
