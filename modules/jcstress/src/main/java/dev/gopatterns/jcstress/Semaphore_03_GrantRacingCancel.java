package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A waiter in {@code acquire(ctx, 1)} on an empty semaphore, while another thread releases the unit and then cancels
 * the context: the grant and the cancellation race inside the waiter's select (the acquire clause against
 * {@code ctx.done()}). As in current x/sync, "the context ended" must mean "nothing acquired": either the waiter
 * returns holding the unit, or it throws the context's error and the unit is free again.
 *
 * <p>It catches an acquire that fails with the context's error but keeps a unit granted just before the cancel
 * (the grant must be given back), which would leak one unit per race until the semaphore is exhausted.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Semaphore_03"}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The grant came first and the context was still live: the unit is held.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The context ended first, or with the grant: it failed, and the unit is free.")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "Failed with the context's error but a unit is gone: leaked grant.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Returned normally without holding the unit.")
@State
public class Semaphore_03_GrantRacingCancel {

    final Semaphore sem = new Semaphore(1);
    final CancellableContext ctx = Context.withCancel(Context.background());

    public Semaphore_03_GrantRacingCancel() {
        if (!sem.tryAcquire(1)) {
            throw new AssertionError("a fresh semaphore has its unit");
        }
    }

    @Actor
    public void waiter(II_Result r) {
        try {
            sem.acquire(ctx, 1);
            r.r1 = 1;
        } catch (ContextException e) {
            r.r1 = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = -1; // nobody interrupts the actors: an unlisted, so forbidden, outcome
        }
    }

    @Actor
    public void releaserThenCanceller() {
        sem.release(1);
        ctx.cancel();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = (int) sem.held();
    }
}
