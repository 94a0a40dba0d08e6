package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The autoscaling simulation of docs/operations.md: a real {@link WorkerPool} on a {@link FakeClock}, fed a load
 * that ramps from 4 to 16 jobs a second and back (Poisson arrivals, seeded: bursts, the same in every run), each
 * job taking one second of the clock; an {@link Autoscaler}
 * decides once a second. Run twice, with the documented settings (hysteresis and a cooldown) and with neither, to
 * show what they buy: the first follows the load with a handful of changes, the second flaps.
 *
 * <p>Every step waits until the pool is still (each running job parked on the clock, no worker idle while jobs are
 * queued) before the clock moves, so the run is the same on every machine. The samples, one a second, go to
 * {@code target/autoscaling-<name>.csv}; {@code modules/pool/sim/plot_autoscaling.py} draws the docs' plot from
 * them (see docs/operations.md for the command).
 */
class AutoscalerSimulationTest {

    private static final Duration STEP = Duration.ofMillis(100);
    private static final int SECONDS = 160;

    /** Arrivals per second at second {@code t}: 4, a ramp to 16, a plateau, a ramp back to 4, 4. */
    static double load(int t) {
        if (t < 20) {
            return 4;
        }
        if (t < 60) {
            return 4 + 12.0 * (t - 20) / 40;
        }
        if (t < 90) {
            return 16;
        }
        if (t < 130) {
            return 16 - 12.0 * (t - 90) / 40;
        }
        return 4;
    }

    /** One second of the run. */
    record Sample(int t, double load, long waiting, int workers, int target, long running, long completed) {}

    record Run(List<Sample> samples, List<Autoscaler.Change> changes) {
        /** How many times a change went the other way from the one before. */
        int reversals() {
            int n = 0;
            for (int i = 1; i < changes.size(); i++) {
                boolean up = changes.get(i).to() > changes.get(i).from();
                boolean upBefore = changes.get(i - 1).to() > changes.get(i - 1).from();
                n += up != upBefore ? 1 : 0;
            }
            return n;
        }
    }

    private static Run simulate(String name, java.util.function.UnaryOperator<Autoscaler.Builder> settings)
            throws Exception {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);
        Task<Void> oneSecond = c -> {
            Select.select(Select.after(Duration.ofSeconds(1), clock, () -> true), c.onDone(() -> false));
            return null;
        };
        List<Sample> samples = new ArrayList<>();
        List<Autoscaler.Change> changes = new ArrayList<>();
        try (WorkerPool pool = WorkerPool.builder().name(name).workers(2).queueCapacity(10_000).clock(clock)
                .build()) {
            Autoscaler scaler = settings.apply(Autoscaler.builder(pool).bounds(2, 24)).build();
            java.util.Random arrivals = new java.util.Random(42); // the same bursts in every run
            for (int t = 0; t < SECONDS; t++) {
                awaitStill(pool, clock); // the decision reads a still pool: the same run on every machine
                Autoscaler.Change c = scaler.evaluate();
                if (c != null) {
                    changes.add(c);
                }
                awaitStill(pool, clock);
                PoolMetrics m = pool.metrics();
                samples.add(new Sample(t, load(t), m.waiting(), m.workers(), scaler.target(), m.running(),
                        m.completed()));
                for (int step = 0; step < 10; step++) {
                    for (int n = poisson(arrivals, load(t) / 10); n > 0; n--) {
                        pool.submit(ctx, oneSecond);
                    }
                    awaitStill(pool, clock);
                    clock.advance(STEP);
                }
            }
            pool.shutdownNow(); // the jobs left wait on a clock that no longer moves: cancel them
        }
        write(name, samples);
        return new Run(samples, changes);
    }

    /** A Poisson-distributed count with mean {@code mean} (Knuth's method): arrivals come in random bursts. */
    static int poisson(java.util.Random random, double mean) {
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    /**
     * Every job woken by the last advance has run on, each running job is parked on the clock, none is held
     * unstarted, every worker is running a job or idle (none starting or leaving), and no worker is idle while jobs
     * are queued.
     */
    private static void awaitStill(WorkerPool pool, FakeClock clock) {
        Await.until(() -> "the pool to be still: " + pool.metrics() + ", sleepers " + clock.sleepers(), () -> {
            PoolMetrics m = pool.metrics();
            return clock.dueSleepers() == 0 && m.running() == clock.sleepers() && m.waiting() == m.queued()
                    && (m.idle() == 0 || m.queued() == 0) && m.workers() == m.running() + m.idle();
        });
    }

    private static void write(String name, List<Sample> samples) throws IOException {
        StringBuilder csv = new StringBuilder("t_s,arrivals_per_s,waiting,workers,target,running,completed\n");
        for (Sample s : samples) {
            csv.append(s.t()).append(',').append(String.format("%.1f", s.load())).append(',').append(s.waiting())
                    .append(',').append(s.workers()).append(',').append(s.target()).append(',').append(s.running())
                    .append(',').append(s.completed()).append('\n');
        }
        Path out = Path.of("target", "autoscaling-" + name + ".csv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, csv);
    }

    @Test
    @HangTimeout(seconds = 120)
    @DisplayName("with hysteresis and a cooldown the workers follow a ramp up and down with few changes, no flapping")
    void followsTheLoad() throws Exception {
        Run good = simulate("hysteresis", b -> b.step(2).upAt(1.0).downAt(0.25).cooldown(Duration.ofSeconds(3))
                .downAfter(Duration.ofSeconds(5)));
        assertThat(good.reversals()).as("one way up, one way down: " + good.changes()).isLessThanOrEqualTo(2);
        assertThat(good.samples().subList(75, 90)).as("on the plateau of 16 jobs/s, each taking 1 s")
                .allSatisfy(s -> assertThat(s.target()).isBetween(16, 24));
        assertThat(good.samples().subList(150, 160)).as("back at 4 jobs/s")
                .allSatisfy(s -> assertThat(s.target()).isLessThanOrEqualTo(8));
        assertThat(good.samples().subList(75, 95)).as("the backlog stays under 2 s of arrivals on the plateau")
                .allSatisfy(s -> assertThat(s.waiting()).isLessThanOrEqualTo(32));

        Run flapping = simulate("no-hysteresis", b -> b.step(2).upAt(0.1).downAt(0.05).cooldown(Duration.ZERO)
                .downAfter(Duration.ZERO));
        assertThat(flapping.reversals()).as("without a gap and a cooldown it goes back and forth: "
                + flapping.changes()).isGreaterThan(good.reversals() + 5);
    }
}
