package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.Context;
import dev.gopatterns.resource.ResourcePool;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The pool's {@code close()} racing a lease's {@code close()}. The state leases {@code r1} and leaves {@code r2}
 * idle (a pool of two). Then one actor gives {@code r1} back while the other closes the pool. Each resource must be
 * destroyed exactly once: {@code r2} by the pool's close (it is idle), and {@code r1} either by its give-back (it
 * saw the pool closed, or its send to the idle list found the list closed) or by the pool's close (the give-back put
 * it on the idle list first, and close's drain took it). Never by both, never by neither; and afterwards nothing is
 * idle, nothing is lent, and an acquire is refused.
 *
 * <p>It catches a give-back that lands in the idle list after close has drained it (a resource never destroyed),
 * and a give-back and a drain that both destroy it.
 *
 * <pre>{@code
 * // Go: close(p.idle) makes a late give-back panic; database/sql checks db.closed under db.mu instead
 * p.mu.Lock(); p.closed = true; close(p.idle); p.mu.Unlock(); for r := range p.idle { destroy(r) }   // close
 * p.mu.Lock(); if p.closed { p.mu.Unlock(); destroy(r); return }; p.idle <- r; p.mu.Unlock()          // release
 * }</pre>
 *
 * <p>r1: how often {@code r1} was destroyed, and by which actor; r2: the same for {@code r2}; r3: the pool's counts
 * after both, and what an acquire then got.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Resource_02"}
 */
@JCStressTest
@Outcome(id = "r1 1x by release, r2 1x by close, created=2 destroyed=2 idle=0 leased=0 refused", expect = ACCEPTABLE,
        desc = "The give-back saw the pool closed (or its idle list closed) and destroyed r1 itself.")
@Outcome(id = "r1 1x by close, r2 1x by close, created=2 destroyed=2 idle=0 leased=0 refused",
        expect = ACCEPTABLE_INTERESTING, desc = "The give-back put r1 on the idle list first; close's drain destroyed it.")
@Outcome(id = "r1 (0|[2-9])x.*", expect = FORBIDDEN, desc = "r1 was never destroyed, or destroyed twice.")
@Outcome(expect = FORBIDDEN, desc = "r2 not destroyed once, counts that do not add up, or an acquire after close.")
@State
public class Resource_02_CloseRacingRelease {

    static final ThreadLocal<String> ROLE = new ThreadLocal<>();

    final AtomicInteger ids = new AtomicInteger();
    final Map<String, AtomicInteger> destroys = new ConcurrentHashMap<>();
    final Map<String, String> destroyedBy = new ConcurrentHashMap<>();
    final ResourcePool<String> pool = ResourcePool.<String>builder(ctx -> "r" + ids.incrementAndGet())
            .maxSize(2).destroyer(r -> {
                destroys.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
                destroyedBy.merge(r, String.valueOf(ROLE.get()), (a, b) -> a + "+" + b);
            }).build();
    final ResourcePool.Lease<String> lent;

    public Resource_02_CloseRacingRelease() {
        try {
            Context ctx = Context.background();
            lent = pool.acquire(ctx);
            pool.acquire(ctx).close(); // r2, idle
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void release() {
        ROLE.set("release");
        lent.close();
    }

    @Actor
    public void close() {
        ROLE.set("close");
        pool.close();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        r.r1 = describe("r1");
        r.r2 = describe("r2");
        ResourcePool.Metrics m = pool.metrics();
        String after;
        try {
            after = pool.tryAcquire(Context.background()).map(l -> "got " + l.get()).orElse("empty");
        } catch (IllegalStateException e) {
            after = "refused";
        } catch (Exception e) {
            after = e.toString();
        }
        r.r3 = "created=" + m.created() + " destroyed=" + m.destroyed() + " idle=" + m.idle() + " leased="
                + m.leased() + " " + after;
    }

    private String describe(String resource) {
        AtomicInteger n = destroys.get(resource);
        return resource + " " + (n == null ? 0 : n.get()) + "x by " + destroyedBy.getOrDefault(resource, "nobody");
    }
}
