package dev.gopatterns.sync;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Performs exactly one action, however many threads call {@link #run}: the first call runs it, concurrent calls wait
 * for it to finish, later calls return at once.
 *
 * <p>Go equivalent: {@code sync.Once}. As in Go, if the action throws, {@code Once} still counts it as done: later
 * calls do not retry it (the exception propagates to the first caller only). Calling {@code run} from inside the
 * action itself fails with {@link IllegalStateException} (in Go it deadlocks). For a computed value, see
 * {@link OnceValue}.
 *
 * <p>Memory consistency effects: the action's effects happen-before the return of every {@code run} call.
 */
public final class Once {
    private volatile boolean done;
    private final ReentrantLock lock = new ReentrantLock();

    /** Runs {@code action} if no action has run on this {@code Once} yet. Go: {@code once.Do(f)}. */
    public void run(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (done) {
            return; // fast path: one volatile read
        }
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("sync: Once.run called from its own action (in Go this deadlocks)");
        }
        lock.lock();
        try {
            if (!done) {
                try {
                    action.run();
                } finally {
                    done = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the action has run (or thrown). */
    public boolean isDone() {
        return done;
    }
}
