package dev.gopatterns.resilience;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A circuit breaker: it watches the outcomes of the calls to one dependency and, when too many fail or are slow,
 * stops calling it for a while, so that a failing service is not buried under retries and callers fail fast
 * instead of waiting on it. The state machine is resilience4j's:
 *
 * <pre>
 *            failure or slow-call rate &gt;= threshold            wait in open over (the next call finds it)
 *   CLOSED ───────────────────────────────────────────▶ OPEN ─────────────────────────────────▶ HALF_OPEN
 *     ▲   (once the window holds minimumCalls)           ▲                                         │
 *     │                                                  └─── the trial calls' rate &gt;= threshold ─┤
 *     └────────────────────────── the trial calls' rates below the thresholds ──────────────────────┘
 * </pre>
 *
 * <ul>
 *   <li>CLOSED: every call is permitted, and its outcome goes into a sliding window, count-based (the last
 *       {@code n} calls) or time-based (the calls of the last {@code n} seconds). Once the window holds
 *       {@code minimumCalls} outcomes, a failure rate or a slow-call rate at or above its threshold opens the
 *       breaker.
 *   <li>OPEN: every call is refused with {@link CallNotPermittedException}, without being made, until
 *       {@code waitInOpen} has passed on the breaker's clock; the next call then finds it HALF_OPEN.
 *   <li>HALF_OPEN: {@code permittedCallsInHalfOpen} trial calls are permitted, the rest refused. Once all of them
 *       have ended, their rates decide: at or above a threshold, OPEN again; below both, CLOSED, with an empty
 *       window.
 * </ul>
 *
 * <p>What counts: a call that throws an exception {@link Builder#recordOn} accepts is a failure (by default every
 * exception but a context's error and an interrupt: a call the caller cancelled says nothing about the service);
 * one that takes {@code slowCallDuration} or longer (on the breaker's clock) is slow, whether it failed or not.
 * Other exceptions, and calls released without an outcome ({@link Permit#release}), are not counted.
 *
 * <p>Thread-safe: every transition and every count is made under one lock, held for a few field updates, never
 * while a call runs. An outcome is counted only in the state it was permitted in: a permit taken before a
 * transition is ignored after it (so the last slow call of a closed breaker cannot open the breaker that just
 * closed again). Each transition is published, in order, to every {@linkplain #subscribe subscriber}.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *         .slidingWindow(CircuitBreaker.Window.count(20)).minimumCalls(10)
 *         .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30)).build();
 *
 * Receipt r = breaker.call(ctx, c -> payments.charge(c, order));   // CallNotPermittedException when open
 * }</pre>
 *
 * <p>Go equivalent: {@code github.com/sony/gobreaker}'s {@code CircuitBreaker.Execute}, with {@code ReadyToTrip}
 * playing the thresholds, {@code Timeout} the wait in open and {@code MaxRequests} the half-open trial calls;
 * resilience4j's {@code CircuitBreaker} is the model for the windows and the slow calls.
 */
public final class CircuitBreaker implements Policy, Metered {

    /** A breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /**
     * A change of state, at {@code atNanos} on the breaker's clock. {@code sequence} numbers a breaker's
     * transitions from 1, so a subscriber that was too slow and missed some sees the gap.
     */
    public record Transition(State from, State to, long atNanos, long sequence) {}

    /**
     * What the breaker holds now: its state, the counts that judge it, and how many calls it has refused. The
     * counts are the sliding window's while closed, and while open after the window tripped it; the trial calls'
     * while half-open, and while open after the trials tripped it again.
     */
    public record Metrics(State state, int calls, int failedCalls, int slowCalls, long notPermitted) {
        /** Failed calls over calls in the window, in percent; -1 while the window holds no call. */
        public float failureRate() {
            return calls == 0 ? -1 : 100f * failedCalls / calls;
        }

        /** Slow calls over calls in the window, in percent; -1 while the window holds no call. */
        public float slowCallRate() {
            return calls == 0 ? -1 : 100f * slowCalls / calls;
        }
    }

    /** The sliding window of a closed breaker. */
    public sealed interface Window {
        /** The outcomes of the last {@code calls} calls. */
        static Window count(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("circuit breaker: a count window holds >= 1 call, was " + calls);
            }
            return new CountWindow(calls);
        }

        /** The outcomes of the calls of the last {@code seconds} seconds, in one-second buckets. */
        static Window time(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("circuit breaker: a time window is >= 1 second, was " + seconds);
            }
            return new TimeWindow(seconds);
        }
    }

    record CountWindow(int calls) implements Window {}

    record TimeWindow(int seconds) implements Window {}

    /**
     * Permission to make one call. Report how it went exactly once: {@link #succeeded}, {@link #failed}, or
     * {@link #release} (no outcome: the call was not made, or was cancelled); a second report is ignored.
     */
    public final class Permit {
        private final long epoch;
        private final long startNanos;
        private boolean reported; // guarded by the breaker's lock

        private Permit(long epoch, long startNanos) {
            this.epoch = epoch;
            this.startNanos = startNanos;
        }

        /** The call returned. It is slow if it took {@code slowCallDuration} or longer. */
        public void succeeded() {
            record(this, false);
        }

        /** The call threw {@code error}: a failure if {@code recordOn} accepts it, otherwise not counted. */
        public void failed(Throwable error) {
            Objects.requireNonNull(error, "error");
            if (recordOn.test(error)) {
                record(this, true);
            } else {
                release();
            }
        }

        /** The call ended with no outcome to count. */
        public void release() {
            lock.lock();
            try {
                if (!reported) {
                    reported = true;
                    if (epoch == CircuitBreaker.this.epoch && state == State.HALF_OPEN) {
                        trialsPermitted--; // the trial slot is free again
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private final String name;
    private final Clock clock;
    private final Outcomes window;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final long slowCallNanos;
    private final long waitInOpenNanos;
    private final int permittedCallsInHalfOpen;
    private final Predicate<? super Throwable> recordOn;
    private final List<Channel<Transition>> subscribers = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private State state = State.CLOSED;
    private long epoch; // one per state entered: permits of an earlier one are ignored
    private long openedAtNanos;
    private int trialsPermitted;
    private int trialsDone;
    private int trialsFailed;
    private int trialsSlow;
    private long notPermitted;
    private long sequence;
    private boolean openedByTrials; // the last trip was by the half-open trials: metrics() shows theirs while open
    private long callsSucceeded; // every call reported, in whatever state it was permitted
    private long callsFailed;
    private long callsSlow;

    private CircuitBreaker(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.window = switch (b.window) {
            case CountWindow(int calls) -> new Outcomes.Count(calls);
            case TimeWindow(int seconds) -> new Outcomes.Time(seconds, clock.nanoTime());
        };
        int windowCalls = b.window instanceof CountWindow(int calls) ? calls : Integer.MAX_VALUE;
        this.minimumCalls = Math.min(b.minimumCalls, windowCalls); // a count window never holds more than its size
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallNanos = b.slowCallDuration.toNanos();
        this.waitInOpenNanos = b.waitInOpen.toNanos();
        this.permittedCallsInHalfOpen = b.permittedCallsInHalfOpen;
        this.recordOn = b.recordOn;
    }

    /** A builder with resilience4j's defaults; see each setter. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The breaker's name, as in its rejections. */
    public String name() {
        return name;
    }

    /** The state now (an open breaker whose wait is over is half-open: the check moves it). */
    public State state() {
        lock.lock();
        try {
            openToHalfOpenIfDue(clock.nanoTime());
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** The counts now. */
    public Metrics metrics() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            openToHalfOpenIfDue(now);
            if (state == State.HALF_OPEN || state == State.OPEN && openedByTrials) {
                return new Metrics(state, trialsDone, trialsFailed, trialsSlow, notPermitted);
            }
            window.expire(now);
            return new Metrics(state, window.calls(), window.failed(), window.slow(), notPermitted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The breaker in the project's one metrics vocabulary, the component {@code "circuit_breaker"}: the gauge
     * {@code state} (0 closed, 1 half-open, 2 open: its severity, so a health rule {@code state >= 1} is
     * "degraded while probing"), the gauges {@code window.calls}, {@code window.failed}, {@code window.slow},
     * {@code failure_rate} and {@code slow_call_rate} (fractions, {@code NaN} while the window holds no call) from
     * {@link #metrics()}, and the counters {@code calls.succeeded}, {@code calls.failed}, {@code calls.slow} (every
     * call reported, in whatever state), {@code calls.not_permitted} and {@code transitions}. Read under the
     * breaker's lock: the numbers are of one instant.
     */
    @Override
    public Snapshot snapshot() {
        long succeeded;
        long failed;
        long slow;
        long transitions;
        Metrics m;
        lock.lock();
        try {
            m = metrics(); // re-entrant: the same instant
            succeeded = callsSucceeded;
            failed = callsFailed;
            slow = callsSlow;
            transitions = sequence;
        } finally {
            lock.unlock();
        }
        int severity = switch (m.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
        double calls = m.calls();
        return Snapshot.of("circuit_breaker").gauge("state", severity)
                .gauge("window.calls", m.calls()).gauge("window.failed", m.failedCalls())
                .gauge("window.slow", m.slowCalls())
                .gauge("failure_rate", calls == 0 ? Double.NaN : m.failedCalls() / calls)
                .gauge("slow_call_rate", calls == 0 ? Double.NaN : m.slowCalls() / calls)
                .counter("calls.succeeded", succeeded).counter("calls.failed", failed).counter("calls.slow", slow)
                .counter("calls.not_permitted", m.notPermitted()).counter("transitions", transitions)
                .build();
    }

    /** Permission to make a call now, or empty if the breaker refuses one (counted in {@code notPermitted}). */
    public Optional<Permit> tryAcquire() {
        lock.lock();
        try {
            long now = clock.nanoTime();
            openToHalfOpenIfDue(now);
            switch (state) {
                case CLOSED -> {
                    return Optional.of(new Permit(epoch, now));
                }
                case HALF_OPEN -> {
                    if (trialsPermitted < permittedCallsInHalfOpen) {
                        trialsPermitted++;
                        return Optional.of(new Permit(epoch, now));
                    }
                }
                case OPEN -> { }
            }
            notPermitted++;
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Permission to make a call now. @throws CallNotPermittedException if the breaker refuses it */
    public Permit acquire() {
        lock.lock(); // reentrant: the refusal and the state it names are one instant, not two looks at the clock
        try {
            return tryAcquire().orElseThrow(() -> new CallNotPermittedException(name, state));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the call if the breaker permits it, and counts its outcome.
     *
     * @throws CallNotPermittedException if the breaker refuses the call; {@code body} is then not called
     * @throws Exception what {@code body} threw, as it was thrown
     */
    @Override
    public <T> T call(Context ctx, Body<? extends T> body) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(body, "body");
        Permit permit = acquire();
        try {
            T value = body.call(ctx);
            permit.succeeded();
            return value;
        } catch (Throwable t) {
            permit.failed(t);
            throw t;
        }
    }

    /**
     * A new subscription to the breaker's transitions: a channel with room for {@code capacity} of them, each sent
     * without waiting (a transition that finds it full is dropped for this subscriber: see
     * {@link Transition#sequence}). {@link Subscription#close} ends it and closes the channel.
     */
    public Subscription subscribe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("circuit breaker: a subscription holds >= 1 transition, was "
                    + capacity);
        }
        Channel<Transition> ch = Channel.make(capacity);
        subscribers.add(ch);
        return new Subscription(ch);
    }

    /** One subscriber's transitions. */
    public final class Subscription implements AutoCloseable {
        private final Channel<Transition> channel;

        private Subscription(Channel<Transition> channel) {
            this.channel = channel;
        }

        /** The transitions, in order; closed once the subscription is. */
        public ReceiveChannel<Transition> transitions() {
            return channel.receiveOnly();
        }

        /** Ends the subscription and closes its channel. Idempotent. */
        @Override
        public void close() {
            lock.lock(); // transitions are sent under the lock: none is being sent to a closed channel
            try {
                if (subscribers.remove(channel)) {
                    channel.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + state() + "]";
    }

    // ------------------------------------------------------------------------------------------ machine

    private void record(Permit p, boolean failed) {
        lock.lock();
        try {
            if (p.reported) {
                return;
            }
            p.reported = true;
            long now = clock.nanoTime();
            boolean slow = now - p.startNanos >= slowCallNanos;
            if (failed) {
                callsFailed++;
            } else {
                callsSucceeded++;
            }
            callsSlow += slow ? 1 : 0;
            if (p.epoch != epoch) {
                return; // permitted in an earlier state: says nothing about this one
            }
            switch (state) {
                case CLOSED -> {
                    window.add(now, failed, slow);
                    if (window.calls() >= minimumCalls && tripped(window.calls(), window.failed(), window.slow())) {
                        openedByTrials = false;
                        toOpen(now);
                    }
                }
                case HALF_OPEN -> {
                    trialsDone++;
                    trialsFailed += failed ? 1 : 0;
                    trialsSlow += slow ? 1 : 0;
                    if (trialsDone == permittedCallsInHalfOpen) {
                        if (tripped(trialsDone, trialsFailed, trialsSlow)) {
                            openedByTrials = true;
                            toOpen(now);
                        } else {
                            transition(State.CLOSED, now);
                            window.clear(now);
                        }
                    }
                }
                case OPEN -> { } // unreachable: an open breaker permits nothing, and entering it is a new epoch
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean tripped(int calls, int failed, int slow) {
        return 100f * failed / calls >= failureRateThreshold || 100f * slow / calls >= slowCallRateThreshold;
    }

    private void toOpen(long now) {
        openedAtNanos = now;
        transition(State.OPEN, now);
    }

    private void openToHalfOpenIfDue(long now) {
        if (state == State.OPEN && now - openedAtNanos >= waitInOpenNanos) {
            trialsPermitted = 0;
            trialsDone = 0;
            trialsFailed = 0;
            trialsSlow = 0;
            transition(State.HALF_OPEN, now);
        }
    }

    /** Under the lock: enters {@code to}, and tells every subscriber without waiting. */
    private void transition(State to, long now) {
        State from = state;
        state = to;
        epoch++;
        Transition t = new Transition(from, to, now, ++sequence);
        for (Channel<Transition> s : subscribers) {
            s.trySend(t);
        }
    }

    // --------------------------------------------------------------------------------------------- builder

    /** How a breaker judges calls. Defaults are resilience4j's. */
    public static final class Builder {
        private final String name;
        private Clock clock = Clock.system();
        private Window window = Window.count(100);
        private int minimumCalls = 100;
        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 100;
        private Duration slowCallDuration = Duration.ofSeconds(60);
        private Duration waitInOpen = Duration.ofSeconds(60);
        private int permittedCallsInHalfOpen = 10;
        private Predicate<? super Throwable> recordOn = CircuitBreaker::isServiceFailure;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The clock slow calls and the wait in open are measured on (default: the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The window of a closed breaker (default: the last 100 calls). */
        public Builder slidingWindow(Window window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /** How many outcomes the window must hold before its rates are judged (default 100; at most the window). */
        public Builder minimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("circuit breaker: minimumCalls must be >= 1, was " + calls);
            }
            this.minimumCalls = calls;
            return this;
        }

        /** The failure rate, in percent, in (0, 100], that opens the breaker (default 50). */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent(percent, "failureRateThreshold");
            return this;
        }

        /** The slow-call rate, in percent, in (0, 100], that opens the breaker (default 100). */
        public Builder slowCallRateThreshold(float percent) {
            this.slowCallRateThreshold = percent(percent, "slowCallRateThreshold");
            return this;
        }

        /** How long a call may take before it counts as slow (default 60 s). */
        public Builder slowCallDuration(Duration d) {
            this.slowCallDuration = positive(d, "slowCallDuration");
            return this;
        }

        /** How long an open breaker refuses calls before it lets trial calls through (default 60 s). */
        public Builder waitInOpen(Duration d) {
            this.waitInOpen = positive(d, "waitInOpen");
            return this;
        }

        /** How many trial calls a half-open breaker permits, and judges (default 10). */
        public Builder permittedCallsInHalfOpen(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("circuit breaker: permittedCallsInHalfOpen must be >= 1, was "
                        + calls);
            }
            this.permittedCallsInHalfOpen = calls;
            return this;
        }

        /**
         * Which exceptions count as failures of the service (default: every exception but a context's error and
         * an interrupt). Others end the call without being counted.
         */
        public Builder recordOn(Predicate<? super Throwable> failure) {
            this.recordOn = Objects.requireNonNull(failure, "recordOn");
            return this;
        }

        public CircuitBreaker build() {
            return new CircuitBreaker(this);
        }

        private static float percent(float p, String what) {
            if (!(p > 0 && p <= 100)) {
                throw new IllegalArgumentException("circuit breaker: " + what + " must be in (0, 100], was " + p);
            }
            return p;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("circuit breaker: " + what + " must be > 0, was " + d);
            }
            return d;
        }
    }

    /** The default of {@link Builder#recordOn}. */
    static boolean isServiceFailure(Throwable t) {
        return !(t instanceof ContextException) && !(t instanceof InterruptedException);
    }

    // --------------------------------------------------------------------------------------------- windows

    /** The outcomes of a closed breaker. Not thread-safe: used under the breaker's lock. */
    /**
     * A window's outcomes: the calls in it and how many failed or were slow, kept as running totals that each
     * window adds to and takes from as calls enter and age out. Call only when holding the breaker's lock.
     */
    private abstract static sealed class Outcomes {
        int calls;
        int failed;
        int slow;

        abstract void add(long now, boolean failed, boolean slow);

        final int calls() {
            return calls;
        }

        final int failed() {
            return failed;
        }

        final int slow() {
            return slow;
        }

        /** Drops what has aged out by {@code now} (time windows). */
        void expire(long now) {
        }

        /** Empties the window, as of {@code now}. */
        void clear(long now) {
            calls = 0;
            failed = 0;
            slow = 0;
        }

        /** The last {@code size} calls, in a ring: 0 = success, bit 1 = failed, bit 2 = slow. */
        static final class Count extends Outcomes {
            private final byte[] ring;
            private int next;

            Count(int size) {
                ring = new byte[size];
            }

            @Override
            void add(long now, boolean isFailed, boolean isSlow) {
                if (calls == ring.length) {
                    byte old = ring[next];
                    failed -= old & 1;
                    slow -= (old >> 1) & 1;
                } else {
                    calls++;
                }
                ring[next] = (byte) ((isFailed ? 1 : 0) | (isSlow ? 2 : 0));
                failed += isFailed ? 1 : 0;
                slow += isSlow ? 1 : 0;
                next = (next + 1) % ring.length;
            }

            @Override
            void clear(long now) {
                super.clear(now);
                next = 0;
            }
        }

        /** The calls of the last {@code seconds} seconds, one bucket per second since {@code origin}. */
        static final class Time extends Outcomes {
            private static final long SECOND = 1_000_000_000L;
            private final long origin;
            private final int[][] buckets; // [bucket][calls, failed, slow]
            private long current; // the absolute second of the newest bucket

            Time(int seconds, long origin) {
                this.origin = origin;
                this.buckets = new int[seconds][3];
            }

            @Override
            void add(long now, boolean isFailed, boolean isSlow) {
                expire(now);
                int[] b = buckets[(int) (current % buckets.length)];
                b[0]++;
                b[1] += isFailed ? 1 : 0;
                b[2] += isSlow ? 1 : 0;
                calls++;
                failed += isFailed ? 1 : 0;
                slow += isSlow ? 1 : 0;
            }

            @Override
            void expire(long now) {
                long second = Math.max(0, now - origin) / SECOND;
                if (second <= current) {
                    return;
                }
                long steps = Math.min(second - current, buckets.length);
                for (long s = 1; s <= steps; s++) {
                    int[] b = buckets[(int) ((current + s) % buckets.length)];
                    calls -= b[0];
                    failed -= b[1];
                    slow -= b[2];
                    b[0] = 0;
                    b[1] = 0;
                    b[2] = 0;
                }
                current = second;
            }

            @Override
            void clear(long now) {
                for (int[] b : buckets) {
                    b[0] = 0;
                    b[1] = 0;
                    b[2] = 0;
                }
                super.clear(now);
                expire(now);
            }
        }
    }
}
