package dev.gopatterns.chan;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Something a {@link Select} can lock and wait on: a channel ({@link HChan}) or a library type's {@link Selectable}.
 * It owns the lock that guards its state and its queue of waiting {@link Node}s, an id that puts every source in
 * one global lock order, and the waiters its locked sections completed, which are woken only after the lock is
 * released (Go's goready after unlock).
 */
abstract class WaitSource {
    private static final AtomicLong IDS = new AtomicLong();

    /** Lock order for select: every select locks its sources by increasing id, so two never deadlock. */
    final long id = IDS.incrementAndGet();
    final ReentrantLock lock;
    /** Guarded by lock: a waiter a locked section completed, to wake after unlocking. */
    private Waiter deferredWake;
    /** Guarded by lock: further such waiters, for the rare section that completes several (close, a release). */
    private ArrayList<Waiter> moreWakes;

    /**
     * @param rendezvous whether every operation here is a hand-off between two running threads (an unbuffered
     *                   channel): then the lock is a {@link SpinThenParkLock}, otherwise a plain ReentrantLock,
     *                   whose parking lets the other side batch (see SpinThenParkLock)
     */
    WaitSource(boolean rendezvous) {
        this.lock = rendezvous ? new SpinThenParkLock() : new ReentrantLock();
    }

    /** Enqueues a select's node for one of its cases on this source. Call only when holding lock. */
    abstract void enqueueLocked(Node n);

    /** Removes a node of a waiter that gave up or finished elsewhere; a no-op if it is gone. Call only when holding lock. */
    abstract void dequeueLocked(Node n);

    /** Whether a waiter here should spin before parking: only where every operation is a rendezvous. */
    boolean spinsBeforeParking() {
        return false;
    }

    /** Remembers {@code w} to be woken when the lock is released. Call only when holding lock. */
    final void deferWake(Waiter w) {
        if (deferredWake == null) {
            deferredWake = w;
        } else {
            if (moreWakes == null) {
                moreWakes = new ArrayList<>(2);
            }
            moreWakes.add(w);
        }
    }

    /** Releases the lock, then unparks whoever the locked section completed. */
    final void unlockAndWake() {
        Waiter w = deferredWake;
        ArrayList<Waiter> more = moreWakes;
        deferredWake = null;
        moreWakes = null;
        lock.unlock();
        wake(w, more);
    }

    /**
     * Releases the locks of {@code sources} (locked in array order) in reverse order, then wakes every waiter their
     * locked sections completed: no thread is unparked while a lock it may want is still held.
     */
    static void unlockAllAndWake(WaitSource[] sources) {
        Waiter first = null;
        ArrayList<Waiter> rest = null;
        for (int i = sources.length - 1; i >= 0; i--) {
            WaitSource s = sources[i];
            if (s.deferredWake != null) {
                if (first == null) {
                    first = s.deferredWake;
                } else {
                    rest = add(rest, s.deferredWake);
                }
                if (s.moreWakes != null) {
                    for (Waiter w : s.moreWakes) {
                        rest = add(rest, w);
                    }
                }
                s.deferredWake = null;
                s.moreWakes = null;
            }
            s.lock.unlock();
        }
        wake(first, rest);
    }

    /** Locks every source, in array order: the caller passes them sorted by {@link #id}. */
    static void lockAll(WaitSource[] sources) {
        for (WaitSource s : sources) {
            s.lock.lock();
        }
    }

    private static ArrayList<Waiter> add(ArrayList<Waiter> list, Waiter w) {
        ArrayList<Waiter> l = list == null ? new ArrayList<>(2) : list;
        l.add(w);
        return l;
    }

    private static void wake(Waiter w, ArrayList<Waiter> more) {
        if (w != null) {
            w.wake();
        }
        if (more != null) {
            for (Waiter m : more) {
                m.wake();
            }
        }
    }

    /**
     * A ReentrantLock whose {@code lock()} first tries {@link #LOCK_SPINS} times with {@code tryLock}, spinning
     * between tries, before it queues and parks like any ReentrantLock.
     *
     * <p>Why: on an unbuffered channel the sender's next {@code send} and the receiver's {@code receive} reach the
     * channel's lock at nearly the same moment on every transfer, and the critical sections are a few dozen
     * nanoseconds long. A plain ReentrantLock parks the loser almost at once, and parking a virtual thread
     * unmounts it (hundreds of nanoseconds, or an OS wake-up of an idle carrier). Counted on 2 cores, 1 -> 1
     * unbuffered on virtual threads, with temporary counters: with the plain lock about 0.4 contended
     * acquisitions and 0.4 to 1.0 parks per transfer; with 64 tries, almost no contended acquisition and about
     * 0.03 parks per transfer. docs/benchmarks/handoff.md has the evidence and the JMH figures.
     *
     * <p>Only rendezvous sources use it. On a buffered channel the same spin is a loss: a contended plain lock parks
     * the loser, and the winner then moves many values uncontended, as ArrayBlockingQueue does; spinning keeps both
     * sides on the lock's cache line instead (measured, docs/benchmarks/handoff.md: 1 -> 1 over a 1024 buffer on
     * platform threads, with and without the spin).
     *
     * <p>The spin is bounded, so a thread never holds its carrier for long (STYLE.md, the spin-wait pitfall), and
     * the lock keeps ReentrantLock's semantics: non-fair, reentrant, and {@code lock()} is not interruptible.
     */
    static final class SpinThenParkLock extends ReentrantLock {
        private static final long serialVersionUID = 1L;

        /** Tunable with {@code -Dgopatterns.lockSpins=N}; 0 makes it a plain ReentrantLock. */
        static final int LOCK_SPINS = Runtime.getRuntime().availableProcessors() > 1
                ? Integer.getInteger("gopatterns.lockSpins", 64) : 0;

        @Override
        public void lock() {
            for (int i = LOCK_SPINS; i > 0; i--) {
                if (tryLock()) {
                    return;
                }
                Thread.onSpinWait();
            }
            super.lock();
        }
    }
}
