package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.Sources;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * A generator's last (only) send races the cancellation of its context: one actor receives, the other cancels.
 * The value is received once or not at all, and the output is closed in either case, so the receiver never hangs
 * and the stage's thread ends. Without the select over the send and {@code ctx.done()}, a cancelled generator
 * whose consumer left would block in its send for ever: Go's goroutine leak.
 *
 * <pre>{@code
 * // Go:
 * out := generator(ctx.Done(), 1)
 * go cancel()
 * v, ok := <-out   // 1, true or 0, false; then out is closed
 * }</pre>
 *
 * <p>r1: what the receiving actor got; r2: what a receive after both actors got.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_03"}
 */
@JCStressTest
@Outcome(id = "1, closed", expect = ACCEPTABLE, desc = "The send won: the value was received, then the output closed.")
@Outcome(id = "closed, closed", expect = ACCEPTABLE_INTERESTING,
        desc = "The cancel won: nothing was sent, and the output closed.")
@Outcome(expect = FORBIDDEN, desc = "A value after the output reported closed, or a duplicate.")
@State
public class Pipeline_03_CancelRacingLastSend {

    final CancellableContext ctx = Context.withCancel(Context.background());
    final ReceiveChannel<Integer> out = Sources.generator(ctx, 1);

    @Actor
    public void receiver(LL_Result r) {
        r.r1 = describe(out);
    }

    @Actor
    public void canceller() {
        ctx.cancel();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        r.r2 = describe(out);
    }

    private static String describe(ReceiveChannel<Integer> ch) {
        try {
            return switch (ch.receiveOrClosed()) {
                case Received.Value<Integer>(Integer v) -> v.toString();
                case Received.Closed<Integer>() -> "closed";
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
