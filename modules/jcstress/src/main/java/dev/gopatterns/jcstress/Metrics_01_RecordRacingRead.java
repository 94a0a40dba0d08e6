package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.metrics.Percentiles;
import dev.gopatterns.metrics.ValueRecorder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Two values recorded, one after the other, while another thread reads the percentiles: the reader swaps HdrHistogram's
 * recorder for an empty one and adds the interval into its total. A value recorded during the swap must land in
 * this interval or the next, never in neither and never in both. So the reader sees 0, 1 or 2 values, and a read
 * after every actor has ended (the arbiter) sees exactly 2, with the larger as the max.
 *
 * <p>It catches a reader that resets the histogram it reads (losing the values recorded since), one that adds an
 * interval twice (counting a value in two reads), and a recorder whose writes are not published to the reader.
 *
 * <p>r1: the values the racing read saw; r2: the values the arbiter's read saw; r3: the arbiter's max.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Metrics_01"}
 */
@JCStressTest
@Outcome(id = "0, 2, 2000", expect = ACCEPTABLE, desc = "The read came before both values.")
@Outcome(id = "1, 2, 2000", expect = ACCEPTABLE_INTERESTING, desc = "The read fell between the two values.")
@Outcome(id = "2, 2, 2000", expect = ACCEPTABLE, desc = "The read came after both values.")
@Outcome(expect = FORBIDDEN, desc = "A value lost or counted twice across the reads, or the wrong max.")
@State
public class Metrics_01_RecordRacingRead {

    final ValueRecorder recorder = new ValueRecorder();

    @Actor
    public void record() {
        recorder.record(1000);
        recorder.record(2000);
    }

    @Actor
    public void read(JJJ_Result r) {
        r.r1 = recorder.percentiles().count();
    }

    @Arbiter
    public void after(JJJ_Result r) {
        Percentiles p = recorder.percentiles();
        r.r2 = p.count();
        r.r3 = p.max() >= 2000 && p.max() < 2002 ? 2000 : p.max();
    }
}
