package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.metrics.Alert;
import dev.gopatterns.metrics.AlertRule;
import dev.gopatterns.metrics.Alerts;
import dev.gopatterns.metrics.Signal;
import dev.gopatterns.metrics.Snapshot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIL_Result;

/**
 * Two samples of one alert rule at once, both past its threshold: the owner's {@code evaluate()} and the ticker's,
 * say. The rule's state machine must step once per sample, so exactly one of them fires the alert and the other
 * sees it firing already: one {@code FIRING} event in all, numbered 1, on the events channel too.
 *
 * <p>It catches a check-then-act on the firing flag (both samples see "quiet", both fire), events numbered twice
 * with one sequence number, and an event returned by a sample but not sent to the channel.
 *
 * <p>r1, r2: the events each sample returned; r3: the events on the channel after both, as kind and sequence.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Metrics_02"}
 */
@JCStressTest
@Outcome(id = "1, 0, FIRING#1", expect = ACCEPTABLE, desc = "The first sample fired; the second saw it firing.")
@Outcome(id = "0, 1, FIRING#1", expect = ACCEPTABLE, desc = "The second sample fired; the first saw it firing.")
@Outcome(expect = FORBIDDEN, desc = "Fired twice, never, or the channel disagrees with the samples.")
@State
public class Metrics_02_AlertFiresOncePerCrossing {

    final Alerts alerts = Alerts.builder(() -> Snapshot.of("pool").gauge("jobs.queued", 150).build())
            .rule(AlertRule.above("backlog", Signal.value("jobs.queued"), 100)).clock(new FakeClock()).build();

    @Actor
    public void sample1(IIL_Result r) {
        r.r1 = alerts.evaluate().size();
    }

    @Actor
    public void sample2(IIL_Result r) {
        r.r2 = alerts.evaluate().size();
    }

    @Arbiter
    public void after(IIL_Result r) {
        alerts.close();
        StringBuilder sb = new StringBuilder();
        for (Alert a : alerts.events()) {
            sb.append(sb.isEmpty() ? "" : " ").append(a.kind()).append('#').append(a.sequence());
        }
        r.r3 = sb.toString();
    }
}
