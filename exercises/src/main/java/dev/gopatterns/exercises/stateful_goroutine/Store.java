package dev.gopatterns.exercises.stateful_goroutine;

import dev.gopatterns.context.Context;
import java.util.Map;

/**
 * Exercise `stateful_goroutine`: a map of counters owned by one thread (Go by Example, "Stateful Goroutines").
 *
 * <p>The rules:
 * <ol>
 *   <li>{@code start(ctx, state)} starts one owner thread. From then on only that thread touches {@code state}: no
 *       other thread reads or writes it, not even under a lock, and there is no lock at all.
 *   <li>{@code get} and {@code add} send the owner a request that carries a reply channel, and wait for the answer;
 *       the owner applies requests one at a time, so an {@code add} is one step, never a lost update.
 *   <li>The reply channel has room for one answer, so the owner never waits for a caller: a caller whose
 *       {@code ctx} ends stops waiting (it throws the context's error) and the owner carries on.
 *   <li>The owner ends when {@code ctx} ends or {@code close()} is called; {@code close()} waits for it. A call made
 *       after the owner ended throws {@code IllegalStateException("store is closed")}, never waits.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check stateful_goroutine}
 */
public final class Store implements AutoCloseable {

    private Store(Context ctx, Map<String, Integer> state) {
        // TODO: make the requests channel and the channel the owner closes when it ends; start the owner thread
    }

    /**
     * Starts the owner of {@code state}. From now on only the owner's thread touches {@code state}; it ends when
     * {@code ctx} ends or the store is closed.
     */
    public static Store start(Context ctx, Map<String, Integer> state) {
        return new Store(ctx, state);
    }

    /**
     * The value of {@code key}, 0 if it has none.
     *
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first
     * @throws IllegalStateException                   if the store has ended ("store is closed")
     */
    public int get(Context ctx, String key) throws InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: get: send the owner a request with a reply channel (Channel.make(1)) in a select with"
                        + " ctx.onDone(), then wait for the reply the same way");
    }

    /**
     * Adds {@code delta} to the value of {@code key} (0 if it has none) and returns the new value, in one step.
     *
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first
     * @throws IllegalStateException                   if the store has ended ("store is closed")
     */
    public int add(Context ctx, String key, int delta) throws InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: add: like get, with a request the owner applies with state.merge(key, delta, Integer::sum)");
    }

    /** Stops the owner and waits for it to end. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO: close: cancel the owner's context, then join its thread");
    }
}
