package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Autoscaler}: hysteresis, cooldown, bounds and step, on a {@link FakeClock}, with jobs the test holds. */
class AutoscalerTest {

    private final FakeClock clock = new FakeClock();
    private final Channel<Boolean> gate = Channel.make(0);
    private final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(100).clock(clock).build();

    /** A job that runs until the test opens the gate (or the pool is shut down). */
    private final Task<Void> held = ctx -> {
        Select.select(gate.onReceiveOrClosed(r -> true), ctx.onDone(() -> false));
        return null;
    };

    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean();

    /** Lets every held job end. Idempotent. */
    private void openGate() {
        if (open.compareAndSet(false, true)) {
            gate.close();
        }
    }

    @AfterEach
    void release() {
        openGate();
        pool.close();
    }

    private void submit(int jobs) throws InterruptedException {
        for (int i = 0; i < jobs; i++) {
            pool.submit(Context.background(clock), held);
        }
    }

    /** Waits until the pool has {@code workers} workers, all running held jobs (or as many as there are jobs). */
    private void awaitBusy(int running) {
        Await.until(() -> running + " jobs running (" + pool.metrics() + ")", () -> pool.metrics().running() == running);
    }

    private Autoscaler.Builder scaler() {
        return Autoscaler.builder(pool).bounds(1, 6).step(2).upAt(1.0).downAt(0.25).cooldown(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("scales up by step once the waiting jobs per worker reach upAt, never past max")
    void scalesUp() throws Exception {
        Autoscaler a = scaler().build();
        submit(1);
        awaitBusy(1);
        assertThat(a.evaluate()).as("nothing waiting").isNull();
        submit(12);
        Autoscaler.Change up = a.evaluate();
        assertThat(up).isNotNull();
        assertThat(up.from()).isEqualTo(1);
        assertThat(up.to()).isEqualTo(3);
        assertThat(up.reason()).isEqualTo("12.00 waiting per worker >= 1.00");
        awaitBusy(3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.evaluate().to()).as("10 waiting for 3 workers").isEqualTo(5);
        awaitBusy(5);
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.evaluate().to()).as("8 waiting for 5 workers; max is 6: the last step is cut short")
                .isEqualTo(6);
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.evaluate()).as("at max").isNull();
        assertThat(a.changes().tryReceive()).isNotNull();
        assertThat(a.counts()).isEqualTo(new Autoscaler.Counts(5, 3, 0));
        assertThat(a.snapshot().counter("scaled_up")).isEqualTo(3);
        assertThat(a.snapshot().counter("decisions")).isEqualTo(5);
        assertThat(a.snapshot().gauge("target")).isEqualTo(a.target());
    }

    @Test
    @DisplayName("cooldown: after a change, none for `cooldown` on the pool's clock, however high the backlog")
    void cooldown() throws Exception {
        Autoscaler a = scaler().build();
        submit(20);
        assertThat(a.evaluate().to()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(9));
        assertThat(a.evaluate()).as("9 s after the last change").isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.evaluate()).as("10 s after it").isNotNull();
    }

    @Test
    @DisplayName("hysteresis: between downAt and upAt it holds; down only with step idle workers, never below min")
    void hysteresisAndScaleDown() throws Exception {
        Autoscaler a = scaler().cooldown(Duration.ZERO).downAfter(Duration.ZERO).build();
        submit(7); // 1 running, 6 waiting
        assertThat(a.evaluate().to()).isEqualTo(3);
        awaitBusy(3); // 4 waiting for 3 workers
        assertThat(a.evaluate().to()).isEqualTo(5);
        awaitBusy(5); // 2 waiting for 5 workers: 0.4 per worker, between downAt and upAt
        assertThat(a.evaluate()).as("0.40 waiting per worker: inside the band, hold").isNull();
        openGate(); // every job ends: nothing waits, nothing runs
        Await.until("every job done", () -> pool.metrics().completed() == 7);
        assertThat(a.evaluate().to()).isEqualTo(3);
        assertThat(a.evaluate().to()).isEqualTo(1);
        assertThat(a.evaluate()).as("at min").isNull();
    }

    @Test
    @DisplayName("down window: a step down only once the down condition has held at every decision for downAfter")
    void downWindow() throws Exception {
        Autoscaler a = scaler().cooldown(Duration.ZERO).downAfter(Duration.ofSeconds(5)).build();
        submit(7);
        assertThat(a.evaluate().to()).isEqualTo(3);
        awaitBusy(3);
        openGate();
        Await.until("every job done", () -> pool.metrics().completed() == 7);
        assertThat(a.evaluate()).as("idle now, but the window has just started").isNull();
        clock.advance(Duration.ofSeconds(4));
        assertThat(a.evaluate()).as("4 s of the 5 s window").isNull();
        clock.advance(Duration.ofSeconds(1));
        Autoscaler.Change down = a.evaluate();
        assertThat(down.to()).isEqualTo(1);
        assertThat(down.reason()).isEqualTo("0.00 waiting per worker <= 0.25, 3 of 3 workers idle, for PT5S");
    }

    @Test
    @DisplayName("started, it decides on every tick of the pool's clock, and close stops and joins its thread")
    void ticks() throws Exception {
        try (Autoscaler a = scaler().interval(Duration.ofSeconds(1)).cooldown(Duration.ZERO).build().start()) {
            submit(10);
            clock.awaitPendingTasks(1, Duration.ofSeconds(5)); // the ticker's next tick
            clock.advance(Duration.ofSeconds(1));
            Autoscaler.Change c = a.changes().receive();
            assertThat(c.to()).isEqualTo(3);
            assertThat(c.atNanos()).isEqualTo(clock.nanoTime());
        }
    }

    @Test
    @DisplayName("misuse fails with a message naming the rule")
    void misuse() {
        assertThatThrownBy(() -> Autoscaler.builder(pool).upAt(0.5).downAt(0.5).build()).hasMessage(
                "autoscaler: downAt (0.5) must be below upAt (0.5): without a gap between them the pool flaps");
        assertThatThrownBy(() -> Autoscaler.builder(pool).bounds(0, 4)).hasMessage(
                "autoscaler: bounds need 1 <= min <= max, were 0 and 4");
        assertThatThrownBy(() -> Autoscaler.builder(pool).step(0)).hasMessage("autoscaler: step must be >= 1, was 0");
    }
}
