package dev.gopatterns.sync;

import dev.gopatterns.chan.UncheckedInterruptedException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Request coalescing: while a call for a key is in flight, further calls for the same key wait for it and share its
 * result instead of starting their own. A cache stampede of a thousand identical requests becomes one.
 *
 * <p>Go equivalent: {@code golang.org/x/sync/singleflight.Group} ({@code Do}, {@code Forget}).
 *
 * <p>The first caller (the leader) runs the function in its own thread. If it throws, every caller that shared
 * the flight gets the same exception instance. Once the flight ends, the next call for the key starts a new one:
 * results are not cached. {@link Result#shared()} is {@code true} for every caller of a flight that had more than
 * one, the leader included.
 *
 * <p>Where it differs from Go: if the leader's function ends with an {@link InterruptedException} (or an
 * {@link dev.gopatterns.chan.UncheckedInterruptedException}), that interrupt was the leader's, not its followers':
 * they do not receive it, but start a new flight, one of them leading it. A follower interrupted while it waits
 * leaves the flight and throws {@link InterruptedException}.
 *
 * <p>Memory consistency effects: actions of the function happen-before the return of every call that shares its
 * result.
 *
 * @param <K> the key type
 * @param <V> the result type
 */
public final class SingleFlight<K, V> {

    /** A result and whether it was shared with other callers. Go: {@code v, err, shared}. */
    public record Result<V>(V value, boolean shared) {}

    private static final class Flight<V> {
        final CountDownLatch done = new CountDownLatch(1);
        /** Guarded by the group's lock. */
        int dups;
        /** Written before done.countDown(), read after done.await(). */
        V value;
        Throwable failure;
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<K, Flight<V>> flights = new HashMap<>();

    /**
     * Runs {@code fn} for {@code key}, or waits for the flight already running it.
     *
     * @throws Exception            what {@code fn} threw (the same instance for every caller of the flight)
     * @throws InterruptedException if this caller is interrupted while waiting for another caller's flight (the
     *                              flight goes on), or if {@code fn} itself threw it in this caller's thread
     */
    public Result<V> run(K key, Callable<? extends V> fn) throws Exception {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        for (;;) {
            Flight<V> flight;
            boolean leader;
            lock.lock();
            try {
                flight = flights.get(key);
                leader = flight == null;
                if (leader) {
                    flight = new Flight<>();
                    flights.put(key, flight);
                } else {
                    flight.dups++;
                }
            } finally {
                lock.unlock();
            }
            if (leader) {
                return lead(key, flight, fn);
            }
            try {
                flight.done.await();
            } catch (InterruptedException e) {
                lock.lock();
                try {
                    if (flights.get(key) == flight) {
                        flight.dups--; // we leave: the result is not shared with us
                    }
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            if (flight.failure instanceof InterruptedException
                    || flight.failure instanceof UncheckedInterruptedException) {
                continue; // the leader was interrupted, not us: try again
            }
            if (flight.failure != null) {
                throw rethrow(flight.failure);
            }
            return new Result<>(flight.value, true);
        }
    }

    private Result<V> lead(K key, Flight<V> flight, Callable<? extends V> fn) throws Exception {
        try {
            flight.value = fn.call();
        } catch (Throwable t) {
            flight.failure = t;
        }
        boolean shared;
        lock.lock();
        try {
            if (flights.get(key) == flight) {
                flights.remove(key); // after this no caller can join, so dups is final (Go reads it the same way)
            }
            shared = flight.dups > 0;
        } finally {
            lock.unlock();
        }
        flight.done.countDown();
        if (flight.failure != null) {
            throw rethrow(flight.failure);
        }
        return new Result<>(flight.value, shared);
    }

    /** Makes the next call for {@code key} start a new flight even if one is running. Go: {@code Forget}. */
    public void forget(K key) {
        lock.lock();
        try {
            flights.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** The number of keys in flight; for monitoring. */
    public int inFlight() {
        lock.lock();
        try {
            return flights.size();
        } finally {
            lock.unlock();
        }
    }

    private static Exception rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (Exception) t;
    }
}
