package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A parent context is cancelled while, at the same moment, another thread derives a child from it. Whatever the
 * interleaving, the child must end up cancelled: either it registered with the parent before the cancel (and the
 * cancel's loop over children reaches it), or it registered after (and sees the parent's error at once).
 *
 * <p>This is the window Go's {@code propagateCancel} closes by holding the parent's lock for both registration and
 * cancellation. A child that slipped through would be a goroutine, or here a thread, that never learns it should
 * stop.
 *
 * <pre>{@code
 * // Go:
 * parent, cancel := context.WithCancel(context.Background())
 * go cancel()
 * child, _ := context.WithCancel(parent)   // always ends up Done
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Context_01"}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The child is cancelled, with the parent's error.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The child escaped the parent's cancel: it will never be done.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "The child is done but with an error other than the parent's.")
@State
public class Context_01_CancelRacingChildCreation {

    final CancellableContext parent = Context.withCancel(Context.background());
    volatile CancellableContext child;

    @Actor
    public void canceller() {
        parent.cancel();
    }

    @Actor
    public void creator() {
        child = Context.withCancel(parent);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        CancellableContext c = child;
        r.r1 = c.isDone() ? 1 : 0;
        r.r2 = c.err().isPresent() && c.err().get() == parent.err().orElse(null) ? 1 : 0;
    }
}
