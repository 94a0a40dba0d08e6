package dev.gopatterns.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Latency;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Percentiles;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.pool.WorkerPool;
import dev.gopatterns.testkit.Await;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link MeteredBinder}: names, kinds, tags, one snapshot per scrape, and removal. */
class MeteredBinderTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

    private final AtomicLong count = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final Metered source = () -> {
        reads.incrementAndGet();
        return Snapshot.of("thing").counter("jobs.done", count.get()).gauge("queue.length", 3)
                .timer("job.run_time", new Latency(10, Duration.ofMillis(1), Duration.ofMillis(2),
                        Duration.ofMillis(3), Duration.ofMillis(4)))
                .distribution("batch.size", new Percentiles(5, 8, 16, 32, 64)).build();
    };

    @Test
    @DisplayName("each metric becomes meters named gopatterns.<component>.<metric>, tagged with the name and extras")
    void namesKindsAndTags() {
        count.set(7);
        MeteredBinder.bind(registry, "orders", source, Tag.of("region", "eu"));
        assertThat(registry.get("gopatterns.thing.jobs.done").tag("name", "orders").tag("region", "eu")
                .functionCounter().count()).isEqualTo(7);
        assertThat(registry.get("gopatterns.thing.queue.length").gauge().value()).isEqualTo(3);
        assertThat(registry.get("gopatterns.thing.job.run_time.percentile").tag("phi", "0.99").timeGauge()
                .value(TimeUnit.MILLISECONDS)).isEqualTo(3);
        assertThat(registry.get("gopatterns.thing.job.run_time.max").timeGauge().value(TimeUnit.MILLISECONDS))
                .isEqualTo(4);
        assertThat(registry.get("gopatterns.thing.job.run_time.count").functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("gopatterns.thing.batch.size.percentile").tag("phi", "0.5").gauge().value())
                .isEqualTo(8);
        assertThat(registry.get("gopatterns.thing.batch.size.max").gauge().value()).isEqualTo(64);
        assertThat(registry.getMeters()).hasSize(2 + 5 + 5);
    }

    @Test
    @DisplayName("one snapshot serves every meter for maxAge on the registry's clock; close removes the meters")
    void oneSnapshotPerScrape() {
        MeteredBinder b = MeteredBinder.bind(registry, "orders", source);
        int afterBind = reads.get();
        registry.getMeters().forEach(m -> m.measure().forEach(x -> { }));
        assertThat(reads.get()).as("every meter read within maxAge: no new snapshot").isEqualTo(afterBind);
        count.set(5);
        clock.add(Duration.ofSeconds(1));
        assertThat(registry.get("gopatterns.thing.jobs.done").functionCounter().count()).isEqualTo(5);
        assertThat(reads.get()).isEqualTo(afterBind + 1);
        b.close();
        assertThat(registry.getMeters()).isEmpty();
        b.close();
        assertThatThrownBy(() -> MeteredBinder.of("x", source).maxAge(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxAge must be >= 0");
    }

    @Test
    @DisplayName("a worker pool binds in one line, and its meters follow it")
    void workerPool() throws Exception {
        FakeClock fake = new FakeClock();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(fake).build();
             MeteredBinder b = MeteredBinder.of("orders", pool).maxAge(Duration.ZERO)) {
            b.bindTo(registry);
            pool.submit(Context.background(fake), c -> "done").result();
            Await.until("the job counted", () -> pool.metrics().succeeded() == 1);
            assertThat(registry.get("gopatterns.pool.jobs.succeeded").tag("name", "orders").functionCounter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("gopatterns.pool.workers").gauge().value()).isEqualTo(1);
            assertThat(registry.get("gopatterns.pool.job.run_time.count").functionCounter().count()).isEqualTo(1);
        }
    }
}
