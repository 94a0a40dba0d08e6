package dev.gopatterns.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LimiterTest {

    @Test
    @DisplayName("allow lets a full bucket's burst through, then one event per 1/limit seconds")
    void allowBurstThenRate() {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(10, 3, clock); // 10/s, burst 3
        assertThat(lim.allow()).isTrue();
        assertThat(lim.allow()).isTrue();
        assertThat(lim.allow()).isTrue();
        assertThat(lim.allow()).as("bucket empty").isFalse();
        clock.advance(Duration.ofMillis(99));
        assertThat(lim.allow()).as("0.99 of a token").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(lim.allow()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(lim.tokens()).as("refill is capped at the burst").isEqualTo(3.0);
        assertThat(lim.allowN(4)).as("more than the burst, ever").isFalse();
        assertThat(lim.allowN(3)).isTrue();
    }

    @Test
    @DisplayName("reserve books future tokens and says how long to wait; cancel gives them back")
    void reserve() {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(2, 1, clock); // one every 500 ms
        assertThat(lim.reserve().delay()).isZero();
        Limiter.Reservation r = lim.reserve();
        assertThat(r.ok()).isTrue();
        assertThat(r.delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(lim.reserve().delay()).as("queued behind r").isEqualTo(Duration.ofSeconds(1));
        assertThat(lim.reserveN(2).ok()).as("beyond the burst").isFalse();
        assertThat(lim.tokens()).isEqualTo(-2.0);
    }

    @Test
    @DisplayName("cancelling the latest reservation restores its tokens")
    void cancelRestores() {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(1, 1, clock);
        lim.allow();
        Limiter.Reservation r = lim.reserve();
        assertThat(lim.tokens()).isEqualTo(-1.0);
        r.cancel();
        assertThat(lim.tokens()).isEqualTo(0.0);
    }

    @Test
    @DisplayName("await blocks until a token is due on the clock, without sleeping in the test")
    void awaitOnFakeClock() throws Exception {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(1, 1, clock);
        lim.await(Context.background(clock)); // the initial token: immediate
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Long> r = threads.submit("waiter", () -> {
                lim.await(Context.background(clock));
                return clock.nanoTime();
            });
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    @DisplayName("await fails fast when n exceeds the burst, or when the context's deadline comes first")
    void awaitRefusals() {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(1, 2, clock);
        assertThatThrownBy(() -> lim.awaitN(Context.background(clock), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rate: Wait(n=3) exceeds limiter's burst 2");
        lim.allowN(2);
        CancellableContext soon = Context.withTimeout(Context.background(clock), Duration.ofMillis(500));
        assertThatThrownBy(() -> lim.await(soon)).isInstanceOf(DeadlineTooSoonException.class)
                .hasMessage("rate: Wait(n=1) would exceed context deadline");
        assertThat(lim.tokens()).as("nothing reserved").isEqualTo(0.0);
    }

    @Test
    @DisplayName("a context cancelled during await ends it with the context's error and returns the tokens")
    void awaitCancelled() throws Exception {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(1, 1, clock);
        lim.allow();
        CancellableContext ctx = Context.withCancel(Context.background(clock));
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ContextCanceledException> r = threads.submitExpecting("waiter", ContextCanceledException.class,
                    () -> lim.await(ctx));
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            ctx.cancel();
            assertThat(r.get()).isInstanceOf(ContextCanceledException.class);
        }
        assertThat(lim.tokens()).as("the reservation was cancelled").isEqualTo(0.0);
    }

    @Test
    @DisplayName("switching from INF to a finite limit keeps a full bucket (no NaN arithmetic)")
    void fromInfToFinite() {
        FakeClock clock = new FakeClock();
        Limiter lim = new Limiter(Limiter.INF, 5, clock);
        assertThat(lim.tokens()).isEqualTo(5.0);
        lim.setLimit(1);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            if (lim.allow()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(Limiter.every(Duration.ofDays(365 * 1000))).isPositive();
    }

    @Test
    @DisplayName("await entered with the interrupt flag set throws at once, even with tokens free")
    void awaitChecksInterruptFirst() {
        Limiter lim = new Limiter(1, 1, new FakeClock());
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> lim.await(Context.background())).isInstanceOf(InterruptedException.class);
        assertThat(lim.tokens()).isEqualTo(1.0);
    }

    @Test
    @DisplayName("INF allows everything; limit 0 allows only the initial burst; bad settings fail naming the rule")
    void edges() {
        FakeClock clock = new FakeClock();
        Limiter inf = new Limiter(Limiter.INF, 0, clock);
        for (int i = 0; i < 1000; i++) {
            assertThat(inf.allow()).isTrue();
        }
        Limiter zero = new Limiter(0, 2, clock);
        assertThat(zero.allow()).isTrue();
        assertThat(zero.allow()).isTrue();
        assertThat(zero.allow()).isFalse();
        assertThat(Limiter.every(Duration.ofMillis(100))).isEqualTo(10.0);
        assertThatThrownBy(() -> new Limiter(-1, 1, clock)).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> new Limiter(1, -1, clock)).hasMessage("burst must be >= 0, was -1");
    }
}
