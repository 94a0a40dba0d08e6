package dev.gopatterns.sync;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request coalescing: while a call for a key is in flight, further calls for the same key wait for it and share its
 * result instead of starting their own. A cache stampede of a thousand identical requests becomes one.
 *
 * <p>Go equivalent: {@code golang.org/x/sync/singleflight.Group} ({@code Do}, {@code Forget}).
 *
 * <p>The first caller (the leader) runs the function in its own thread. If it throws, every caller that shared
 * the flight gets the same exception. Once the flight ends, the next call for the key starts a new one: results
 * are not cached.
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
        final CompletableFuture<V> result = new CompletableFuture<>();
        final AtomicInteger dups = new AtomicInteger();
    }

    private final ConcurrentHashMap<K, Flight<V>> flights = new ConcurrentHashMap<>();

    /**
     * Runs {@code fn} for {@code key}, or waits for the flight already running it.
     *
     * @throws Exception            what {@code fn} threw (the same instance for every caller of the flight)
     * @throws InterruptedException if interrupted while waiting for another caller's flight (the flight goes on)
     */
    public Result<V> run(K key, Callable<? extends V> fn) throws Exception {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fn, "fn");
        Flight<V> mine = new Flight<>();
        Flight<V> existing = flights.putIfAbsent(key, mine);
        if (existing != null) {
            existing.dups.incrementAndGet();
            try {
                return new Result<>(existing.result.get(), true);
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }
        try {
            V v = fn.call();
            mine.result.complete(v);
            return new Result<>(v, mine.dups.get() > 0);
        } catch (Throwable t) {
            mine.result.completeExceptionally(t);
            throw rethrow(t);
        } finally {
            flights.remove(key, mine);
        }
    }

    /** Makes the next call for {@code key} start a new flight even if one is running. Go: {@code Forget}. */
    public void forget(K key) {
        flights.remove(key);
    }

    /** The number of keys in flight; for monitoring. */
    public int inFlight() {
        return flights.size();
    }

    private static Exception rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (Exception) t;
    }
}
