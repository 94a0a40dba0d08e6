package dev.gopatterns.exercises.stateful_goroutine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.Context;
import java.util.HashMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code ./learn stress stateful_goroutine}: two writers {@code add(ctx, "k", 1)} through the owner at the same
 * moment, on a fresh store over a plain {@code HashMap}, on real cores, millions of times over.
 *
 * <p>r1 and r2 are what the two adds returned, r3 the value of "k" afterwards (read through the owner too, which
 * is then closed). The owner applies one request at a time, each add a whole read-modify-write, so a correct store
 * (Go by Example's "Stateful Goroutines") gives {@code 1, 2, 2} or {@code 2, 1, 2}: the adds took turns, in
 * either order. {@code 1, 1, 1} is a lost update: both adds read 0 and wrote 1. That is what a store gives whose
 * writers touch the map outside the owner (a "fast path" in the caller's thread, with no lock), or whose add is
 * two requests to the owner, a get and then a put of the sum, so that the other writer's add can come in between.
 *
 * <p>How to run: {@code ./learn stress stateful_goroutine} (on your code), {@code --solution} (on the reference).
 */
@JCStressTest
@Description("two concurrent adds through the owner count two")
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE, desc = "the owner applied the adds one after the other")
@Outcome(id = "1, 1, 1", expect = FORBIDDEN,
        desc = "a lost update: both adds read 0 and wrote 1, the read-modify-write was not one step of the owner")
@Outcome(expect = FORBIDDEN, desc = "neither a count of 2 nor a lost update: the store broke (or an add threw)")
@State
public class TwoWritersStress {

    private final Store store = Store.start(Context.background(), new HashMap<>());

    @Actor
    public void first(III_Result r) {
        r.r1 = add();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = add();
    }

    @Arbiter
    public void value(III_Result r) {
        try (store) { // every state starts an owner thread: end it, or millions of them pile up
            r.r3 = store.get(Context.background(), "k");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r3 = -1;
        } catch (RuntimeException e) {
            r.r3 = -2;
        }
    }

    private int add() {
        try {
            return store.add(Context.background(), "k", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (RuntimeException e) {
            return -2;
        }
    }
}
