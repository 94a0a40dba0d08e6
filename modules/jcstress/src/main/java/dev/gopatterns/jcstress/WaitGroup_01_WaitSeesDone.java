package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.sync.WaitGroup;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The counter starts at 2. A worker writes a plain field and calls {@code done()} once; the other {@code done()}
 * is called from the constructor side, so the counter reaches zero only with the worker's. A waiter calls
 * {@code await()} and reads the field: it must see the write ("actions prior to {@code done} happen-before actions
 * following the {@code await} it released"), and must not return before the worker's {@code done}.
 *
 * <pre>{@code
 * // Go:
 * wg.Add(2); wg.Done()
 * go func() { a = 1; wg.Done() }()
 * wg.Wait(); use(a)   // always 1
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t WaitGroup_01"}
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "await returned after the worker's done() and saw its write.")
@Outcome(expect = FORBIDDEN, desc = "await returned early, or a write made before done() was not visible after it.")
@State
public class WaitGroup_01_WaitSeesDone {

    final WaitGroup wg = new WaitGroup();
    int a;

    public WaitGroup_01_WaitSeesDone() {
        wg.add(2);
        wg.done();
    }

    @Actor
    public void worker() {
        a = 1;
        wg.done();
    }

    @Actor
    public void waiter(II_Result r) {
        try {
            wg.await();
            r.r1 = a;
            r.r2 = wg.count();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = -1;
        }
    }
}
