package dev.gopatterns.metrics;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.time.TickerLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Samples a component's {@link Snapshot} and turns {@link AlertRule}s into {@link Alert} events, once per crossing:
 * an alert fires when its signal crosses the threshold, resolves when it crosses back past the clear level, and says
 * nothing on the samples in between.
 *
 * <pre>{@code
 * try (Alerts alerts = Alerts.builder(pool)
 *         .rule(AlertRule.above("backlog", Signal.value("jobs.queued"), 100).clearAt(80).forSamples(3))
 *         .rule(AlertRule.above("failing", Signal.rate("jobs.failed", "jobs.completed", 20), 0.1))
 *         .interval(Duration.ofSeconds(10))
 *         .build()
 *         .start()) {
 *     for (Alert a : alerts.events()) { page(a); }   // or select on alerts.events() with other channels
 * }
 * }</pre>
 *
 * <p>Each sample is one {@link #evaluate()}: a call by the owner, or the ticker thread that {@link #start()} starts.
 * Samples are serialized, so rate signals read the snapshot of the sample before. Events go, in order, to
 * {@link #events()} without waiting: when its buffer is full an event is dropped for that reader and counted (the
 * {@link Alert#sequence} gap shows it), and {@link #firing()} still says which alerts are firing. {@code evaluate()}
 * also returns the sample's events, so a caller that drives the samples itself needs no channel.
 *
 * <p>An {@code Alerts} is {@link Metered}: the component {@code "alerts"}, with the counters {@code alerts.fired},
 * {@code alerts.resolved}, {@code events.dropped}, {@code samples} and the gauge {@code alerts.firing}.
 *
 * <p>Go equivalent: none in the standard library; a goroutine with a {@code time.Ticker} that reads the counters and
 * compares them with thresholds, or Prometheus's alerting rules. Memory consistency effects: the actions of a
 * sample happen-before the receipt of its events from {@link #events()}.
 */
public final class Alerts implements Metered, AutoCloseable {

    /*
     * Each rule has a small state machine, guarded by `lock`: quiet (not firing) with a count of samples in a row
     * past the threshold, or firing. quiet --(forSamples samples past)--> firing --(one sample cleared)--> quiet.
     * A sample past the threshold while firing, or before the count is reached, or cleared while quiet, changes
     * nothing visible: that is what makes it "once per crossing".
     */

    private static final class State {
        final AlertRule rule;
        boolean firing;
        int streak;

        State(AlertRule rule) {
            this.rule = rule;
        }
    }

    private final Metered source;
    private final List<State> states;
    private final Clock clock;
    private final Duration interval;
    private final Channel<Alert> events;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. */
    private Snapshot previous;
    /** Guarded by {@code lock}. */
    private long sequence;
    /** Guarded by {@code lock}. */
    private long fired;
    /** Guarded by {@code lock}. */
    private long resolved;
    /** Guarded by {@code lock}. */
    private long dropped;
    /** Guarded by {@code lock}. */
    private long samples;
    /** Guarded by {@code lock}. */
    private boolean closed;
    /** Guarded by {@code lock}. */
    private TickerLoop ticking;

    private Alerts(Builder b) {
        this.source = b.source;
        this.states = b.rules.stream().map(State::new).toList();
        this.clock = b.clock;
        this.interval = b.interval;
        this.events = Channel.make(b.buffer);
    }

    /** A builder of alerts over {@code source}'s snapshots. */
    public static Builder builder(Metered source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    /**
     * Takes one sample now: reads the source, steps each rule, and sends the events to {@link #events()}.
     *
     * @return this sample's events, in rule order
     * @throws IllegalStateException if closed
     */
    public List<Alert> evaluate() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("alerts: closed");
            }
            Snapshot now = source.snapshot();
            long at = clock.nanoTime();
            samples++;
            List<Alert> out = new ArrayList<>();
            for (State s : states) {
                double v = s.rule.signal().read(previous, now);
                Alert.Kind change = step(s, v);
                if (change != null) {
                    Alert a = new Alert(s.rule.name(), change, v, at, ++sequence);
                    out.add(a);
                    if (change == Alert.Kind.FIRING) {
                        fired++;
                    } else {
                        resolved++;
                    }
                    if (!events.trySend(a)) {
                        dropped++;
                    }
                }
            }
            previous = now;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Call only when holding lock. */
    private static Alert.Kind step(State s, double v) {
        if (Double.isNaN(v)) {
            s.streak = 0;
            return null;
        }
        if (!s.firing) {
            if (!s.rule.past(v)) {
                s.streak = 0;
                return null;
            }
            if (++s.streak < s.rule.forSamples()) {
                return null;
            }
            s.firing = true;
            s.streak = 0;
            return Alert.Kind.FIRING;
        }
        if (s.rule.cleared(v)) {
            s.firing = false;
            return Alert.Kind.RESOLVED;
        }
        return null;
    }

    /**
     * Starts a thread that {@linkplain #evaluate samples} every {@code interval} on the clock, until
     * {@link #close()}.
     *
     * @throws IllegalStateException if already started, or closed
     */
    public Alerts start() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("alerts: closed");
            }
            if (ticking != null) {
                throw new IllegalStateException("alerts: already started");
            }
            ticking = TickerLoop.start("alerts", clock, interval, Context.background(clock), this::evaluate);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** The events, in order; closed by {@link #close()} after the last. */
    public ReceiveChannel<Alert> events() {
        return events.receiveOnly();
    }

    /** The names of the rules firing now, in rule order. */
    public Set<String> firing() {
        lock.lock();
        try {
            Set<String> names = new LinkedHashSet<>();
            for (State s : states) {
                if (s.firing) {
                    names.add(s.rule.name());
                }
            }
            return names;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Snapshot snapshot() {
        lock.lock();
        try {
            int firingNow = 0;
            for (State s : states) {
                firingNow += s.firing ? 1 : 0;
            }
            return Snapshot.of("alerts").counter("samples", samples).counter("alerts.fired", fired)
                    .counter("alerts.resolved", resolved).counter("events.dropped", dropped)
                    .gauge("alerts.firing", firingNow).build();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the ticker thread, if started, waits for it, and closes {@link #events()}. Further samples throw.
     * Idempotent.
     */
    @Override
    public void close() {
        TickerLoop t;
        lock.lock();
        try {
            t = ticking;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.close(); // outside the lock: its last sample may be waiting for it
        }
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                events.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Alerts" + firing();
    }

    /** Rules, a clock, an interval, a buffer. */
    public static final class Builder {
        private final Metered source;
        private final List<AlertRule> rules = new ArrayList<>();
        private Clock clock = Clock.system();
        private Duration interval = Duration.ofSeconds(10);
        private int buffer = 64;

        private Builder(Metered source) {
            this.source = source;
        }

        /** Adds a rule; names must be unique. */
        public Builder rule(AlertRule rule) {
            Objects.requireNonNull(rule, "rule");
            for (AlertRule r : rules) {
                if (r.name().equals(rule.name())) {
                    throw new IllegalArgumentException("alerts: rule names must be unique, '" + rule.name()
                            + "' is there twice");
                }
            }
            rules.add(rule);
            return this;
        }

        /** The clock for the ticker and the events' times (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often {@link Alerts#start()}'s thread samples (default 10 s). */
        public Builder interval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("alerts: interval must be > 0, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The events' buffer (default 64); 0 drops every event no reader is waiting for. */
        public Builder buffer(int events) {
            if (events < 0) {
                throw new IllegalArgumentException("alerts: buffer must be >= 0, was " + events);
            }
            this.buffer = events;
            return this;
        }

        /** The alerts, not started: call {@link Alerts#start()}, or drive {@link Alerts#evaluate()}. */
        public Alerts build() {
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("alerts: add at least one rule");
            }
            return new Alerts(this);
        }
    }
}
