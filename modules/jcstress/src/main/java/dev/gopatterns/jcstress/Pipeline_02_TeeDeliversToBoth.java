package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.Tee;
import java.util.StringJoiner;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * A tee over an input holding 1 and 2 (then closed); each actor ranges over one output. Whichever consumer is
 * ready first gets each value first, but both get both values, in order, and both loops end: the tee closes both
 * outputs once the input is closed.
 *
 * <pre>{@code
 * // Go:
 * out1, out2 := tee(done, in)         // in: 1, 2, closed
 * go func() { for v := range out1 { got1 = append(got1, v) } }()
 * for v := range out2 { got2 = append(got2, v) }   // got1 == got2 == [1 2]
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_02"}
 */
@JCStressTest
@Outcome(id = "1 2, 1 2", expect = ACCEPTABLE, desc = "Both outputs got every value, in order, then closed.")
@Outcome(expect = FORBIDDEN, desc = "A value lost, duplicated or reordered on one output.")
@State
public class Pipeline_02_TeeDeliversToBoth {

    final Tee<Integer> tee;

    public Pipeline_02_TeeDeliversToBoth() {
        Channel<Integer> in = Channel.buffered(2);
        in.trySend(1);
        in.trySend(2);
        in.close();
        tee = Tee.tee(Context.background(), in);
    }

    @Actor
    public void first(LL_Result r) {
        StringJoiner got = new StringJoiner(" ");
        for (Integer v : tee.first()) {
            got.add(v.toString());
        }
        r.r1 = got.toString();
    }

    @Actor
    public void second(LL_Result r) {
        StringJoiner got = new StringJoiner(" ");
        for (Integer v : tee.second()) {
            got.add(v.toString());
        }
        r.r2 = got.toString();
    }
}
