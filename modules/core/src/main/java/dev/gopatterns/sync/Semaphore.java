package dev.gopatterns.sync;

import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.Selectable;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A weighted semaphore: a pool of {@code size} units from which callers take and return any number at a time.
 * Waiters are served strictly in arrival order, so a large request is not starved by a stream of small ones.
 *
 * <p>Go equivalent: {@code golang.org/x/sync/semaphore.Weighted}.
 *
 * <p>Compared with {@link java.util.concurrent.Semaphore}: that one's fair mode is also FIFO, but its waits cannot
 * be ended by a {@link Context}, and it does not fail when more units are released than were taken.
 *
 * <p>An acquire can also be a {@link Select} case, {@link #onAcquire}, beside channel operations and a context's
 * {@code done()}: "take a slot, or stop when told to quit" in one select, which is how a producer waits for room.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code release} happen-before actions following an
 * {@code acquire} that obtains the released units.
 */
public final class Semaphore {
    /*
     * The algorithm is x/sync/semaphore's: a lock guards `cur` and a FIFO of waiters; release hands units to waiters
     * from the front, stopping at the first one that does not fit (that is what prevents starvation of big
     * requests).
     *
     * A waiter is a Select ticket (chan.Selectable): acquire is a select over "these units" and the context's done
     * channel, so waiting costs one select and no channel of its own. Handing units to the front waiter is
     * Ticket.tryFire under the semaphore's lock: it fails if that select already went another way (its context
     * ended, it was interrupted, another case fired), and such a ticket is dropped, so units are never granted to
     * a waiter that has left. Giving up is the select's own dequeue; when the front waiter leaves, the next ones
     * may fit now, so dequeue hands out units again.
     *
     * Context and grant racing, as in current x/sync: a context that is already done fails the call even if units
     * are free; a grant that lands while the context ends is given back and the call fails with the context's
     * error, so "ctx done" always means "nothing acquired". An interrupt racing a grant follows the interruption
     * policy instead: the grant wins, the caller keeps the units, and the interrupt flag is set again.
     */

    private final long size;
    private final Units units = new Units();
    /** Guarded by units' lock. */
    private long cur;
    /** Guarded by units' lock. */
    private final ArrayDeque<Selectable.Ticket<Long>> waiters = new ArrayDeque<>();

    /** The select source for acquires: all the semaphore's state is guarded by its lock. */
    private final class Units extends Selectable<Long> {
        @Override
        protected boolean tryNow(Long n) {
            if (size - cur >= n && waiters.isEmpty()) {
                cur += n;
                return true;
            }
            return false;
        }

        @Override
        protected void enqueue(Ticket<Long> ticket) {
            waiters.addLast(ticket);
        }

        @Override
        protected void dequeue(Ticket<Long> ticket) {
            boolean wasFront = waiters.peekFirst() == ticket;
            if (waiters.remove(ticket) && wasFront && size > cur) {
                notifyWaiters(); // the front waiter left: the next ones may fit now
            }
        }

        void acquireLock() {
            lock();
        }

        void releaseLock() {
            unlock();
        }

        <R> SelectCase<R> acquireCase(long n, Supplier<? extends R> then) {
            return n > size ? never() : selectCase(n, then); // can never be satisfied, as Go's Acquire(n > size)
        }
    }

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
        boolean granted = Select.select(units.acquireCase(n, () -> true), ctx.onDone(() -> false));
        if (!granted || ctx.isDone()) {
            if (granted) {
                release(n); // granted, but the context had ended too: "done" means nothing acquired
            }
            ctx.throwIfDone();
        }
    }

    /** {@link #acquire(Context, long)} with {@link Context#background()}: waits until granted or interrupted. */
    public void acquire(long n) throws InterruptedException {
        acquire(Context.background(), n);
    }

    /**
     * A {@link Select} case that takes {@code n} units when it fires, then returns {@code then.get()}. It waits its
     * turn in the same FIFO as {@link #acquire}; if another case fires first, nothing is taken. With
     * {@code n > size} it is never ready. Go has no such case (a Go program would acquire in a goroutine and send on
     * a channel); it is the select form of {@code Acquire}.
     *
     * <pre>{@code
     * boolean admitted = Select.select(
     *         slots.onAcquire(1, () -> true),
     *         quit.onReceiveOrClosed(r -> false));
     * }</pre>
     */
    public <R> SelectCase<R> onAcquire(long n, Supplier<? extends R> then) {
        requireUnits(n);
        Objects.requireNonNull(then, "handler");
        return units.acquireCase(n, then);
    }

    /** Takes {@code n} units only if available at once, and no one is waiting before us. */
    public boolean tryAcquire(long n) {
        requireUnits(n);
        units.acquireLock();
        try {
            return units.tryNow(n);
        } finally {
            units.releaseLock();
        }
    }

    /**
     * Returns {@code n} units and wakes the waiters they satisfy, in order.
     *
     * @throws IllegalStateException "semaphore: released more than held", leaving the semaphore unchanged
     */
    public void release(long n) {
        requireUnits(n);
        units.acquireLock();
        try {
            if (n > cur) {
                throw new IllegalStateException("semaphore: released more than held (release " + n + ", held " + cur + ")");
            }
            cur -= n;
            notifyWaiters();
        } finally {
            units.releaseLock();
        }
    }

    /** Call only when holding units' lock. */
    private void notifyWaiters() {
        for (Selectable.Ticket<Long> w; (w = waiters.peekFirst()) != null; ) {
            long n = w.argument();
            if (size - cur < n) {
                // Not enough for the next waiter. Stop here, even if a later, smaller waiter would fit: letting it
                // jump the queue could starve this one forever.
                break;
            }
            waiters.removeFirst();
            if (w.tryFire()) {
                cur += n;
            } // else: that select already ended another way; drop it and look at the next
        }
    }

    /** The units currently taken; for monitoring. */
    public long held() {
        units.acquireLock();
        try {
            return cur;
        } finally {
            units.releaseLock();
        }
    }

    /** The number of callers waiting; for monitoring and tests. */
    public int waiting() {
        units.acquireLock();
        try {
            return waiters.size();
        } finally {
            units.releaseLock();
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
