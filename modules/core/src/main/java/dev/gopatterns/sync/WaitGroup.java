package dev.gopatterns.sync;

import java.util.Objects;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * Waits for a collection of tasks to finish. The owner {@link #add}s the number of tasks, each task calls
 * {@link #done()} when it finishes, and {@link #await()} blocks until the counter is back to zero.
 *
 * <p>Go equivalent: {@code sync.WaitGroup} ({@code Add}, {@code Done}, {@code Wait}, and Go 1.25's {@code Go}).
 *
 * <p>Rules, as in Go: the counter must never go negative (that fails with "sync: negative WaitGroup counter" and
 * leaves the counter unchanged); an {@code add} with a positive delta that starts from zero must happen before
 * the {@code await} it is meant to hold up, so call {@code add} before starting the task, not inside it.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code done()} happen-before actions following the
 * {@code await()} that it released.
 *
 * <p>Where it differs from Go: {@code await} is interruptible. A task started by {@link #go(Runnable)} that throws
 * does not crash the program as a Go panic would: the exception goes to the thread's uncaught-exception handler and
 * the counter is still decremented. To collect errors, use {@link ErrGroup}.
 */
public final class WaitGroup {

    /** The counter is the AQS state; waiters are released when it reaches zero (like CountDownLatch, but re-armable). */
    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected int tryAcquireShared(int ignored) {
            return getState() == 0 ? 1 : -1;
        }

        @Override
        protected boolean tryReleaseShared(int delta) {
            for (;;) {
                int c = getState();
                long next = (long) c + delta;
                if (next < 0) {
                    throw new IllegalStateException("sync: negative WaitGroup counter");
                }
                if (next > Integer.MAX_VALUE) {
                    throw new IllegalStateException("sync: WaitGroup counter overflow");
                }
                if (compareAndSetState(c, (int) next)) {
                    return next == 0;
                }
            }
        }

        int count() {
            return getState();
        }
    }

    private final Sync sync = new Sync();

    /** Adds {@code delta}, which may be negative, to the counter; releases waiters if it reaches zero. */
    public void add(int delta) {
        sync.releaseShared(delta);
    }

    /** Decrements the counter by one. */
    public void done() {
        add(-1);
    }

    /** Blocks until the counter is zero. Go: {@code wg.Wait()}. */
    public void await() throws InterruptedException {
        sync.acquireSharedInterruptibly(1);
    }

    /**
     * Starts {@code task} in a new virtual thread and counts it: {@code add(1)}, then {@code done()} when the task
     * returns or throws. Go 1.25: {@code wg.Go(f)}.
     */
    public void go(Runnable task) {
        Objects.requireNonNull(task, "task");
        add(1);
        try {
            Thread.ofVirtual().name("WaitGroup.go").start(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (Throwable startFailed) {
            done();
            throw startFailed;
        }
    }

    /** The current counter; for monitoring and tests. */
    public int count() {
        return sync.count();
    }

    @Override
    public String toString() {
        return "WaitGroup[count=" + count() + "]";
    }
}
