package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.Context;
import dev.gopatterns.resource.ResourcePool;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A lease's {@code close()} racing an {@code acquire} on a pool of one. The state leases the pool's only resource
 * {@code r1}; then one actor acquires (it must wait, unless the resource is back already) while the other reads
 * whether an acquire is waiting and gives {@code r1} back. Either way the acquirer gets {@code r1}: handed straight
 * to it if it was parked in its select, or taken from the idle list if it came after. The resource is handed over
 * exactly once: the acquirer holds it, nothing is idle, and no second resource was created (no slot was freed, so
 * the acquirer cannot have created one while {@code r1} was on its way back).
 *
 * <p>It catches a give-back that lands between the acquirer's look at the idle list and its wait (the acquirer
 * would wait for ever: a hang, reported as a timeout), a resource both handed to the waiter and left idle (two
 * holders next time), and a resource lost on the way.
 *
 * <pre>{@code
 * // Go: the free list is a buffered channel; the waiter and the give-back meet on it
 * select { case r := <-p.idle: use(r); case p.slots <- struct{}{}: create(); case <-ctx.Done(): }   // acquirer
 * p.idle <- r                                                                                          // release
 * }</pre>
 *
 * <p>r1: whether an acquire was waiting when the release began; r2: what the acquirer got; r3: the pool's
 * created, leased and idle counts after both, then the destroyed count once the acquirer's lease is ended and the
 * pool closed.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Resource_01"}
 */
@JCStressTest
@Outcome(id = "waiting, r1, created=1 leased=1 idle=0 destroyed=1", expect = ACCEPTABLE_INTERESTING,
        desc = "The acquirer was waiting: the give-back handed r1 to it.")
@Outcome(id = "not waiting, r1, created=1 leased=1 idle=0 destroyed=1", expect = ACCEPTABLE,
        desc = "The acquirer had not reached its wait: it found r1 (idle, or handed over as it parked).")
@Outcome(id = ".*, r2, .*", expect = FORBIDDEN, desc = "A second resource was created on a pool of one.")
@Outcome(expect = FORBIDDEN, desc = "The resource was lost, held twice, left idle while lent, or not destroyed.")
@State
public class Resource_01_ReleaseRacingAcquire {

    final AtomicInteger ids = new AtomicInteger();
    final ResourcePool<String> pool = ResourcePool.<String>builder(ctx -> "r" + ids.incrementAndGet())
            .maxSize(1).build();
    final Context ctx = Context.background();
    final ResourcePool.Lease<String> held;
    ResourcePool.Lease<String> got;
    String waiting;

    public Resource_01_ReleaseRacingAcquire() {
        try {
            held = pool.acquire(ctx);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void acquirer() {
        try {
            got = pool.acquire(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // got stays null: an unlisted, so forbidden, outcome
        }
    }

    @Actor
    public void releaser() {
        waiting = pool.metrics().waiting() == 1 ? "waiting" : "not waiting";
        held.close();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        ResourcePool.Metrics m = pool.metrics();
        r.r1 = waiting;
        r.r2 = got == null ? "nothing" : got.get();
        if (got != null) {
            got.close();
        }
        pool.close();
        r.r3 = "created=" + m.created() + " leased=" + m.leased() + " idle=" + m.idle()
                + " destroyed=" + pool.metrics().destroyed();
    }
}
