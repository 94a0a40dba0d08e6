package dev.gopatterns.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Alerts} and {@link AlertRule}: one event per crossing, on a {@link FakeClock}. */
class AlertsTest {

    private final FakeClock clock = new FakeClock();
    private final AtomicLong queued = new AtomicLong();
    private final Metered pool = () -> Snapshot.of("pool").gauge("jobs.queued", queued.get()).build();

    private Alerts.Builder alerts(AlertRule rule) {
        return Alerts.builder(pool).rule(rule).clock(clock);
    }

    /** Samples once per value and returns the kinds of the events, "-" for a sample with none. */
    private List<String> run(Alerts a, long... values) {
        List<String> kinds = new ArrayList<>();
        for (long v : values) {
            queued.set(v);
            List<Alert> events = a.evaluate();
            kinds.add(events.isEmpty() ? "-" : events.getFirst().kind().name());
        }
        return kinds;
    }

    @Test
    @DisplayName("an alert fires once when its signal crosses, stays quiet while it stays, resolves once when it falls")
    void oncePerCrossing() {
        try (Alerts a = alerts(AlertRule.above("backlog", Signal.value("jobs.queued"), 100)).build()) {
            assertThat(run(a, 50, 100, 150, 120, 99, 10, 101))
                    .containsExactly("-", "FIRING", "-", "-", "RESOLVED", "-", "FIRING");
            assertThat(a.firing()).containsExactly("backlog");
            Snapshot s = a.snapshot();
            assertThat(s.counter("alerts.fired")).isEqualTo(2);
            assertThat(s.counter("alerts.resolved")).isEqualTo(1);
            assertThat(s.counter("samples")).isEqualTo(7);
            assertThat(s.gauge("alerts.firing")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("with hysteresis a signal hovering at the threshold does not flap: it resolves only below clearAt")
    void hysteresis() {
        AlertRule rule = AlertRule.above("backlog", Signal.value("jobs.queued"), 100).clearAt(80);
        try (Alerts a = alerts(rule).build()) {
            assertThat(run(a, 100, 99, 101, 95, 81, 80, 79, 99, 100))
                    .containsExactly("FIRING", "-", "-", "-", "-", "-", "RESOLVED", "-", "FIRING");
        }
    }

    @Test
    @DisplayName("forSamples fires only after that many samples in a row; a dip or a NaN starts the count again")
    void forSamples() {
        AtomicLong mode = new AtomicLong(); // 1: the signal reads NaN
        Signal s = Signal.of("queued", (p, c) -> mode.get() == 1 ? Double.NaN : c.value("jobs.queued"));
        try (Alerts a = alerts(AlertRule.above("backlog", s, 100).forSamples(3)).build()) {
            assertThat(run(a, 100, 100, 50, 100, 100)).containsExactly("-", "-", "-", "-", "-");
            mode.set(1);
            assertThat(run(a, 100)).containsExactly("-");
            mode.set(0);
            assertThat(run(a, 100, 100, 100, 100)).containsExactly("-", "-", "FIRING", "-");
            mode.set(1);
            assertThat(run(a, 0)).as("a NaN does not resolve a firing alert").containsExactly("-");
            mode.set(0);
            assertThat(run(a, 0)).containsExactly("RESOLVED");
        }
    }

    @Test
    @DisplayName("a rule below its threshold fires when the signal falls to it and resolves above clearAt")
    void below() {
        try (Alerts a = alerts(AlertRule.below("drained", Signal.value("jobs.queued"), 0).clearAt(5)).build()) {
            assertThat(run(a, 3, 0, 0, 4, 6, 0)).containsExactly("-", "FIRING", "-", "-", "RESOLVED", "FIRING");
        }
    }

    @Test
    @DisplayName("events go to the channel in order, numbered; a full buffer drops and counts, and the gap shows")
    void eventsChannel() throws Exception {
        try (Alerts a = alerts(AlertRule.above("backlog", Signal.value("jobs.queued"), 100)).buffer(2).build()) {
            run(a, 100, 0, 100, 0);
            assertThat(a.snapshot().counter("events.dropped")).isEqualTo(2);
            Alert first = a.events().receive();
            Alert second = a.events().receive();
            assertThat(first.kind()).isEqualTo(Alert.Kind.FIRING);
            assertThat(first.sequence()).isEqualTo(1);
            assertThat(second.kind()).isEqualTo(Alert.Kind.RESOLVED);
            assertThat(second.sequence()).isEqualTo(2);
            run(a, 100);
            assertThat(a.events().receive().sequence()).as("events 3 and 4 were dropped").isEqualTo(5);
        }
    }

    @Test
    @DisplayName("start samples every interval on the clock; close stops it, closes the events, and refuses samples")
    void ticks() throws Exception {
        Alerts a = alerts(AlertRule.above("backlog", Signal.value("jobs.queued"), 100))
                .interval(Duration.ofSeconds(10)).build().start();
        try {
            queued.set(200);
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(10));
            Alert fired = a.events().receive();
            assertThat(fired.kind()).isEqualTo(Alert.Kind.FIRING);
            assertThat(fired.value()).isEqualTo(200);
            assertThat(fired.atNanos()).isEqualTo(clock.nanoTime());
            assertThatThrownBy(a::start).hasMessageContaining("already started");
        } finally {
            a.close();
        }
        a.close();
        assertThat(a.events().receiveOrClosed()).isInstanceOf(Received.Closed.class);
        assertThatThrownBy(a::evaluate).hasMessageContaining("alerts: closed");
        assertThatThrownBy(a::start).hasMessageContaining("alerts: closed");
    }

    @Test
    @DisplayName("bad rules are refused, naming the rule broken")
    void badRules() {
        Signal s = Signal.value("jobs.queued");
        assertThatThrownBy(() -> AlertRule.above("x", s, 10).clearAt(20))
                .hasMessageContaining("clearAt must be <= fireAt for a rule above its threshold");
        assertThatThrownBy(() -> AlertRule.below("x", s, 10).clearAt(5))
                .hasMessageContaining("clearAt must be >= fireAt for a rule below its threshold");
        assertThatThrownBy(() -> AlertRule.above("x", s, 10).forSamples(0)).hasMessageContaining("forSamples must be >= 1");
        assertThatThrownBy(() -> AlertRule.above("x", s, Double.NaN)).hasMessageContaining("thresholds must be numbers");
        assertThatThrownBy(() -> Alerts.builder(pool).rule(AlertRule.above("x", s, 1)).rule(AlertRule.above("x", s, 2)))
                .hasMessageContaining("'x' is there twice");
        assertThatThrownBy(() -> Alerts.builder(pool).build()).hasMessageContaining("at least one rule");
        assertThatThrownBy(() -> Alerts.builder(pool).interval(Duration.ZERO)).hasMessageContaining("interval must be > 0");
    }
}
