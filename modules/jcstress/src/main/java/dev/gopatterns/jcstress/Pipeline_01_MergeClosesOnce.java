package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.FanIn;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two inputs of a {@code merge}, each holding one value, are closed at the same moment by two actors. Every value
 * comes out once, and the output is closed exactly once, after both inputs: the last forwarder to end closes it.
 * The classic bug, closing the merged output from each input's forwarder, would make the second close throw
 * "close of closed channel" in a stage thread (counted in r3), or close the output before the other input's value.
 *
 * <pre>{@code
 * // Go:
 * out := merge(done, a, b)   // a and b each hold one value
 * go close(a); go close(b)
 * for v := range out { sum += v; n++ }   // sum == 3, n == 2, and no panic
 * }</pre>
 *
 * <p>r1: the sum of the values received; r2: how many; r3: exceptions that ended a merge thread.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_01"}
 */
@JCStressTest
@Outcome(id = "3, 2, 0", expect = ACCEPTABLE, desc = "Both values once, then one close, after both inputs closed.")
@Outcome(expect = FORBIDDEN, desc = "A value lost or duplicated, the output closed early, or closed twice.")
@State
public class Pipeline_01_MergeClosesOnce {

    final Channel<Integer> a = Channel.buffered(1);
    final Channel<Integer> b = Channel.buffered(1);
    final ReceiveChannel<Integer> out;
    final java.util.concurrent.atomic.AtomicInteger died = new java.util.concurrent.atomic.AtomicInteger();

    public Pipeline_01_MergeClosesOnce() {
        a.trySend(1);
        b.trySend(2);
        Thread.UncaughtExceptionHandler count = (t, e) -> died.incrementAndGet();
        Thread.setDefaultUncaughtExceptionHandler(count);
        out = FanIn.merge(Context.background(), a, b);
    }

    @Actor
    public void closeA() {
        a.close();
    }

    @Actor
    public void closeB() {
        b.close();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        int sum = 0;
        int n = 0;
        try {
            while (out.receiveOrClosed() instanceof Received.Value<Integer>(Integer v)) {
                sum += v;
                n++;
            }
            if (!(out.receiveOrClosed() instanceof Received.Closed<Integer>)) {
                n = -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            n = -2;
        }
        r.r1 = sum;
        r.r2 = n;
        r.r3 = died.get();
    }
}
