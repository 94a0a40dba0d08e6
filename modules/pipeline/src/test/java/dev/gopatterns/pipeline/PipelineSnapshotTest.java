package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Health;
import dev.gopatterns.metrics.HealthCheck;
import dev.gopatterns.metrics.Signal;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A running pipeline as a {@link dev.gopatterns.metrics.Metered} component: live counts, buffers, health. */
class PipelineSnapshotTest {

    private static final Context BG = Context.background();

    @Test
    @DisplayName("a run's snapshot counts each stage live, shows what waits in its buffers, and ends as its summary")
    void liveCounts() throws Exception {
        Channel<Integer> in = Channel.make(0);
        try (Run<Integer> run = Pipeline.from(in).map((c, n) -> {
            if (n < 0) {
                throw new IOException("negative");
            }
            return n * 10;
        }).named("times ten").onError(ErrorPolicy.SKIP).filter(n -> n != 20).buffer(4).start(BG)) {
            Snapshot s = run.snapshot();
            assertThat(s.component()).isEqualTo("pipeline");
            assertThat(s.names()).startsWith("running", "buffered", "items.entered", "items.failed", "items.skipped",
                    "items.dropped", "stage.source.in").contains("stage.times_ten.skipped", "stage.filter.dropped",
                    "stage.filter.buffered", "stage.filter.capacity");
            assertThat(s.gauge("running")).isEqualTo(1);
            HealthCheck health = HealthCheck.builder(run)
                    .rule(Signal.ratio("stage.filter.buffered", "stage.filter.capacity"), 0.5, 1.0)
                    .rule(Signal.rate("items.skipped", "items.entered", 4), 0.2, 0.5)
                    .build();
            assertThat(health.check()).isEqualTo(Health.HEALTHY);

            for (int n : new int[] {1, 2, -1, 3}) {
                in.send(n);
            }
            Await.until(() -> "two values waiting in the output (" + run.snapshot() + ")",
                    () -> run.snapshot().gauge("stage.filter.buffered") == 2);
            s = run.snapshot();
            assertThat(s.counter("items.entered")).isEqualTo(4);
            assertThat(s.counter("stage.times_ten.in")).isEqualTo(4);
            assertThat(s.counter("stage.times_ten.skipped")).isEqualTo(1);
            assertThat(s.counter("items.skipped")).isEqualTo(1);
            assertThat(s.counter("stage.filter.dropped")).isEqualTo(1);
            assertThat(s.counter("stage.filter.out")).isEqualTo(2);
            assertThat(s.gauge("buffered")).isEqualTo(2);
            Health h = health.check();
            assertThat(h.status()).as("half the output buffer full; 1 of 4 skipped").isEqualTo(Health.Status.DEGRADED);
            assertThat(h.reasons()).hasSize(2);

            assertThat(run.output().receive()).isEqualTo(10);
            assertThat(run.output().receive()).isEqualTo(30);
            in.close();
            Summary summary = run.await();
            s = run.snapshot();
            assertThat(s.gauge("running")).isZero();
            for (Summary.Stage st : summary.stages()) {
                String key = "stage." + st.name().replaceFirst("^[0-9]+:", "").replace(' ', '_') + ".";
                assertThat(s.counter(key + "in")).as(key + "in").isEqualTo(st.in());
                assertThat(s.counter(key + "out")).as(key + "out").isEqualTo(st.out());
                assertThat(s.counter(key + "cancelled")).as(key + "cancelled").isEqualTo(st.cancelled());
            }
        }
    }
}
