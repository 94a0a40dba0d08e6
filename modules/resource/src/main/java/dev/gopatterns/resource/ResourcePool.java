package dev.gopatterns.resource;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.sync.Semaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A bounded pool of reusable resources (connections, sessions, buffers): {@link #acquire} lends one, as a
 * {@link Lease} whose {@link Lease#close()} gives it back for the next caller. At most {@code maxSize} resources
 * exist at once, idle or lent; the pool creates them with its {@link Factory} when it has none idle and is below
 * that bound, and otherwise the caller waits until one is given back or a slot is freed, or until its context ends.
 *
 * <pre>{@code
 * try (ResourcePool<Conn> conns = ResourcePool.builder(ctx -> Conn.open(ctx, url)).maxSize(10)
 *         .healthCheck(Conn::isOpen).build()) {
 *     try (ResourcePool.Lease<Conn> lease = conns.acquire(ctx)) {
 *         lease.get().query("...");
 *     } // given back (or destroyed, if the health check fails)
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Acquire</b> takes an idle resource if there is one, else creates one if under {@code maxSize} (the
 *       factory runs in the caller's thread, under the caller's context), else waits, in one {@code select}, for a
 *       resource given back, a slot freed (then it creates), or its context's end. A factory that fails (or returns
 *       {@code null}) frees the slot, and the acquire throws its exception.
 *   <li><b>Give back</b>: {@link Lease#close()} runs the {@linkplain Builder#healthCheck health check}; a healthy
 *       resource goes to the next waiter, or idle; an unhealthy one is destroyed and its slot freed, so a waiter
 *       creates a fresh one. {@link Lease#discard()} destroys the resource without checking (a broken connection).
 *       Ending a lease twice does nothing; {@link Lease#get()} after its end fails, naming the rule.
 *   <li><b>Idle</b> resources are checked when lent: one idle for {@linkplain Builder#maxIdleTime maxIdleTime} or
 *       more (on the pool's clock), or failing the health check when {@linkplain Builder#checkOnBorrow asked}, is
 *       destroyed instead, and the acquire goes on. There is no background reaper.
 *   <li><b>Destroy</b> runs the {@linkplain Builder#destroyer destroyer} (by default {@code close()} for an
 *       {@link AutoCloseable} resource) exactly once per resource created, and frees its slot after. A destroyer or
 *       health check that throws is counted and reported to the current thread's uncaught-exception handler,
 *       never thrown to the caller that happened to trigger it.
 *   <li><b>Close</b> ({@link #close()}): later acquires throw {@link IllegalStateException} "resource pool:
 *       closed", and so do the ones waiting, at once; idle resources are destroyed now, lent ones when their lease
 *       ends. It does not wait for the leases.
 * </ul>
 *
 * <p>Go equivalent: a buffered channel of resources used as the free list, plus a semaphore for the slots:
 * <pre>{@code
 * select {
 * case r := <-p.idle:                  return r, nil
 * case p.slots <- struct{}{}:          return p.factory(ctx)   // on error: <-p.slots
 * case <-ctx.Done():                   return nil, ctx.Err()
 * }
 * }</pre>
 * {@code database/sql}'s connection pool ({@code DB.conn}, {@code putConn}, {@code SetMaxOpenConns},
 * {@code SetConnMaxIdleTime}) is the model; it hands a returned connection to the oldest waiting request, as the
 * channel's queue of receivers does here.
 *
 * <p>Memory consistency effects: actions in a thread prior to ending a {@link Lease} happen-before the actions of
 * the thread that is lent the same resource next, and the factory's actions happen-before the return of the
 * {@code acquire} that created the resource.
 *
 * @param <R> the resource type
 */
public final class ResourcePool<R> implements AutoCloseable, Metered {
    /*
     * Two structures, as in the Go snippet. `slots` is a Semaphore of maxSize units: a unit is held for every
     * resource that exists (idle, lent, or being created), so the bound holds by construction, and a unit is
     * released only after its resource has been destroyed (the count of live resources never exceeds maxSize,
     * even for an instant). `idle` is a channel of capacity maxSize: the free list, never full since it holds at
     * most the resources that exist.
     *
     * A resource is always in exactly one place: the idle channel's buffer, a lease, or the hands of one thread
     * (an acquirer creating or inspecting it, a lease being ended, close draining idle). It moves between them by
     * channel operations and lease CASes, each of which happens once, so it is destroyed once, by whoever holds it
     * when it must go.
     *
     * Give-back racing close: close() sets `closed`, then closes `idle`, then drains it. A give-back that sees
     * `closed` destroys; one that sends before idle.close() leaves the resource in the buffer, where close's drain
     * (or an acquirer, which checks `closed` after receiving and destroys it) finds it; one that sends after
     * gets ChannelClosedException and destroys. jcstress: Resource_02_CloseRacingRelease.
     *
     * Waiters select on idle.onReceiveOrClosed, slots.onAcquire and ctx.onDone: a give-back's trySend hands the
     * resource straight to the first waiting receiver (Resource_01_ReleaseRacingAcquire), a destroy's release
     * grants the slot to the first waiting acquirer, and close() wakes every waiter through the closed channel.
     * Whichever case fires, the acquirer checks `closed` afterwards, so a slot or a resource obtained while the
     * pool closes is given up, not lent.
     */

    /** Creates a resource; runs in the acquiring thread, under its context. */
    @FunctionalInterface
    public interface Factory<R> {
        R create(Context ctx) throws Exception;
    }

    /**
     * What the pool has done so far, and holds now. {@code created} and {@code destroyed} count resources (of the
     * destroyed, {@code unhealthy} failed a health check or were idle too long); {@code failedCreates} counts
     * factory calls that threw or returned null; {@code destroyFailures} destroyers and health checks that threw;
     * {@code acquireTimeouts} acquires that ended because their context did. {@code idle}, {@code leased} and
     * {@code waiting} are gauges. Once every lease has ended and no acquire is running,
     * {@code created - destroyed == idle}.
     */
    public record Metrics(long created, long destroyed, long unhealthy, long failedCreates, long destroyFailures,
                          long acquireTimeouts, int idle, int leased, int waiting, int maxSize) {}

    /** An idle resource, and when it became idle (on the pool's clock). */
    private record Idle<R>(R resource, long sinceNanos) {}

    private enum Fired { SLOT, CONTEXT }

    private final Factory<R> factory;
    private final int maxSize;
    private final Predicate<? super R> healthCheck;
    private final boolean checkOnBorrow;
    private final Consumer<? super R> destroyer;
    private final long maxIdleNanos;
    private final Clock clock;

    private final Semaphore slots;
    private final Channel<Idle<R>> idle;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder created = new LongAdder();
    private final LongAdder destroyed = new LongAdder();
    private final LongAdder unhealthy = new LongAdder();
    private final LongAdder failedCreates = new LongAdder();
    private final LongAdder destroyFailures = new LongAdder();
    private final LongAdder acquireTimeouts = new LongAdder();
    private final AtomicInteger leased = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    private ResourcePool(Builder<R> b) {
        this.factory = b.factory;
        this.maxSize = b.maxSize;
        this.healthCheck = b.healthCheck;
        this.checkOnBorrow = b.checkOnBorrow;
        this.destroyer = b.destroyer;
        this.maxIdleNanos = b.maxIdleTime == null ? 0 : Clock.toNanosSaturated(b.maxIdleTime);
        this.clock = b.clock;
        this.slots = new Semaphore(maxSize);
        this.idle = Channel.make(maxSize);
    }

    /** A builder for a pool that creates its resources with {@code factory}. {@code maxSize} is required. */
    public static <R> Builder<R> builder(Factory<R> factory) {
        return new Builder<>(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * Lends a resource: an idle one, else a new one if under {@code maxSize}, else the first one given back (or
     * created in a slot freed) while this caller waits.
     *
     * @throws Exception what the factory threw, or a {@link NullPointerException} if it returned null; the slot
     *     is free again
     * @throws dev.gopatterns.context.ContextException if {@code ctx} is done, or ends while this caller waits
     *     (nothing is taken)
     * @throws IllegalStateException "resource pool: closed" if the pool is closed, or closes while this caller
     *     waits
     * @throws InterruptedException if interrupted before or while waiting (nothing is taken)
     */
    public Lease<R> acquire(Context ctx) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ctx.throwIfDone();
        checkOpen();
        for (;;) {
            Object got = takeNow();
            if (got == null) {
                waiting.incrementAndGet();
                try {
                    got = Select.select(idle.onReceiveOrClosed(r -> r), slots.onAcquire(1, () -> Fired.SLOT),
                            ctx.onDone(() -> Fired.CONTEXT));
                } finally {
                    waiting.decrementAndGet();
                }
            }
            if (got == Fired.CONTEXT) {
                acquireTimeouts.increment();
                throw ctx.err().orElseThrow();
            }
            Lease<R> lease = got == Fired.SLOT ? create(ctx) : lend(got);
            if (lease != null) {
                return lease;
            } // an idle resource too old or unhealthy was destroyed: look again
        }
    }

    /**
     * Lends a resource without waiting for one to be given back: an idle one, else a new one if under
     * {@code maxSize} (the factory runs in this thread, under {@code ctx}); empty if all {@code maxSize} are lent.
     *
     * @throws Exception what the factory threw, as {@link #acquire} does
     * @throws IllegalStateException "resource pool: closed" if the pool is closed
     */
    public java.util.Optional<Lease<R>> tryAcquire(Context ctx) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        ctx.throwIfDone();
        checkOpen();
        for (;;) {
            Object got = takeNow();
            if (got == null) {
                return java.util.Optional.empty();
            }
            Lease<R> lease = got == Fired.SLOT ? create(ctx) : lend(got);
            if (lease != null) {
                return java.util.Optional.of(lease);
            }
        }
    }

    /** An idle resource's {@code Received}, {@link Fired#SLOT} for a slot taken, or null if neither is free now. */
    private Object takeNow() {
        TryReceived<Idle<R>> r = idle.tryReceive();
        if (r instanceof Received<Idle<R>> received) {
            return received;
        }
        return slots.tryAcquire(1) ? Fired.SLOT : null;
    }

    /** Lends what came out of the idle channel; null if it was destroyed instead. */
    @SuppressWarnings("unchecked")
    private Lease<R> lend(Object got) {
        switch ((Received<Idle<R>>) got) {
            case Received.Closed<Idle<R>>() -> throw closedError();
            case Received.Value<Idle<R>>(Idle<R> i) -> {
                if (closed.get()) { // taken from the buffer while close() drains it
                    destroy(i.resource(), false);
                    throw closedError();
                }
                if (maxIdleNanos > 0 && clock.nanoTime() - i.sinceNanos() >= maxIdleNanos
                        || checkOnBorrow && !healthy(i.resource())) {
                    destroy(i.resource(), true);
                    return null;
                }
                return newLease(i.resource());
            }
        }
    }

    /** Creates a resource in the slot this thread holds; the slot is freed again if that fails. */
    private Lease<R> create(Context ctx) throws Exception {
        if (closed.get()) {
            slots.release(1);
            throw closedError();
        }
        R r = null;
        try {
            r = factory.create(ctx);
            if (r == null) {
                throw new NullPointerException("resource pool: the factory returned null");
            }
        } finally {
            if (r == null) {
                failedCreates.increment();
                slots.release(1);
            }
        }
        created.increment();
        if (closed.get()) {
            destroy(r, false);
            throw closedError();
        }
        return newLease(r);
    }

    private Lease<R> newLease(R r) {
        leased.incrementAndGet();
        return new Lease<>(this, r);
    }

    /** A lease's end: a healthy resource goes to the next waiter or idle; any other is destroyed. */
    private void giveBack(R r, boolean discard) {
        leased.decrementAndGet();
        if (discard) {
            destroy(r, false);
            return;
        }
        if (closed.get()) {
            destroy(r, false);
            return;
        }
        if (!healthy(r)) {
            destroy(r, true);
            return;
        }
        boolean sent;
        try {
            sent = idle.trySend(new Idle<>(r, clock.nanoTime()));
        } catch (ChannelClosedException lostToClose) {
            sent = false;
        }
        if (!sent) { // the pool closed since we looked (a full buffer cannot happen: it holds < maxSize)
            destroy(r, false);
        }
    }

    private boolean healthy(R r) {
        if (healthCheck == null) {
            return true;
        }
        try {
            return healthCheck.test(r);
        } catch (RuntimeException e) {
            destroyFailures.increment();
            report(e);
            return false;
        }
    }

    /** Destroys {@code r} and then frees its slot. */
    private void destroy(R r, boolean unhealthy) {
        try {
            destroyer.accept(r);
        } catch (RuntimeException e) {
            destroyFailures.increment();
            report(e);
        } finally {
            destroyed.increment();
            if (unhealthy) {
                this.unhealthy.increment();
            }
            slots.release(1);
        }
    }

    private static void report(Throwable t) {
        Thread me = Thread.currentThread();
        me.getUncaughtExceptionHandler().uncaughtException(me, t);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("resource pool: closed");
    }

    /**
     * The pool in the project's one metrics vocabulary, the component {@code "resource_pool"}: the counters
     * {@code created}, {@code destroyed}, {@code unhealthy}, {@code creates.failed}, {@code destroys.failed} and
     * {@code acquires.timed_out}, and the gauges {@code idle}, {@code leased}, {@code waiting} and
     * {@code max_size}, as {@link #metrics()}. A health rule on {@code leased / max_size} with {@code waiting}
     * says when the pool is too small.
     */
    @Override
    public Snapshot snapshot() {
        Metrics m = metrics();
        return Snapshot.of("resource_pool").counter("created", m.created()).counter("destroyed", m.destroyed())
                .counter("unhealthy", m.unhealthy()).counter("creates.failed", m.failedCreates())
                .counter("destroys.failed", m.destroyFailures()).counter("acquires.timed_out", m.acquireTimeouts())
                .gauge("idle", m.idle()).gauge("leased", m.leased()).gauge("waiting", m.waiting())
                .gauge("max_size", m.maxSize()).build();
    }

    /** The counts so far, and the gauges now. */
    public Metrics metrics() {
        return new Metrics(created.sum(), destroyed.sum(), unhealthy.sum(), failedCreates.sum(),
                destroyFailures.sum(), acquireTimeouts.sum(), idle.length(), leased.get(), waiting.get(), maxSize);
    }

    /**
     * Closes the pool: later acquires, and those waiting, throw "resource pool: closed"; the idle resources are
     * destroyed now, in this thread; a lent one is destroyed when its lease ends. Idempotent; does not wait for
     * the leases.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        idle.close();
        while (idle.tryReceive() instanceof Received.Value<Idle<R>>(Idle<R> i)) {
            destroy(i.resource(), false);
        }
    }

    @Override
    public String toString() {
        Metrics m = metrics();
        return "ResourcePool[maxSize " + maxSize + ", idle " + m.idle() + ", leased " + m.leased()
                + (closed.get() ? ", closed]" : "]");
    }

    // ----------------------------------------------------------------------------------------------- lease

    /**
     * One resource lent by a pool, until {@link #close()} gives it back or {@link #discard()} destroys it. Ending a
     * lease twice (either way) does nothing; {@link #get()} after the end fails. Not for use by two threads at once.
     */
    public static final class Lease<R> implements AutoCloseable {
        private final ResourcePool<R> pool;
        private final R resource;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Lease(ResourcePool<R> pool, R resource) {
            this.pool = pool;
            this.resource = resource;
        }

        /**
         * The resource.
         *
         * @throws IllegalStateException if the lease has ended: the resource may be someone else's now
         */
        public R get() {
            if (ended.get()) {
                throw new IllegalStateException("resource pool: lease used after it ended (close or discard)");
            }
            return resource;
        }

        /** Gives the resource back: to the next caller if it passes the health check, else it is destroyed. */
        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                pool.giveBack(resource, false);
            }
        }

        /** Destroys the resource instead of giving it back (it is broken), freeing its slot. */
        public void discard() {
            if (ended.compareAndSet(false, true)) {
                pool.giveBack(resource, true);
            }
        }

        @Override
        public String toString() {
            return "Lease[" + resource + (ended.get() ? ", ended]" : "]");
        }
    }

    // --------------------------------------------------------------------------------------------- builder

    /** How a pool makes, checks and destroys its resources. {@code maxSize} is required. */
    public static final class Builder<R> {
        private final Factory<R> factory;
        private int maxSize;
        private Predicate<? super R> healthCheck;
        private boolean checkOnBorrow;
        private Consumer<? super R> destroyer = Builder::closeIfCloseable;
        private Duration maxIdleTime;
        private Clock clock = Clock.system();

        private Builder(Factory<R> factory) {
            this.factory = factory;
        }

        /** The most resources that may exist at once, idle or lent, {@code >= 1}. Required. */
        public Builder<R> maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("resource pool: maxSize must be >= 1, was " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /** Run on every resource given back (and lent, with {@link #checkOnBorrow}); false means destroy it. */
        public Builder<R> healthCheck(Predicate<? super R> healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /** Also run the health check on an idle resource before lending it. */
        public Builder<R> checkOnBorrow() {
            this.checkOnBorrow = true;
            return this;
        }

        /** Destroys a resource (default: {@code close()} it if it is {@link AutoCloseable}, else nothing). */
        public Builder<R> destroyer(Consumer<? super R> destroyer) {
            this.destroyer = Objects.requireNonNull(destroyer, "destroyer");
            return this;
        }

        /** An idle resource this old or older, {@code > 0}, is destroyed rather than lent. Default: no limit. */
        public Builder<R> maxIdleTime(Duration maxIdleTime) {
            Objects.requireNonNull(maxIdleTime, "maxIdleTime");
            if (maxIdleTime.isNegative() || maxIdleTime.isZero()) {
                throw new IllegalArgumentException("resource pool: maxIdleTime must be > 0, was " + maxIdleTime);
            }
            this.maxIdleTime = maxIdleTime;
            return this;
        }

        /** The clock {@code maxIdleTime} is measured on (default {@link Clock#system()}). */
        public Builder<R> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The pool; it creates no resource until one is asked for.
         *
         * @throws IllegalStateException if no {@code maxSize} was given
         */
        public ResourcePool<R> build() {
            if (maxSize == 0) {
                throw new IllegalStateException("resource pool: maxSize is required: call maxSize(int) before build()");
            }
            return new ResourcePool<>(this);
        }

        private static void closeIfCloseable(Object r) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // not ours to swallow: the flag goes on
                    throw new IllegalStateException("resource pool: closing " + r + " was interrupted", e);
                } catch (Exception e) {
                    throw new IllegalStateException("resource pool: closing " + r + " failed", e);
                }
            }
        }
    }
}
