package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.pipeline.Pipeline;
import dev.gopatterns.pipeline.Run;
import dev.gopatterns.pipeline.Summary;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A typed {@link Pipeline} run of one item (source, then a map) races the cancellation of its context: one actor
 * consumes the output and awaits the run, the other cancels. Either the item comes out and the run completes, or the
 * cancel wins, the item is counted cancelled, and {@code await} throws the context's error. Never a run that says it
 * completed without delivering its item, nor one that throws although everything was delivered, and the books
 * balance either way ({@link Summary#checkBalanced()}).
 *
 * <pre>{@code
 * // Go:
 * out := sq(ctx, gen(ctx, 1))
 * go cancel()
 * v, ok := <-out            // 1, true or 0, false
 * err := g.Wait()           // nil if 1 came out, ctx.Err() otherwise
 * }</pre>
 *
 * <p>r1: what the consumer received; r2: how {@code await} ended; r3: whether the summary balanced and agrees with
 * r1.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_06"}
 */
@JCStressTest
@Outcome(id = "1, completed, balanced", expect = ACCEPTABLE,
        desc = "The run finished first: the item came out and await returned the summary.")
@Outcome(id = "closed, cancelled, balanced", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel won: no item came out, it was counted cancelled, await threw the context's error.")
@Outcome(expect = FORBIDDEN, desc = "A lost or invented item, a completed run without its item, a thrown error"
        + " although the item came out, or books that do not balance.")
@State
public class Pipeline_06_RunCancelRacingCompletion {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final Run<Integer> run = Pipeline.of(1).map(x -> x).start(ctx);

    @Actor
    public void consumer(LLL_Result r) {
        try {
            r.r1 = run.output().receiveOrClosed() instanceof Received.Value<Integer>(Integer v) ? v.toString()
                    : "closed";
            while (run.output().receiveOrClosed() instanceof Received.Value<Integer>) {
                r.r1 = "more";
            }
            try {
                run.await();
                r.r2 = "completed";
            } catch (ContextException e) {
                r.r2 = "cancelled";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r2 = "interrupted";
        }
    }

    @Actor
    public void canceller() {
        ctx.cancel();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        Summary s = run.summary().orElse(null);
        if (s == null) {
            r.r3 = "no summary";
            return;
        }
        try {
            s.checkBalanced();
        } catch (IllegalStateException e) {
            r.r3 = "unbalanced";
            return;
        }
        boolean delivered = "1".equals(r.r1);
        r.r3 = s.last().out() == (delivered ? 1 : 0) && s.source().in() - s.cancelled() == (delivered ? 1 : 0)
                ? "balanced" : "disagrees: " + s;
    }
}
