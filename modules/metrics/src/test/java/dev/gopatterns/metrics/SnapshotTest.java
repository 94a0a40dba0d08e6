package dev.gopatterns.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Snapshot}, {@link Metric} and {@link ValueRecorder}. */
class SnapshotTest {

    private final Snapshot pool = Snapshot.of("pool").counter("jobs.submitted", 7).gauge("jobs.queued", 3)
            .timer("job.run_time", Latency.NONE).distribution("batch.size", Percentiles.NONE).build();

    @Test
    @DisplayName("metrics are read by name and kind, in the order they were added")
    void readsByName() {
        assertThat(pool.names()).containsExactly("jobs.submitted", "jobs.queued", "job.run_time", "batch.size");
        assertThat(pool.counter("jobs.submitted")).isEqualTo(7);
        assertThat(pool.value("jobs.submitted")).isEqualTo(7.0);
        assertThat(pool.value("jobs.queued")).isEqualTo(3.0);
        assertThat(pool.timer("job.run_time")).isEqualTo(Latency.NONE);
        assertThat(pool.distribution("batch.size")).isEqualTo(Percentiles.NONE);
        assertThat(pool.has("jobs.queued")).isTrue();
        assertThat(pool.has("jobs.nope")).isFalse();
    }

    @Test
    @DisplayName("a missing name or the wrong kind fails, naming what there is")
    void wrongNameOrKind() {
        assertThatThrownBy(() -> pool.value("jobs.nope")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no metric 'jobs.nope' in pool").hasMessageContaining("jobs.submitted");
        assertThatThrownBy(() -> pool.counter("jobs.queued")).hasMessageContaining("is a gauge, not a counter");
        assertThatThrownBy(() -> pool.value("job.run_time")).hasMessageContaining("not a counter or gauge");
        assertThatThrownBy(() -> pool.timer("batch.size")).hasMessageContaining("not a timer");
    }

    @Test
    @DisplayName("names follow the rule, are unique, and counters are never negative")
    void rules() {
        assertThatThrownBy(() -> Snapshot.of("pool").counter("Jobs", 1))
                .hasMessageContaining("name must match").hasMessageContaining("'Jobs'");
        assertThatThrownBy(() -> Snapshot.of("pool").gauge("a..b", 1)).hasMessageContaining("'a..b'");
        assertThatThrownBy(() -> Snapshot.of("pool").counter("a", 1).gauge("a", 2).build())
                .hasMessageContaining("'a' is there twice in pool");
        assertThatThrownBy(() -> Snapshot.of("pool").counter("a", -1)).hasMessageContaining("must be >= 0, was -1");
        assertThatThrownBy(() -> Snapshot.of("Pool")).hasMessageContaining("'Pool'");
    }

    @Test
    @DisplayName("nest prefixes every metric of another snapshot, keeping its kind")
    void nests() {
        Snapshot outer = Snapshot.of("service").gauge("up", 1).nest("pool", pool).build();
        assertThat(outer.names()).containsExactly("up", "pool.jobs.submitted", "pool.jobs.queued",
                "pool.job.run_time", "pool.batch.size");
        assertThat(outer.counter("pool.jobs.submitted")).isEqualTo(7);
        assertThat(outer.timer("pool.job.run_time")).isEqualTo(Latency.NONE);
    }

    @Test
    @DisplayName("a value recorder reads percentiles within 0.1%, from every thread's values, clamping the absurd")
    void recorder() throws Exception {
        ValueRecorder r = new ValueRecorder();
        assertThat(r.latency()).isEqualTo(Latency.NONE);
        assertThat(r.percentiles()).isEqualTo(Percentiles.NONE);
        Thread[] writers = new Thread[4];
        for (int t = 0; t < writers.length; t++) {
            int base = t * 250;
            writers[t] = Thread.ofVirtual().start(() -> {
                for (int i = 1; i <= 250; i++) {
                    r.recordNanos(1_000L * (base + i));
                }
            });
        }
        for (Thread w : writers) {
            w.join();
        }
        Latency l = r.latency();
        assertThat(l.count()).isEqualTo(1000);
        assertThat(l.p50().toNanos()).isCloseTo(500_000L, org.assertj.core.data.Percentage.withPercentage(0.2));
        assertThat(l.p99().toNanos()).isCloseTo(990_000L, org.assertj.core.data.Percentage.withPercentage(0.2));
        assertThat(l.max().toNanos()).isCloseTo(1_000_000L, org.assertj.core.data.Percentage.withPercentage(0.2));
        r.record(Duration.ofDays(1));
        r.record(Duration.ofNanos(-5));
        assertThat(r.latency().count()).isEqualTo(1002);
        assertThat(r.latency().max().toNanos()).isLessThanOrEqualTo((long) (ValueRecorder.MAX_VALUE * 1.001));
        assertThatThrownBy(() -> r.record(-1)).hasMessageContaining("values must be >= 0, was -1");
    }
}
