package dev.gopatterns.exercises.find_the_bug_race;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code ./learn stress find_the_bug_race}: two handlers hit the same page at the same moment, with a store whose
 * save returns at once (no test hook holds it open, as the unit test's does: here the race must show up by
 * itself, on real cores, millions of times over).
 *
 * <p>r1 and r2 are what the two {@code hit}s returned, r3 the page's count afterwards. A correct counter gives
 * {@code 1, 2, 2} or {@code 2, 1, 2}; the shipped one, unfixed, also gives {@code 1, 1, 1}: both read 0, both
 * wrote 1, one hit lost.
 */
@JCStressTest
@Description("two concurrent hits of one page count two")
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE, desc = "the hits took turns")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "a lost update: both hits read 0 and wrote 1")
@Outcome(expect = FORBIDDEN, desc = "neither a count of 2 nor a lost update: the map itself broke")
@State
public class HitCounterStress {

    private final HitCounter counter = new HitCounter((page, count) -> { });

    @Actor
    public void first(III_Result r) {
        r.r1 = hit();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = hit();
    }

    @Arbiter
    public void count(III_Result r) {
        r.r3 = (int) counter.count("home");
    }

    private int hit() {
        try {
            return (int) counter.hit("home");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
