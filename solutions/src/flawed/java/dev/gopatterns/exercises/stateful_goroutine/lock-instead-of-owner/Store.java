/*
 * Flawed solution of exercise `stateful_goroutine`.
 * Mistake: no owner thread: get and add touch the map in the caller's thread, under a lock, which is safe but breaks the exercise's rule that one thread owns the state.
 * Verdict: the state was touched by a thread other than its owner
 */
package dev.gopatterns.exercises.stateful_goroutine;

import dev.gopatterns.context.Context;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

public final class Store implements AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<String, Integer> state;
    private final Context ctx;
    private volatile boolean closed;

    private Store(Context ctx, Map<String, Integer> state) {
        this.ctx = ctx;
        this.state = state;
    }

    public static Store start(Context ctx, Map<String, Integer> state) {
        return new Store(ctx, state);
    }

    public int get(Context ctx, String key) throws InterruptedException {
        check(ctx);
        lock.lockInterruptibly();
        try {
            return state.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    public int add(Context ctx, String key, int delta) throws InterruptedException {
        check(ctx);
        lock.lockInterruptibly();
        try {
            return state.merge(key, delta, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check(Context caller) {
        caller.throwIfDone();
        if (closed || ctx.isDone()) {
            throw new IllegalStateException("store is closed");
        }
    }
}
