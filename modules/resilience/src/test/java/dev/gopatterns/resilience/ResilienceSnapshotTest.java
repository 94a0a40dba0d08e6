package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Health;
import dev.gopatterns.metrics.HealthCheck;
import dev.gopatterns.metrics.Signal;
import dev.gopatterns.metrics.Snapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The resilience pieces as {@link dev.gopatterns.metrics.Metered} components: names, counts, and a health rule. */
class ResilienceSnapshotTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    private static void fail(Policy p) {
        assertThatThrownBy(() -> p.call(Context.background(), c -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("a breaker's snapshot: state as severity, window rates as fractions, lifetime counters")
    void breaker() throws Exception {
        CircuitBreaker b = CircuitBreaker.builder("backend").clock(clock).slidingWindow(CircuitBreaker.Window.count(4))
                .minimumCalls(4).failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30))
                .permittedCallsInHalfOpen(2).build();
        Snapshot s = b.snapshot();
        assertThat(s.component()).isEqualTo("circuit_breaker");
        assertThat(s.names()).containsExactly("state", "window.calls", "window.failed", "window.slow",
                "failure_rate", "slow_call_rate", "calls.succeeded", "calls.failed", "calls.slow",
                "calls.not_permitted", "transitions");
        assertThat(s.gauge("failure_rate")).as("no call yet: no rate").isNaN();
        HealthCheck health = HealthCheck.builder(b).rule(Signal.value("state"), 1, 2).build();

        b.call(ctx, c -> "ok");
        b.call(ctx, c -> "ok");
        fail(b);
        fail(b); // 2 of 4 failed: open
        s = b.snapshot();
        assertThat(s.gauge("state")).isEqualTo(2);
        assertThat(s.gauge("failure_rate")).isEqualTo(0.5);
        assertThat(s.counter("calls.succeeded")).isEqualTo(2);
        assertThat(s.counter("calls.failed")).isEqualTo(2);
        assertThat(s.counter("transitions")).isEqualTo(1);
        assertThat(health.check().status()).isEqualTo(Health.Status.UNHEALTHY);
        assertThatThrownBy(() -> b.call(ctx, c -> "refused")).isInstanceOf(CallNotPermittedException.class);
        assertThat(b.snapshot().counter("calls.not_permitted")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        assertThat(b.snapshot().gauge("state")).isEqualTo(1);
        assertThat(health.check().status()).isEqualTo(Health.Status.DEGRADED);
        fail(b);
        fail(b); // the trials trip it again
        s = b.snapshot();
        assertThat(s.gauge("state")).isEqualTo(2);
        assertThat(b.metrics()).as("while open again, the counts are the trials' that tripped it, not the old window's")
                .isEqualTo(new CircuitBreaker.Metrics(CircuitBreaker.State.OPEN, 2, 2, 0, 1));
        assertThat(s.gauge("failure_rate")).isEqualTo(1.0);
        assertThat(s.counter("calls.failed")).isEqualTo(4);
        assertThat(s.counter("transitions")).isEqualTo(3);
    }

    @Test
    @DisplayName("a retry counts operations, failed attempts, retries and each way of giving up")
    void retry() throws Exception {
        Retry r = Retry.backoff(3, Duration.ZERO, Duration.ZERO).retryOn(IOException.class);
        int[] calls = {0};
        String got = r.call(ctx, c -> ++calls[0] < 2 ? failWith() : "ok");
        assertThat(got).isEqualTo("ok");
        fail(r);
        assertThatThrownBy(() -> r.call(ctx, c -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        Snapshot s = r.snapshot();
        assertThat(s.component()).isEqualTo("retry");
        assertThat(s.counter("operations")).isEqualTo(3);
        assertThat(s.counter("attempts.failed")).isEqualTo(1 + 3 + 1);
        assertThat(s.counter("retries")).isEqualTo(1 + 2);
        assertThat(s.counter("succeeded")).isEqualTo(1);
        assertThat(s.counter("succeeded.after_retry")).isEqualTo(1);
        assertThat(s.counter("gave_up.attempts_exhausted")).isEqualTo(1);
        assertThat(s.counter("gave_up.not_retryable")).isEqualTo(1);
        assertThat(s.counter("gave_up.deadline")).isZero();
        assertThat(s.counter("gave_up.cancelled")).isZero();
        assertThat(r.jitter(new java.util.Random(1)).snapshot().counter("operations"))
                .as("a new policy object counts for itself").isZero();
        java.util.List<RetryEvent> seen = new java.util.ArrayList<>();
        assertThatThrownBy(() -> r.call(ctx, c -> failWith(), seen::add)).isInstanceOf(IOException.class);
        assertThat(seen).as("one operation's own events").hasSize(3).last().isInstanceOf(RetryEvent.GaveUp.class);
        assertThat(r.snapshot().counter("operations")).as("counted by the same policy object").isEqualTo(4);
    }

    private static String failWith() throws IOException {
        throw new IOException("flaky");
    }

    @Test
    @DisplayName("a bulkhead counts admitted and rejected calls; a dead-letter queue its depth, adds and replays")
    void bulkheadAndDeadLetters() throws Exception {
        Bulkhead bh = Bulkhead.of("db", 1, Duration.ZERO, clock);
        bh.enter(ctx);
        assertThatThrownBy(() -> bh.call(ctx, c -> "no room")).isInstanceOf(BulkheadFullException.class);
        Snapshot s = bh.snapshot();
        assertThat(s.gauge("running")).isEqualTo(1);
        assertThat(s.counter("calls.admitted")).isEqualTo(1);
        assertThat(s.counter("calls.rejected")).isEqualTo(1);
        bh.leave();

        DeadLetters<String> dlq = DeadLetters.withCapacity(4, clock);
        dlq.add(ctx, new DeadLetter<>("job", "a", List.of(new IOException("x")), 1, 0));
        dlq.add(ctx, new DeadLetter<>("job", "b", List.of(new IOException("x")), 1, 0));
        DeadLetters.Replay<String> replay = dlq.replay(ctx, (c, letter) -> {
            if (letter.item().equals("b")) {
                throw new IOException("still down");
            }
        });
        assertThat(replay.replayed()).isEqualTo(1);
        s = dlq.snapshot();
        assertThat(s.component()).isEqualTo("dead_letters");
        assertThat(s.gauge("depth")).isZero();
        assertThat(s.gauge("capacity")).isEqualTo(4);
        assertThat(s.counter("letters.added")).isEqualTo(2);
        assertThat(s.counter("letters.replayed")).isEqualTo(1);
        assertThat(s.counter("letters.replay_failed")).isEqualTo(1);
    }
}
