package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.FanIn;
import dev.gopatterns.pipeline.Sequenced;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;

/**
 * Two inputs of a {@code mergeSequenced} with a window of one are fed at the same moment by two actors: one sends
 * the even numbers 0 and 2, the other the odd numbers 1 and 3, each then closing its input. Whichever arrives
 * first, and however the arrivals interleave, the merger delivers 0, 1, 2, 3 in order, each once, and closes its
 * output once, after both inputs closed. A window of one is the tightest case: an odd number that arrives before
 * the even one below it is held for its input (backpressure), and that input is not read until the window reaches
 * it. A merger that delivered in arrival order, dropped an early value, or skipped a number too soon would show
 * here; one that closed twice would kill its thread (counted in r2).
 *
 * <pre>{@code
 * // Go (a reorder buffer keyed by sequence number; Go has no standard one):
 * out := mergeSequenced(done, 1, evens, odds)
 * go func() { evens <- seq{0, "0"}; evens <- seq{2, "2"}; close(evens) }()
 * go func() { odds <- seq{1, "1"}; odds <- seq{3, "3"}; close(odds) }()
 * for v := range out { got = append(got, v) }   // [0 1 2 3], whatever the interleaving
 * }</pre>
 *
 * <p>r1: the values received, in order, then "closed" if a further receive reports the output closed; r2: exceptions
 * that ended a merger thread.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_04"}
 */
@JCStressTest
@Outcome(id = "0 1 2 3 closed, 0", expect = ACCEPTABLE,
        desc = "Order restored, every value once, the output closed once after both inputs.")
@Outcome(expect = FORBIDDEN, desc = "Out of order, a value lost or duplicated, or the merger closed twice.")
@State
public class Pipeline_04_SequencedMergeUnderRaces {

    final Channel<Sequenced<String>> evens = Channel.buffered(2); // the actors never block: the race is the arrivals
    final Channel<Sequenced<String>> odds = Channel.buffered(2);
    final ReceiveChannel<String> out;
    final AtomicInteger died = new AtomicInteger();

    public Pipeline_04_SequencedMergeUnderRaces() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> died.incrementAndGet());
        out = FanIn.mergeSequenced(Context.background(), 1, evens, odds);
    }

    @Actor
    public void sendEvens() {
        evens.trySend(new Sequenced<>(0, "0"));
        evens.trySend(new Sequenced<>(2, "2"));
        evens.close();
    }

    @Actor
    public void sendOdds() {
        odds.trySend(new Sequenced<>(1, "1"));
        odds.trySend(new Sequenced<>(3, "3"));
        odds.close();
    }

    @Arbiter
    public void arbiter(LI_Result r) {
        StringJoiner got = new StringJoiner(" ");
        try {
            while (out.receiveOrClosed() instanceof Received.Value<String>(String v)) {
                got.add(v);
            }
            if (out.receiveOrClosed() instanceof Received.Closed<String>) {
                got.add("closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got.add("interrupted");
        }
        r.r1 = got.toString();
        r.r2 = died.get();
    }
}
