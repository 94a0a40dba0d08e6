package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.InterruptScope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A thread leaves an {@code InterruptScope} at the moment the context's cancel is interrupting it. Whatever the
 * timing, the thread must come out of {@code Entry.close()} with its interrupt flag clear: an interrupt the scope
 * delivered belongs to the task that was inside, never to the thread's next task (a pool worker's next job, or here
 * jcstress's next run on the same actor thread).
 *
 * <p>The worker enters, checks its flag (clearing it, as a task that handled the interrupt would), and leaves at
 * once; the canceller cancels. The sweep may reach the entry before the worker looked (the worker sees the
 * interrupt), after it left (no interrupt at all), or in between, when {@code close} has to undo an interrupt the
 * worker never saw. The last is the race: the sweep first claims the entry, then calls {@code Thread.interrupt};
 * if {@code close} cleared the flag between the two, the interrupt would land after it. So {@code close}, finding
 * the entry claimed, waits until the interrupt has landed and only then clears it.
 *
 * <p>What it catches: an {@code Entry.close()} that clears the flag without waiting for a claimed interrupt to land
 * (result {@code flag set}, or, if it lands after the worker's last look, an interrupt "not by the scope" in the
 * next run); a close that does not clear at all; a sweep that interrupts a thread that has already left.
 *
 * <p>Go equivalent: none; a goroutine has no interrupt flag to leak.
 *
 * <p>Results: the worker's flag inside the scope; whether the entry says the scope interrupted it (read just
 * before leaving); the flag after {@code Entry.close()}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t InterruptScope_03"}
 */
@JCStressTest
@Outcome(id = "not interrupted, not by the scope, flag clear", expect = ACCEPTABLE,
        desc = "The worker left before the sweep reached it (or before the cancel): no interrupt.")
@Outcome(id = "interrupted, by the scope, flag clear", expect = ACCEPTABLE,
        desc = "The sweep interrupted the worker inside; the worker consumed it.")
@Outcome(id = "not interrupted, by the scope, flag clear", expect = ACCEPTABLE_INTERESTING,
        desc = "The sweep claimed the entry after the worker looked: close cleared an interrupt the worker never "
                + "saw.")
@Outcome(id = ".*, flag set", expect = FORBIDDEN,
        desc = "The thread left the scope with the scope's interrupt still set.")
@Outcome(id = "interrupted, not by the scope, .*", expect = FORBIDDEN,
        desc = "An interrupt the entry did not deliver: one leaked from an earlier run on this thread.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class InterruptScope_03_LeaveRacingInterrupt {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final InterruptScope scope = InterruptScope.of(ctx);

    @Actor
    public void worker(LLL_Result r) {
        try (InterruptScope.Entry entry = scope.enter()) {
            r.r1 = Thread.interrupted() ? "interrupted" : "not interrupted";
            r.r2 = entry.interrupted() ? "by the scope" : "not by the scope";
        }
        r.r3 = Thread.interrupted() ? "flag set" : "flag clear";
    }

    @Actor
    public void canceller() {
        ctx.cancel();
    }
}
