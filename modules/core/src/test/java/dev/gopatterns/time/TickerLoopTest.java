package dev.gopatterns.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link TickerLoop}: an action per tick on a {@link FakeClock}, and the three ways it ends. */
class TickerLoopTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeClock clock = new FakeClock();
    private final AtomicInteger runs = new AtomicInteger();

    private void tick() throws Exception {
        clock.awaitPendingTasks(1, Duration.ofSeconds(5));
        int before = runs.get();
        clock.advance(SECOND);
        Await.until(() -> "run " + (before + 1), () -> runs.get() == before + 1);
    }

    @Test
    @DisplayName("the action runs once per tick, the first one interval after start; close stops and joins")
    void runsPerTick() throws Exception {
        TickerLoop loop = TickerLoop.start("t", clock, SECOND, Context.background(clock), runs::incrementAndGet);
        clock.awaitPendingTasks(1, Duration.ofSeconds(5));
        assertThat(runs).as("nothing before the first interval").hasValue(0);
        tick();
        tick();
        loop.close();
        assertThat(loop.isRunning()).isFalse();
        loop.close();
        assertThat(runs).hasValue(2);
    }

    @Test
    @DisplayName("an IllegalStateException from the action ends the loop quietly; so does the parent's cancel")
    void endsWhenTheOwnerIsOver() throws Exception {
        try (TickerLoop loop = TickerLoop.start("t", clock, SECOND, Context.background(clock), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("owner: closed");
        })) {
            tick();
            Await.until("the loop ended", () -> !loop.isRunning());
        }
        CancellableContext parent = Context.withCancel(Context.background(clock));
        try (TickerLoop loop = TickerLoop.start("t", clock, SECOND, parent, runs::incrementAndGet)) {
            parent.cancel();
            Await.until("the loop ended", () -> !loop.isRunning());
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("a non-positive interval is refused in the caller, naming the rule")
    void badInterval() {
        assertThatThrownBy(() -> TickerLoop.start("t", clock, Duration.ZERO, Context.background(clock), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-positive interval");
    }
}
