package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.sync.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Two threads race to take units from a weighted semaphore of size 2: one wants 2, the other 1. Whatever the
 * order, the grants add up to at most 2, and whichever comes first is granted, since it always fits.
 *
 * <pre>{@code
 * // Go:
 * sem := semaphore.NewWeighted(2)
 * go sem.TryAcquire(2); go sem.TryAcquire(1)
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Semaphore_01"}
 */
@JCStressTest
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The 2 went first and took everything; the 1 found nothing left.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The 1 went first; the 2 found only 1 unit left.")
@Outcome(id = "true, true", expect = FORBIDDEN, desc = "3 units granted from a semaphore of 2: over-grant.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Both refused, though the first request always fits.")
@State
public class Semaphore_01_NeverOverGrants {

    final Semaphore sem = new Semaphore(2);

    @Actor
    public void takesTwo(ZZ_Result r) {
        r.r1 = sem.tryAcquire(2);
    }

    @Actor
    public void takesOne(ZZ_Result r) {
        r.r2 = sem.tryAcquire(1);
    }
}
