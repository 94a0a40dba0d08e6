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
 * When a thread enters an {@code InterruptScope} at the same moment as its context is cancelled, both sides may
 * see each other: the cancel's sweep finds the entry, and {@code enter} finds the context done. Only one of them may
 * interrupt the thread. A second interrupt would strike the task again after it handled the first: a task that
 * catches the cancellation's {@code InterruptedException} to clean up (close a file, send a last message, wait
 * for a child) would have its clean-up interrupted too.
 *
 * <p>The worker enters and then consumes interrupts as fast as it can, counting them, until the canceller's
 * {@code cancel()} has returned; then it counts a last one still pending. After that nothing can interrupt it: the
 * sweep ran inside {@code cancel}, and {@code enter}'s own interrupt is synchronous. The count must be exactly 1.
 *
 * <p>What it catches: an {@code enter} and a sweep that both call {@code Thread.interrupt} when both see the
 * other (a plain "not left yet" check instead of the entry's compare-and-set from {@code INSIDE}). It catches it
 * only when the second interrupt lands after the worker has consumed the first; two interrupts before that
 * coalesce into one flag, and no test can tell them apart. The window is real: {@code enter}'s interrupt comes
 * before {@code enter} returns, the sweep's whenever the canceller gets there, and the worker polls in between.
 * It also catches a lost interrupt (count 0), as {@code InterruptScope_01} does.
 *
 * <p>Go equivalent: none; closing {@code ctx.Done()} is idempotent by construction, and a goroutine reads it itself.
 *
 * <p>Results: the context right after {@code enter} (a proxy for which side came first); how many interrupts the
 * worker saw; its flag after {@code Entry.close()}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t InterruptScope_02"}
 */
@JCStressTest
@Outcome(id = "open after enter, 1, flag clear", expect = ACCEPTABLE,
        desc = "Entered first: the sweep interrupted the worker, once.")
@Outcome(id = "done after enter, 1, flag clear", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel was (about) first: enter, or a sweep just after enter's check, interrupted the worker, "
                + "once, though both may have seen each other.")
@Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "Inside a cancelled context and never interrupted.")
@Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "Interrupted twice: both the sweep and enter delivered.")
@Outcome(expect = FORBIDDEN, desc = "More interrupts still, or a flag set after Entry.close().")
@State
public class InterruptScope_02_ExactlyOnce {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final InterruptScope scope = InterruptScope.of(ctx);
    volatile boolean cancelReturned;

    @Actor
    public void worker(LLL_Result r) {
        int seen = 0;
        try (InterruptScope.Entry entry = scope.enter()) {
            r.r1 = ctx.isDone() ? "done after enter" : "open after enter";
            while (!cancelReturned) {
                if (Thread.interrupted()) {
                    seen++;
                }
            }
            if (Thread.interrupted()) {
                seen++;
            }
        }
        r.r2 = seen;
        r.r3 = Thread.interrupted() ? "flag set" : "flag clear";
    }

    @Actor
    public void canceller() {
        ctx.cancel();
        cancelReturned = true;
    }
}
