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
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A thread enters an {@code InterruptScope} while another thread cancels the scope's context. Once the cancel has
 * returned, the thread is inside a done context, so it must have been interrupted: by the cancel's sweep over the
 * threads inside if it entered first, by {@code enter} itself if the context was done when it entered. And when it
 * leaves without consuming that interrupt, {@code Entry.close()} must clear it.
 *
 * <p>The worker enters, records whether the context is already done (a proxy for which side won: {@code enter}'s
 * own check happened a moment earlier), then waits until the canceller's {@code cancel()} has returned, and only
 * then looks at its interrupt flag, without clearing it. The wait is what makes "not interrupted" a bug: the
 * guarantee is about a cancel that has returned. Without it, a worker can see {@code isDone()} true in the instant
 * after the cancel wrote the context's error and before its sweep reached the worker, and leave uninterrupted,
 * which is harmless (the worker is no longer inside when the sweep comes) and would make the test fail on a correct
 * implementation. {@code InterruptScope_03} covers leaving while the sweep is under way.
 *
 * <p>Wrong implementations this catches:
 * <ul>
 *   <li>an {@code enter} that checks before it registers ({@code if (ctx.isDone()) interrupt(); inside.add(e);}):
 *       a cancel between the two sweeps a set without the worker, and the check has already said "open". Result
 *       {@code not interrupted}. The right order is register, then check: whichever of the two writes comes
 *       second in the synchronization order, its reader sees the other;
 *   <li>an {@code enter} that does not check at all, which is how {@code ErrGroup}'s tasks ran before it used
 *       this class ({@code ErrGroup_03}): result {@code done after enter, not interrupted};
 *   <li>an {@code Entry.close()} that does not clear an interrupt the scope delivered: {@code flag leaked}, and the
 *       next task on a pool thread would be cancelled for nothing. (It would also leak into the next run of this
 *       test on the same jcstress thread.)
 * </ul>
 *
 * <p>Go equivalent: none; a goroutine reads {@code ctx.Done()} itself, and a Java blocking call needs the interrupt.
 *
 * <p>Results: the context after {@code enter}; the flag once cancel returned; whether the entry says the scope
 * interrupted it; the flag after {@code Entry.close()}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t InterruptScope_01"}
 */
@JCStressTest
@Outcome(id = "open after enter, interrupted, by the scope, flag clear", expect = ACCEPTABLE,
        desc = "Entered first: cancel's sweep interrupted the worker, and leaving cleared the unconsumed interrupt.")
@Outcome(id = "done after enter, interrupted, by the scope, flag clear", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel was (about) first: enter found the context done and interrupted the worker itself, or "
                + "the sweep came between enter's check and ours. Leaving cleared the interrupt.")
@Outcome(id = ".*, not interrupted, .*", expect = FORBIDDEN,
        desc = "Inside a context whose cancel has returned, and never interrupted: a blocked task would hang.")
@Outcome(id = ".*, flag leaked", expect = FORBIDDEN,
        desc = "Entry.close() left the scope's interrupt set: the thread's next task would be interrupted.")
@Outcome(expect = FORBIDDEN, desc = "An interrupt the entry does not know it delivered.")
@State
public class InterruptScope_01_EnterRacingCancel {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final InterruptScope scope = InterruptScope.of(ctx);
    volatile boolean cancelReturned;

    @Actor
    public void worker(LLLL_Result r) {
        try (InterruptScope.Entry entry = scope.enter()) {
            r.r1 = ctx.isDone() ? "done after enter" : "open after enter";
            while (!cancelReturned) {
                Thread.onSpinWait(); // the canceller's next few instructions
            }
            r.r2 = Thread.currentThread().isInterrupted() ? "interrupted" : "not interrupted"; // not consumed
            r.r3 = entry.interrupted() ? "by the scope" : "not by the scope";
        }
        r.r4 = Thread.interrupted() ? "flag leaked" : "flag clear"; // and clear it for the next run on this thread
    }

    @Actor
    public void canceller() {
        ctx.cancel();
        cancelReturned = true;
    }
}
