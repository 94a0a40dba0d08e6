package dev.gopatterns.sync;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A weighted semaphore: a pool of {@code size} units from which callers take and return any number at a time.
 * Waiters are served strictly in arrival order, so a large request is not starved by a stream of small ones.
 *
 * <p>Go equivalent: {@code golang.org/x/sync/semaphore.Weighted}.
 *
 * <p>Compared with {@link java.util.concurrent.Semaphore}: that one's fair mode is also FIFO, but its waits cannot
 * be ended by a {@link Context}, and it does not fail when more units are released than were taken.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code release} happen-before actions following an
 * {@code acquire} that obtains the released units.
 */
public final class Semaphore {
    /*
     * The algorithm is x/sync/semaphore's: a lock guards `cur` and a FIFO of waiters; release hands units to waiters
     * from the front, stopping at the first one that does not fit (that is what prevents starvation of big
     * requests). A waiter parks in a select on its own `ready` channel (closed when it is granted) and the context's
     * done channel.
     *
     * Context and grant racing, as in current x/sync: a context that is already done fails the call even if units
     * are free; a grant that lands while the context ends is given back and the call fails with the context's
     * error, so "ctx done" always means "nothing acquired". An interrupt racing a grant follows the interruption
     * policy instead: the grant wins, the caller keeps the units, and the interrupt flag is set again.
     */

    private static final class Waiter {
        final long n;
        final Channel<Void> ready = Channel.unbuffered();

        Waiter(long n) {
            this.n = n;
        }
    }

    private final long size;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private long cur;
    /** Guarded by lock. */
    private final Deque<Waiter> waiters = new ArrayDeque<>();

    /** A semaphore with {@code size} units. */
    public Semaphore(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("semaphore size must be >= 0, was " + size);
        }
        this.size = size;
    }

    /**
     * Takes {@code n} units, blocking until they are available or {@code ctx} is done.
     * On failure the semaphore is unchanged. A context that is already done fails the call even if the units are
     * free. If {@code n > size} it waits for the context to end, as in Go.
     *
     * @throws ContextException     if {@code ctx} ends first (Go returns {@code ctx.Err()})
     * @throws InterruptedException if interrupted before or while waiting; no units are taken
     */
    public void acquire(Context ctx, long n) throws InterruptedException {
        requireUnits(n);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ctx.throwIfDone(); // done before the call: fail even if units are free (x/sync)
        Waiter w;
        lock.lock();
        try {
            if (size - cur >= n && waiters.isEmpty()) {
                cur += n;
                return;
            }
            if (n > size) {
                w = null; // can never be satisfied: just wait for the context to end
            } else {
                w = new Waiter(n);
                waiters.addLast(w);
            }
        } finally {
            lock.unlock();
        }
        if (w == null) {
            Select.select(ctx.onDone(() -> null));
            ctx.throwIfDone();
            throw new AssertionError("unreachable");
        }
        boolean granted;
        try {
            granted = Select.select(w.ready.onReceiveOrClosed(r -> true), ctx.onDone(() -> false));
        } catch (InterruptedException e) {
            if (abandon(w)) {
                throw e;
            }
            Thread.currentThread().interrupt(); // granted meanwhile: keep the units, keep the interrupt...
            if (ctx.isDone()) {
                release(n); // ...unless the context has ended too: "done" means nothing acquired
                ctx.throwIfDone();
            }
            return;
        }
        if (!granted) {
            if (!abandon(w)) {
                release(n); // granted just as the context ended: give the units back
            }
            ctx.throwIfDone();
        } else if (ctx.isDone()) {
            release(n); // granted, but the context had ended too: "done" means nothing acquired
            ctx.throwIfDone();
        }
    }

    /** {@link #acquire(Context, long)} with {@link Context#background()}: waits until granted or interrupted. */
    public void acquire(long n) throws InterruptedException {
        acquire(Context.background(), n);
    }

    /**
     * Removes a waiter that gives up. Returns {@code false} if it was granted in the meantime, in which case the
     * caller owns the units.
     */
    private boolean abandon(Waiter w) {
        lock.lock();
        try {
            if (w.ready.tryReceive() instanceof Received.Closed<Void>) {
                return false; // granted concurrently: the grant wins
            }
            boolean wasFront = waiters.peekFirst() == w;
            waiters.remove(w);
            if (wasFront && size > cur) {
                notifyWaiters(); // the front waiter left: the next ones may fit now
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code n} units only if available at once, and no one is waiting before us. */
    public boolean tryAcquire(long n) {
        requireUnits(n);
        lock.lock();
        try {
            if (size - cur >= n && waiters.isEmpty()) {
                cur += n;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns {@code n} units and wakes the waiters they satisfy, in order.
     *
     * @throws IllegalStateException "semaphore: released more than held", leaving the semaphore unchanged
     */
    public void release(long n) {
        requireUnits(n);
        lock.lock();
        try {
            if (n > cur) {
                throw new IllegalStateException("semaphore: released more than held (release " + n + ", held " + cur + ")");
            }
            cur -= n;
            notifyWaiters();
        } finally {
            lock.unlock();
        }
    }

    /** Call only when holding lock. */
    private void notifyWaiters() {
        for (Waiter w; (w = waiters.peekFirst()) != null; ) {
            if (size - cur < w.n) {
                // Not enough for the next waiter. Stop here, even if a later, smaller waiter would fit: letting it
                // jump the queue could starve this one forever.
                break;
            }
            cur += w.n;
            waiters.removeFirst();
            w.ready.close();
        }
    }

    /** The units currently taken; for monitoring. */
    public long held() {
        lock.lock();
        try {
            return cur;
        } finally {
            lock.unlock();
        }
    }

    /** The number of callers waiting; for monitoring and tests. */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** The total number of units. */
    public long size() {
        return size;
    }

    private static void requireUnits(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("units must be >= 0, was " + n);
        }
    }

    @Override
    public String toString() {
        return "Semaphore[size=" + size + ", held=" + held() + ", waiting=" + waiting() + "]";
    }
}
