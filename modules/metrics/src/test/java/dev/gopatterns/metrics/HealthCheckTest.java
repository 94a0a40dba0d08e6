package dev.gopatterns.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link HealthCheck} and {@link Signal}, over a source whose numbers the test sets. */
class HealthCheckTest {

    /** A pool-like source: queued of capacity 10, failed of completed. */
    private long queued;
    private long failed;
    private long completed;
    private double state;

    private final Metered pool = () -> Snapshot.of("pool").gauge("jobs.queued", queued).gauge("queue.capacity", 10)
            .counter("jobs.failed", failed).counter("jobs.completed", completed).build();
    private final Metered breaker = () -> Snapshot.of("circuit_breaker").gauge("state", state).build();

    private final HealthCheck poolHealth = HealthCheck.builder(pool)
            .rule(Signal.ratio("jobs.queued", "queue.capacity"), 0.8, 1.0)
            .rule(Signal.rate("jobs.failed", "jobs.completed", 10), 0.05, 0.25)
            .build();

    @Test
    @DisplayName("healthy below every threshold, degraded at the first, unhealthy at the second, with the reasons")
    void thresholds() {
        assertThat(poolHealth.check()).isEqualTo(Health.HEALTHY);
        queued = 8;
        Health h = poolHealth.check();
        assertThat(h.status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(h.reasons()).containsExactly("jobs.queued / queue.capacity = 0.8000 >= 0.8000 (degraded)");
        queued = 10;
        assertThat(poolHealth.check().status()).isEqualTo(Health.Status.UNHEALTHY);
        queued = 7;
        assertThat(poolHealth.check()).isEqualTo(Health.HEALTHY);
        assertThat(poolHealth.snapshot().gauge("status")).isEqualTo(0);
    }

    @Test
    @DisplayName("a rate is read since the previous check, and only over enough events")
    void rateSinceLastCheck() {
        poolHealth.check(); // the first reading: no rate yet
        failed = 3;
        completed = 5; // 60% failed, but over 5 events: no reading
        assertThat(poolHealth.check()).isEqualTo(Health.HEALTHY);
        failed = 4;
        completed = 25; // since the last check: 1 failed of 20
        assertThat(poolHealth.check().status()).isEqualTo(Health.Status.DEGRADED);
        failed = 9;
        completed = 45; // 5 of 20
        Health h = poolHealth.check();
        assertThat(h.status()).isEqualTo(Health.Status.UNHEALTHY);
        assertThat(h.reasons()).singleElement().asString().startsWith("rate(jobs.failed / jobs.completed) = 0.25");
        completed = 65; // 0 of 20
        assertThat(poolHealth.check()).isEqualTo(Health.HEALTHY);
    }

    @Test
    @DisplayName("combined checks take the worst, labelling the reasons, unhealthy first")
    void combined() {
        HealthCheck all = HealthCheck.combine(new LinkedHashMap<>(Map.of("pool", poolHealth)) {
            {
                put("breaker", HealthCheck.builder(breaker).rule(Signal.value("state"), 1, 2).build());
            }
        });
        assertThat(all.check()).isEqualTo(Health.HEALTHY);
        queued = 9;
        state = 2;
        Health h = all.check();
        assertThat(h.status()).isEqualTo(Health.Status.UNHEALTHY);
        assertThat(h.reasons()).containsExactly("breaker: state = 2 >= 2 (unhealthy)",
                "pool: jobs.queued / queue.capacity = 0.9000 >= 0.8000 (degraded)");
        assertThat(all.snapshot().gauge("status")).isEqualTo(2);
    }

    @Test
    @DisplayName("a NaN reading is healthy; bad thresholds and empty checks are refused, naming the rule")
    void badInput() {
        HealthCheck nan = HealthCheck.builder(pool).unhealthyAt(Signal.of("nothing", (p, c) -> Double.NaN), 0).build();
        assertThat(nan.check()).isEqualTo(Health.HEALTHY);
        assertThatThrownBy(() -> HealthCheck.builder(pool).rule(Signal.value("jobs.queued"), 2, 1))
                .hasMessageContaining("degradedAt <= unhealthyAt");
        assertThatThrownBy(() -> HealthCheck.builder(pool).build()).hasMessageContaining("at least one rule");
        assertThatThrownBy(() -> HealthCheck.combine(Map.of())).hasMessageContaining("at least one check");
        assertThatThrownBy(() -> Signal.rate("a", "b", 0)).hasMessageContaining("minEvents >= 1, was 0");
        assertThatThrownBy(() -> Signal.value("Bad")).hasMessageContaining("name must match");
    }
}
