package dev.gopatterns.rate;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A token-bucket rate limiter: events are allowed at {@code limit} per second on average, with bursts of up to
 * {@code burst} events. The bucket starts full.
 *
 * <p>Go equivalent: {@code golang.org/x/time/rate.Limiter}: {@link #allow} is {@code Allow}, {@link #await} is
 * {@code Wait}, {@link #reserve} is {@code Reserve}, with the N variants. Time is read from an injected
 * {@link Clock}, so tests use a {@link dev.gopatterns.clock.FakeClock} and never sleep.
 *
 * <h2>How it works</h2>
 * As in Go, the bucket is not refilled by a background thread. The limiter remembers the number of tokens at the
 * time of the last update ({@code tokens}, {@code last}); on each call it adds {@code limit × elapsed} tokens, capped
 * at {@code burst}, and subtracts what the call takes. Tokens may go negative: that is a reservation of future
 * tokens, and its {@link Reservation#delay()} is how long until the bucket is back at zero.
 *
 * <p>Memory consistency effects: calls are linearizable; actions before a call happen-before later calls.
 */
public final class Limiter {

    /**
     * No limit: every event is allowed. Go: {@code rate.Inf}, which is likewise the largest finite float, so that
     * arithmetic on it (zero elapsed time times the limit) never yields NaN.
     */
    public static final double INF = Double.MAX_VALUE;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. Events per second. */
    private double limit;
    /** Guarded by lock. */
    private int burst;
    /** Guarded by lock. */
    private double tokens;
    /** Guarded by lock. The last time tokens was updated, on the clock's scale. */
    private long last;
    /** Guarded by lock. The latest time of a rate-limited event (past or future). */
    private long lastEvent;

    /**
     * @param limit events per second; {@link #INF} for no limit; 0 allows only the initial burst
     * @param burst the bucket size: the most events allowed at once
     */
    public Limiter(double limit, int burst, Clock clock) {
        if (Double.isNaN(limit) || limit < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 events per second, was " + limit);
        }
        if (burst < 0) {
            throw new IllegalArgumentException("burst must be >= 0, was " + burst);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limit = limit;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.nanoTime();
        this.lastEvent = last;
    }

    /** A limiter on the system clock. */
    public Limiter(double limit, int burst) {
        this(limit, burst, Clock.system());
    }

    /** {@code 1 / interval} events per second: one event every {@code interval}. Go: {@code rate.Every}. */
    public static double every(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return INF;
        }
        return 1.0 / (interval.getSeconds() + interval.getNano() / 1e9);
    }

    // ------------------------------------------------------------------------------------------------ allow

    /** Whether one event may happen now; takes a token if so. Go: {@code Allow}. */
    public boolean allow() {
        return allowN(1);
    }

    /** Whether {@code n} events may happen now; takes {@code n} tokens if so, none otherwise. */
    public boolean allowN(int n) {
        return reserveN(clock.nanoTime(), n, 0).ok();
    }

    // ---------------------------------------------------------------------------------------------- reserve

    /** Reserves one token. See {@link #reserveN}. */
    public Reservation reserve() {
        return reserveN(1);
    }

    /**
     * Reserves {@code n} tokens, now or in the future. The caller must wait {@link Reservation#delay()} before
     * acting, or {@link Reservation#cancel()} to give the tokens back. A reservation for more than the burst is
     * not {@linkplain Reservation#ok() ok}. Go: {@code ReserveN}.
     */
    public Reservation reserveN(int n) {
        return reserveN(clock.nanoTime(), n, Long.MAX_VALUE);
    }

    private Reservation reserveN(long now, int n, long maxFutureReserveNanos) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        lock.lock();
        try {
            if (limit == INF) {
                return new Reservation(true, n, now, INF);
            }
            if (limit == 0) {
                boolean ok = burst >= n;
                if (ok) {
                    burst -= n;
                }
                return new Reservation(ok, burst, now, 0);
            }
            double t = advance(now) - n;
            long wait = t < 0 ? durationFromTokens(-t) : 0;
            boolean ok = n <= burst && wait <= maxFutureReserveNanos;
            if (!ok) {
                return new Reservation(false, 0, now, limit);
            }
            long timeToAct = now + wait;
            last = now;
            tokens = t;
            lastEvent = timeToAct;
            return new Reservation(true, n, timeToAct, limit);
        } finally {
            lock.unlock();
        }
    }

    /** The tokens there would be at {@code now}. Call only when holding lock. */
    private double advance(long now) {
        long from = (now - last < 0) ? now : last;
        double t = tokens + tokensFromDuration(now - from);
        return Math.min(t, burst);
    }

    private double tokensFromDuration(long nanos) {
        if (limit <= 0 || nanos <= 0) {
            return 0;
        }
        return nanos / 1e9 * limit; // may be +Infinity for INF; the caller caps it at the burst
    }

    private long durationFromTokens(double t) {
        if (limit <= 0) {
            return Long.MAX_VALUE;
        }
        double nanos = t / limit * 1e9;
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(nanos);
    }

    // -------------------------------------------------------------------------------------------------- wait

    /** Blocks until one event is allowed or {@code ctx} ends. See {@link #awaitN}. */
    public void await(Context ctx) throws InterruptedException {
        awaitN(ctx, 1);
    }

    /**
     * Blocks until {@code n} events are allowed, or {@code ctx} ends. Go: {@code WaitN}.
     *
     * @throws IllegalArgumentException if {@code n} exceeds the burst ("rate: Wait(n=5) exceeds limiter's burst 3")
     * @throws DeadlineTooSoonException if {@code ctx} has a deadline before the wait would end (fails at once,
     *                                  reserving nothing)
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first; the reserved tokens are returned
     * @throws InterruptedException     if interrupted; the reserved tokens are returned
     */
    public void awaitN(Context ctx, int n) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        if (Thread.interrupted()) {
            throw new InterruptedException(); // a blocking call checks the flag first (docs/interruption.md)
        }
        double lim;
        int b;
        lock.lock();
        try {
            lim = limit;
            b = burst;
        } finally {
            lock.unlock();
        }
        if (n > b && lim != INF) {
            throw new IllegalArgumentException("rate: Wait(n=" + n + ") exceeds limiter's burst " + b);
        }
        ctx.throwIfDone();
        long now = clock.nanoTime();
        OptionalLong deadline = ctx.deadline();
        long waitLimit = deadline.isPresent() ? deadline.getAsLong() - ctx.clock().nanoTime() : Long.MAX_VALUE;
        Reservation r = reserveN(now, n, waitLimit);
        if (!r.ok()) {
            throw new DeadlineTooSoonException("rate: Wait(n=" + n + ") would exceed context deadline");
        }
        if (r.delayFrom(now) <= 0) {
            return;
        }
        // The wake-up is scheduled at the reservation's absolute time, not after a delay computed from `now`:
        // on a clock advanced by another thread meanwhile (a FakeClock), a delay would wake us a step late.
        Channel<Void> due = Channel.unbuffered();
        Clock.Scheduled wake = clock.scheduleAt(r.timeToAct, due::close);
        try {
            boolean acted = Select.select(due.onReceiveOrClosed(closed -> true), ctx.onDone(() -> false));
            if (!acted) {
                r.cancel();
                ctx.throwIfDone();
            }
        } catch (InterruptedException e) {
            r.cancel();
            throw e;
        } finally {
            wake.cancel();
        }
    }

    // ------------------------------------------------------------------------------------------- settings

    /** Events per second. */
    public double limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** The bucket size. */
    public int burst() {
        lock.lock();
        try {
            return burst;
        } finally {
            lock.unlock();
        }
    }

    /** The tokens available now (negative while future reservations are outstanding). Go: {@code Tokens}. */
    public double tokens() {
        lock.lock();
        try {
            if (limit == INF) {
                return burst;
            }
            return advance(clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    /** Changes the rate; tokens accrued so far are kept. Go: {@code SetLimit}. */
    public void setLimit(double newLimit) {
        if (Double.isNaN(newLimit) || newLimit < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 events per second, was " + newLimit);
        }
        lock.lock();
        try {
            long now = clock.nanoTime();
            tokens = advance(now);
            last = now;
            limit = newLimit;
        } finally {
            lock.unlock();
        }
    }

    /** Changes the burst. Go: {@code SetBurst}. */
    public void setBurst(int newBurst) {
        if (newBurst < 0) {
            throw new IllegalArgumentException("burst must be >= 0, was " + newBurst);
        }
        lock.lock();
        try {
            long now = clock.nanoTime();
            tokens = advance(now);
            last = now;
            burst = newBurst;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------ reservation

    /**
     * Tokens taken from a {@link Limiter}, possibly in the future. Go: {@code rate.Reservation}.
     */
    public final class Reservation {
        private final boolean ok;
        private final int n;
        private final long timeToAct;
        private final double lim;

        private Reservation(boolean ok, int n, long timeToAct, double lim) {
            this.ok = ok;
            this.n = n;
            this.timeToAct = timeToAct;
            this.lim = lim;
        }

        /** Whether the limiter can grant the tokens (false if more than the burst, or beyond a deadline). */
        public boolean ok() {
            return ok;
        }

        /** How long to wait before acting; {@link Duration#ZERO} if now. Go: {@code Delay}. */
        public Duration delay() {
            return Duration.ofNanos(Math.max(0, delayFrom(clock.nanoTime())));
        }

        long delayFrom(long now) {
            if (!ok) {
                return Long.MAX_VALUE;
            }
            long d = timeToAct - now;
            return Math.max(0, d);
        }

        /**
         * Gives the tokens back, as far as that is still possible: tokens already "used" by reservations made after
         * this one are not restored. Go: {@code Cancel}.
         */
        public void cancel() {
            if (!ok) {
                return;
            }
            long now = clock.nanoTime();
            lock.lock();
            try {
                if (limit == INF || n == 0 || timeToAct - now < 0) {
                    return;
                }
                double restore = n - (lim <= 0 ? 0 : (lastEvent - timeToAct) / 1e9 * lim);
                if (restore <= 0) {
                    return;
                }
                double t = Math.min(advance(now) + restore, burst);
                last = now;
                tokens = t;
                if (timeToAct == lastEvent) {
                    long prevEvent = timeToAct + (lim <= 0 ? 0 : (long) (-n / lim * 1e9));
                    if (prevEvent - now >= 0) {
                        lastEvent = prevEvent;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
