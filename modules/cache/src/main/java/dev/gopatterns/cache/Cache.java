package dev.gopatterns.cache;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.sync.SingleFlight;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A result cache: {@link #get} returns the value stored for a key while it is fresh, and otherwise loads it with
 * the cache's {@link Loader}, <em>once</em> however many callers ask for the key at the same time (they share one
 * load through a {@link SingleFlight}), and stores it for {@code ttl} on the cache's clock, measured from when the
 * load finished. An entry is fresh strictly before its expiry: at {@code ttl} exactly it has expired.
 *
 * <pre>{@code
 * Cache<Long, User> users = Cache.<Long, User>builder((ctx, id) -> db.user(ctx, id))
 *         .ttl(Duration.ofMinutes(1)).maxSize(10_000).build();
 * User u = users.get(ctx, 42L);   // a thousand concurrent misses on 42 make one query
 * }</pre>
 *
 * <ul>
 *   <li><b>Waiting is per caller, the load is shared.</b> A caller whose context ends while it waits stops waiting
 *       and throws its context's error; an interrupted one throws {@link InterruptedException}. The load goes on
 *       for the others, and its value is still stored, as with Go's {@code singleflight.DoChan} in a
 *       {@code select} with {@code ctx.Done()}.
 *   <li><b>The loader's context</b> is {@link Context#withoutCancel} of the context of the caller that started the
 *       load: it keeps that caller's values and clock, but no caller's cancel or deadline reaches it, so one caller
 *       giving up never fails the others. (Go's {@code singleflight.Do} runs the function with whatever context the
 *       first caller captured, and its cancel fails everyone.) A loader that may hang should bound itself, for
 *       instance with {@code Context.withTimeout(ctx, d)}.
 *   <li><b>Failures</b> reach every caller of the load, the same exception instance. They are not cached, unless
 *       {@link Builder#negativeTtl} is set: then a failure is stored for that long, and {@code get} throws it again
 *       without loading. An {@link InterruptedException} from the loader is never cached. A loader that returns
 *       {@code null} fails the load with a {@link NullPointerException}: a cache holds no nulls.
 *   <li><b>Invalidation wins over a load in flight.</b> A load stores its result only if no {@link #put},
 *       {@link #invalidate} or {@link #invalidateAll} for its key happened since it began; and a {@code get} that
 *       starts after {@code invalidate} returns does not join a load that began before it, but starts its own.
 *       So "change the source, then invalidate" never leaves the old value in the cache.
 *   <li><b>Bounded.</b> At most {@code maxSize} entries (a cached failure is one). To make room, expired entries
 *       go first (they are removed whenever the cache is used); then the least recently used entry is evicted
 *       (used: stored, or returned by {@code get} or {@code getIfPresent}).
 * </ul>
 *
 * <p>Go equivalent: none in the standard library. Go code writes a map with expiry times under a mutex in front
 * of a {@code golang.org/x/sync/singleflight.Group}, as groupcache does (its {@code lru.Cache} plus its own
 * {@code singleflight}).
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code put}, and the loader's actions, happen-before
 * the return of every {@code get} or {@code getIfPresent} that returns the value they stored or loaded.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Cache<K, V> implements Metered {
    /*
     * One lock guards the map and its bookkeeping; it is held for a few map operations, never while a loader runs.
     * `entries` is a LinkedHashMap in access order, so its head is the least recently used entry. Expiry has its
     * own order: every value is stored for the same ttl, with its expiry read from the clock under the lock, so the
     * order in which values were stored is the order in which they expire, and an insertion-ordered map of them
     * (moved to its tail on every store) has the next one to expire at its head. Cached failures have their own
     * ttl and their own such map. Every operation first drops the expired heads of both (amortised O(1)), so the
     * map never holds an expired entry when it is read, and size() is exact.
     *
     * A miss is Go's DoChan: SingleFlight has no channel form, so the caller starts a virtual thread that calls
     * flights.run(key, ...) and sends the outcome on a channel of capacity 1, and the caller selects on that channel
     * and its context's done(). The caller can leave; the thread cannot block on the send, and ends when the load
     * does. A waiting caller thus costs a parked virtual thread as well as its own (Go's DoChan costs one goroutine
     * per flight; a follower only adds a channel).
     *
     * The leader's function, under the lock, looks the key up once more (a flight that ended between the caller's
     * lookup and this one has stored its value: use it, do not load twice), then registers a token for the key in
     * `loading`. When the loader returns, the result is stored only if the key's token is still this one. put,
     * invalidate and invalidateAll remove the key's token, so a load that began before them finds it gone and
     * does not store; that is the per-key epoch, and it costs one map entry per load in flight, not one per key
     * ever seen. invalidate also calls flights.forget (under the lock: the lock order is this lock, then
     * SingleFlight's, never the reverse), so that a get arriving after it leads a new flight rather than joining
     * the old one and taking its stale value. A forgotten flight and the new one may then load the key at the same
     * time; each checks its own token, and only the newer can still hold it.
     *
     * The value is stored inside the flight, before SingleFlight removes it, so a get that misses and then finds
     * no flight finds the value in that second lookup: misses == loads + coalesced once every get has finished.
     * jcstress: Cache_01_ConcurrentMissLoadsOnce, Cache_02_InvalidateRacingLoad.
     */

    /** Loads the value for a key; runs in a thread of the cache's, under the context described above. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(Context ctx, K key) throws Exception;
    }

    /**
     * What the cache has done so far, and holds now. {@code hits}: calls of {@code get} answered from the cache
     * (a value, or a cached failure thrown again); {@code misses}: calls of {@code get} that found no fresh entry
     * ({@code getIfPresent} is a peek, and counts as neither); {@code loads}: calls of the loader, of which {@code loadFailures} threw or returned null;
     * {@code coalesced}: misses of {@code get} answered by a load another call started; {@code evictions}: entries
     * removed to stay within {@code maxSize}; {@code expirations}: entries removed because their time was up;
     * {@code size}: the entries held now. Once every {@code get} has returned (or its load has finished, for a
     * caller that stopped waiting), {@code misses == loads + coalesced}.
     */
    public record Metrics(long hits, long misses, long loads, long loadFailures, long coalesced, long evictions,
                          long expirations, int size) {}

    private sealed interface Entry<V> {
        long expiresAt();
    }

    private record Value<V>(V value, long expiresAt) implements Entry<V> {}

    private record Failure<V>(Exception error, long expiresAt) implements Entry<V> {}

    /** What a miss's flight thread hands its caller: a value, or what the load (or the flight) threw. */
    private sealed interface Outcome<V> {}

    private record Loaded<V>(V value) implements Outcome<V> {}

    private record Failed<V>(Throwable error) implements Outcome<V> {}

    private static final ThreadFactory FLIGHTS = Thread.ofVirtual().name("cache-load-", 1).factory();

    private final Loader<K, V> loader;
    private final Clock clock;
    private final long ttlNanos;
    /** 0: failures are not cached. */
    private final long negativeTtlNanos;
    private final int maxSize;
    private final SingleFlight<K, V> flights = new SingleFlight<>();

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. In access order: the head is the least recently used. */
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Guarded by lock. The values of entries, in the order stored, which is the order they expire in. */
    private final LinkedHashMap<K, Entry<V>> valuesByExpiry = new LinkedHashMap<>();
    /** Guarded by lock. The cached failures of entries, in the order they expire in. */
    private final LinkedHashMap<K, Entry<V>> failuresByExpiry = new LinkedHashMap<>();
    /** Guarded by lock. The token of the load in flight for a key that may still store its result. */
    private final Map<K, Object> loading = new HashMap<>();

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    /** Guarded by lock (written); a LongAdder so metrics() can read it without. */
    private final LongAdder evictions = new LongAdder();
    private final LongAdder expirations = new LongAdder();

    private Cache(Builder<K, V> b) {
        this.loader = b.loader;
        this.clock = b.clock;
        this.ttlNanos = Clock.toNanosSaturated(b.ttl);
        this.negativeTtlNanos = b.negativeTtl == null ? 0 : Clock.toNanosSaturated(b.negativeTtl);
        this.maxSize = b.maxSize;
    }

    /** A builder for a cache that loads missing keys with {@code loader}. */
    public static <K, V> Builder<K, V> builder(Loader<K, V> loader) {
        return new Builder<>(Objects.requireNonNull(loader, "loader"));
    }

    /**
     * The value for {@code key}: the one stored, if fresh; otherwise the result of a load, shared with every
     * caller asking for the key while it runs. A cached failure is thrown again.
     *
     * <p>Like every blocking call here, it checks first: with the interrupt flag set it throws
     * {@link InterruptedException}, and with {@code ctx} done its error, even on a hit.
     *
     * @throws Exception what the loader threw (the same instance for every caller of the load), or a
     *     {@link NullPointerException} if it returned null
     * @throws dev.gopatterns.context.ContextException if {@code ctx} is done, or ends while this caller waits
     *     (the load goes on, and its result is stored)
     * @throws InterruptedException if interrupted before or while waiting (the load goes on)
     */
    public V get(Context ctx, K key) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(key, "key");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ctx.throwIfDone();
        Entry<V> hit;
        lock.lock();
        try {
            hit = lookup(key);
        } finally {
            lock.unlock();
        }
        if (hit != null) {
            hits.increment();
            return valueOf(hit);
        }
        misses.increment();
        Channel<Outcome<V>> reply = Channel.make(1);
        FLIGHTS.newThread(() -> fly(ctx, key, reply)).start();
        Outcome<V> outcome = Select.select(reply.onReceive(o -> o), ctx.onDone(() -> null));
        switch (outcome) {
            case null -> throw ctx.err().orElseThrow();
            case Loaded<V>(V value) -> {
                return value;
            }
            case Failed<V>(Throwable error) -> {
                if (error instanceof Error e) {
                    throw e;
                }
                throw (Exception) error;
            }
        }
    }

    /** The body of a miss's flight thread: join or lead the key's flight, and hand the outcome to the caller. */
    private void fly(Context ctx, K key, Channel<Outcome<V>> reply) {
        boolean[] loaded = {false}; // written by the leader's function, which runs in this thread
        Outcome<V> outcome;
        try {
            V value = flights.run(key, () -> loadAndStore(ctx, key, loaded)).value();
            outcome = new Loaded<>(value);
        } catch (Throwable t) {
            outcome = new Failed<>(t);
        }
        if (!loaded[0]) {
            coalesced.increment();
        }
        reply.trySend(outcome); // capacity 1, and this is the only send: never blocks, never refused
        if (outcome instanceof Failed<V>(Error e)) {
            throw e; // the caller has it too; this thread's uncaught-exception handler reports it
        }
    }

    /** The leader's function: look again, load, and store the result unless a put or invalidate came since. */
    private V loadAndStore(Context ctx, K key, boolean[] loaded) throws Exception {
        Object token = new Object();
        lock.lock();
        try {
            Entry<V> found = lookup(key);
            if (found != null) {
                return valueOf(found); // stored by a flight that ended after our caller looked
            }
            loading.put(key, token);
        } finally {
            lock.unlock();
        }
        loaded[0] = true;
        loads.increment();
        V value = null;
        Exception failure = null;
        try {
            value = loader.load(Context.withoutCancel(ctx), key);
            if (value == null) {
                failure = new NullPointerException("cache: the loader returned null for key " + key
                        + "; a cache holds no nulls");
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            lock.lock();
            try {
                if (loading.get(key) == token) {
                    loading.remove(key);
                    long now = clock.nanoTime();
                    if (failure == null && value != null) {
                        store(key, new Value<>(value, Clock.deadlineAfter(now, ttlNanos)), now);
                    } else if (failure != null && negativeTtlNanos > 0 && !(failure instanceof InterruptedException)) {
                        store(key, new Failure<>(failure, Clock.deadlineAfter(now, negativeTtlNanos)), now);
                    } // else: an Error is on its way up, or a failure not to be cached
                }
            } finally {
                lock.unlock();
            }
        }
        if (failure != null) {
            loadFailures.increment();
            throw failure;
        }
        return value;
    }

    /**
     * The value stored for {@code key} if it is fresh, without loading, and marks it used. A cached failure is not a
     * value. Neither a hit nor a miss in the {@link #metrics()}.
     */
    public Optional<V> getIfPresent(K key) {
        Objects.requireNonNull(key, "key");
        Entry<V> e;
        lock.lock();
        try {
            e = lookup(key);
        } finally {
            lock.unlock();
        }
        return e instanceof Value<V>(V value, long expiresAt) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Stores {@code value} for {@code key}, fresh for {@code ttl} from now, replacing what was there; a load of the
     * key in flight will not overwrite it.
     */
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        lock.lock();
        try {
            loading.remove(key);
            long now = clock.nanoTime();
            store(key, new Value<>(value, Clock.deadlineAfter(now, ttlNanos)), now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code key}'s entry. A load of the key in flight will not store its result, and a {@code get} that
     * starts after this returns loads afresh rather than join that load.
     */
    public void invalidate(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            loading.remove(key);
            remove(key);
            flights.forget(key);
        } finally {
            lock.unlock();
        }
    }

    /** Removes every entry; no load in flight will store its result, and later gets load afresh. */
    public void invalidateAll() {
        lock.lock();
        try {
            for (K key : loading.keySet()) {
                flights.forget(key);
            }
            loading.clear();
            entries.clear();
            valuesByExpiry.clear();
            failuresByExpiry.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The number of entries held now (values and cached failures; expired ones are not held). */
    public int size() {
        lock.lock();
        try {
            expire(clock.nanoTime());
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The cache in the project's one metrics vocabulary, the component {@code "cache"}: the counters
     * {@code gets.hit}, {@code gets.missed}, {@code loads}, {@code loads.failed}, {@code gets.coalesced},
     * {@code evictions} and {@code expirations}, and the gauge {@code size}, as {@link #metrics()}.
     */
    @Override
    public Snapshot snapshot() {
        Metrics m = metrics();
        return Snapshot.of("cache").counter("gets.hit", m.hits()).counter("gets.missed", m.misses())
                .counter("loads", m.loads()).counter("loads.failed", m.loadFailures())
                .counter("gets.coalesced", m.coalesced()).counter("evictions", m.evictions())
                .counter("expirations", m.expirations()).gauge("size", m.size()).build();
    }

    /** The counts so far, and the size now. */
    public Metrics metrics() {
        int size = size();
        return new Metrics(hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(), coalesced.sum(),
                evictions.sum(), expirations.sum(), size);
    }

    @Override
    public String toString() {
        return "Cache[ttl " + Duration.ofNanos(ttlNanos) + ", maxSize " + maxSize + ", size " + size() + "]";
    }

    // ---------------------------------------------------------------------------------------------- the map

    /** The fresh entry for {@code key}, or null; marks it used. Call only when holding lock. */
    private Entry<V> lookup(K key) {
        expire(clock.nanoTime());
        return entries.get(key);
    }

    /** Stores {@code e}, evicting the least recently used entry if the cache is full. Call only when holding lock. */
    private void store(K key, Entry<V> e, long now) {
        expire(now);
        remove(key);
        if (entries.size() >= maxSize) {
            Iterator<Map.Entry<K, Entry<V>>> lru = entries.entrySet().iterator();
            Map.Entry<K, Entry<V>> eldest = lru.next();
            lru.remove();
            byExpiry(eldest.getValue()).remove(eldest.getKey());
            evictions.increment();
        }
        entries.put(key, e);
        byExpiry(e).put(key, e);
    }

    /** Call only when holding lock. */
    private void remove(K key) {
        Entry<V> old = entries.remove(key);
        if (old != null) {
            byExpiry(old).remove(key);
        }
    }

    /** Removes every entry whose time is up at {@code now}. Call only when holding lock. */
    private void expire(long now) {
        expire(valuesByExpiry, now);
        expire(failuresByExpiry, now);
    }

    private void expire(LinkedHashMap<K, Entry<V>> byExpiry, long now) {
        for (Iterator<Map.Entry<K, Entry<V>>> it = byExpiry.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Entry<V>> next = it.next();
            if (now - next.getValue().expiresAt() < 0) {
                return; // the rest expire later
            }
            it.remove();
            entries.remove(next.getKey());
            expirations.increment();
        }
    }

    private LinkedHashMap<K, Entry<V>> byExpiry(Entry<V> e) {
        return e instanceof Value ? valuesByExpiry : failuresByExpiry;
    }

    private static <V> V valueOf(Entry<V> e) throws Exception {
        return switch (e) {
            case Value<V>(V value, long expiresAt) -> value;
            case Failure<V>(Exception error, long expiresAt) -> throw error;
        };
    }

    // --------------------------------------------------------------------------------------------- builder

    /** How a cache keeps its entries. {@code ttl} is required. */
    public static final class Builder<K, V> {
        private final Loader<K, V> loader;
        private Clock clock = Clock.system();
        private Duration ttl;
        private Duration negativeTtl;
        private int maxSize = 10_000;

        private Builder(Loader<K, V> loader) {
            this.loader = loader;
        }

        /** The clock that times the entries (default {@link Clock#system()}); a FakeClock in tests. */
        public Builder<K, V> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a stored value stays fresh, {@code > 0}, from when its load finished or it was put. Required. */
        public Builder<K, V> ttl(Duration ttl) {
            this.ttl = positive("ttl", ttl);
            return this;
        }

        /** How long a failed load is remembered and thrown again, {@code > 0}; by default failures are not cached. */
        public Builder<K, V> negativeTtl(Duration negativeTtl) {
            this.negativeTtl = positive("negativeTtl", negativeTtl);
            return this;
        }

        /** The most entries held, {@code >= 1} (default 10,000); then the least recently used is evicted. */
        public Builder<K, V> maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("cache: maxSize must be >= 1, was " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /**
         * The cache.
         *
         * @throws IllegalStateException if no {@code ttl} was given
         */
        public Cache<K, V> build() {
            if (ttl == null) {
                throw new IllegalStateException("cache: ttl is required: call ttl(Duration) before build()");
            }
            return new Cache<>(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cache: " + what + " must be > 0, was " + d);
            }
            return d;
        }
    }
}
