package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Alert;
import dev.gopatterns.metrics.AlertRule;
import dev.gopatterns.metrics.Alerts;
import dev.gopatterns.metrics.Health;
import dev.gopatterns.metrics.HealthCheck;
import dev.gopatterns.metrics.Signal;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A pool as a {@link dev.gopatterns.metrics.Metered} component: its snapshot, a health check and an alert on it. */
class PoolSnapshotTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    @Test
    @DisplayName("the snapshot is the metrics, by name; a health check and an alert read the queue and failure rate")
    void snapshotHealthAndAlerts() throws Exception {
        Channel<Boolean> gate = Channel.make(0);
        Task<Void> held = c -> {
            Select.select(gate.onReceiveOrClosed(r -> true), c.onDone(() -> false));
            return null;
        };
        try (WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(4).clock(clock).build();
             Alerts alerts = Alerts.builder(pool).clock(clock)
                     .rule(AlertRule.above("queue-full", Signal.ratio("jobs.queued", "queue.capacity"), 1.0)
                             .clearAt(0.5)).build()) {
            HealthCheck health = HealthCheck.builder(pool)
                    .rule(Signal.ratio("jobs.queued", "queue.capacity"), 0.75, 1.0)
                    .rule(Signal.rate("jobs.failed", "jobs.completed", 2), 0.5, 1.0)
                    .build();
            assertThat(health.check()).isEqualTo(Health.HEALTHY);
            assertThat(alerts.evaluate()).isEmpty();

            pool.submit(ctx, held);
            Await.until("the first job runs", () -> pool.metrics().running() == 1);
            for (int i = 0; i < 3; i++) {
                pool.submit(ctx, held);
            }
            assertThat(health.check().status()).as("3 of 4 queued").isEqualTo(Health.Status.DEGRADED);
            pool.submit(ctx, held);
            Snapshot s = pool.snapshot();
            PoolMetrics m = pool.metrics();
            assertThat(s.component()).isEqualTo("pool");
            assertThat(s.value("jobs.queued")).isEqualTo(m.queued()).isEqualTo(4);
            assertThat(s.counter("jobs.submitted")).isEqualTo(m.submitted()).isEqualTo(5);
            assertThat(s.gauge("workers")).isEqualTo(1);
            assertThat(health.check().status()).isEqualTo(Health.Status.UNHEALTHY);
            List<Alert> fired = alerts.evaluate();
            assertThat(fired).singleElement().satisfies(a -> assertThat(a.kind()).isEqualTo(Alert.Kind.FIRING));
            assertThat(alerts.evaluate()).as("still full: no second event").isEmpty();

            gate.close();
            Await.until("every job done", () -> pool.metrics().completed() == 5);
            assertThat(health.check()).as("queue empty, 0 of 5 failed").isEqualTo(Health.HEALTHY);
            assertThat(alerts.evaluate()).singleElement()
                    .satisfies(a -> assertThat(a.kind()).isEqualTo(Alert.Kind.RESOLVED));
            pool.submit(ctx, c -> {
                throw new IOException("down");
            });
            pool.submit(ctx, c -> {
                throw new IOException("down");
            });
            Await.until("both failed", () -> pool.metrics().failed() == 2);
            Health h = health.check();
            assertThat(h.status()).as("2 of 2 failed since the last check").isEqualTo(Health.Status.UNHEALTHY);
            assertThat(h.reasons()).singleElement().asString().startsWith("rate(jobs.failed / jobs.completed) = 1");
            s = pool.snapshot();
            assertThat(s.timer("job.run_time").count()).isEqualTo(7);
            assertThat(s.counter("jobs.completed")).isEqualTo(7);
        }
    }
}
