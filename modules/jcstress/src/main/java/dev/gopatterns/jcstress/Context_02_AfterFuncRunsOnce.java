package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * One thread cancels a context while another calls the {@code stop} function of an {@code afterFunc} registered
 * on it; afterwards the context is cancelled once more. The function runs exactly once or not at all, and
 * {@code stop()} says which: {@code true} means "I prevented it", so it must never run; {@code false} means it had
 * started, so it runs exactly once, however many times cancel is called. (jcstress runs at most as many actors as
 * the machine has CPUs, so the second cancel is in the arbiter.)
 *
 * <pre>{@code
 * // Go:
 * stop := context.AfterFunc(ctx, f)
 * go cancel()
 * stopped := stop()    // stopped == true  <=> f never runs
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Context_02"}
 */
@JCStressTest
@Outcome(id = "true, 0", expect = ACCEPTABLE, desc = "stop() won: the function never ran.")
@Outcome(id = "false, 1", expect = ACCEPTABLE, desc = "A cancel won: the function ran exactly once.")
@Outcome(id = "true, 1", expect = FORBIDDEN, desc = "stop() claimed to prevent the function, but it ran.")
@Outcome(id = "false, 0", expect = FORBIDDEN, desc = "stop() failed, yet the function never ran: it was lost.")
@Outcome(expect = FORBIDDEN, desc = "The function ran more than once.")
@State
public class Context_02_AfterFuncRunsOnce {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch ran = new CountDownLatch(1);
    final Context.Stop stop = Context.afterFunc(ctx, () -> {
        runs.incrementAndGet();
        ran.countDown();
    });

    @Actor
    public void canceller() {
        ctx.cancel();
    }

    @Actor
    public void stopper(ZI_Result r) {
        r.r1 = stop.stop();
    }

    @Arbiter
    public void arbiter(ZI_Result r) {
        ctx.cancel(); // idempotent: must not run the function again
        if (!r.r1) {
            try {
                // The function runs in its own thread; give it time to finish before counting.
                ran.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        r.r2 = runs.get();
    }
}
