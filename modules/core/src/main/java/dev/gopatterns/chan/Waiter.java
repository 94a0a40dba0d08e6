package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One parked thread: a blocked send or receive, or a whole blocked {@code select}, which has one {@link Node} in the
 * wait queue of every channel it waits on. Go's runtime calls this the goroutine's {@code sudog} set plus its
 * {@code selectDone} flag.
 *
 * <p>A waiter is completed at most once. Whoever wants to complete it - a counterpart operation on any of its
 * channels, a {@code close}, or the waiter itself on interrupt or timeout - must first win a CAS out of
 * {@link #WAITING}. Counterparts move it {@code WAITING -> CLAIMED}, write the outcome into the winning node,
 * then publish it with the volatile write {@code CLAIMED -> DONE} and unpark the thread. The owner moves it
 * {@code WAITING -> CANCELLED}. So exactly one case of a select fires, and a value handed to a waiter is never
 * also taken back by its timeout.
 */
class Waiter {

    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;

    /** What {@link #await} reports. */
    enum Outcome { FIRED, INTERRUPTED, TIMED_OUT }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * Spinning is for rendezvous only (unbuffered channels, and selects whose channels are all unbuffered), where
     * every value is a hand-off between two threads that are both running. On a buffered channel a waiter parks at
     * once, as ArrayBlockingQueue's do: while it is parked the other side fills (or drains) the buffer, and the
     * waiter then moves many values per wake-up. Spinning there measured 3.7x slower on a 1->1 stream.
     */
    /**
     * Spins before parking, for platform threads on a multiprocessor: a hand-off that arrives within the spin then
     * costs no OS park and unpark. An onSpinWait is about 25 ns on the 2-core machines this was tuned on, so 1024
     * spins is about 25 µs, close to the cost of an OS park plus unpark there (competitive spinning: never more than
     * twice the cost of parking at once). Measured there: an unbuffered platform-thread ping-pong fell from about
     * 40 µs to 1-3 µs a round trip. Tunable with {@code -Dgopatterns.spins=N}; 0 turns spinning off.
     */
    private static final int SPINS =
            Runtime.getRuntime().availableProcessors() > 1 ? Integer.getInteger("gopatterns.spins", 1024) : 0;

    /**
     * Virtual threads spin much less, about 3 µs (as the JDK's SynchronousQueue and LinkedTransferQueue do, 128
     * times): parking one costs an unmount and a resubmission, roughly a microsecond. The spin is bounded, so a
     * virtual thread never holds its carrier for long (STYLE.md, the spin-wait pitfall; the stress tests also run
     * with a single carrier). Measured on 2 cores: an unbuffered virtual-thread ping-pong went from about 1.0 to
     * 0.5 µs a round trip. Tunable with {@code -Dgopatterns.virtualSpins=N}.
     */
    private static final int VIRTUAL_SPINS =
            Runtime.getRuntime().availableProcessors() > 1 ? Integer.getInteger("gopatterns.virtualSpins", 128) : 0;

    final Thread thread = Thread.currentThread();
    private volatile int state = WAITING;
    /**
     * Set while the owner is (about to be) parked. The completer unparks only if it sees it set; the owner re-checks
     * the state after setting it. Both are volatile, so at least one of the two sees the other's write (Dekker).
     */
    volatile boolean parked;
    /** The node that fired; written by the claimer before the release of DONE, read by the owner after it. */
    Node fired;

    /** Called by a counterpart holding the lock of {@code node}'s channel. */
    boolean tryClaim() {
        return state == WAITING && STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    /**
     * Publishes the outcome after a successful {@link #tryClaim()}. The caller unparks {@link #thread} afterwards,
     * preferably after releasing its lock.
     */
    void complete(Node node) {
        fired = node;
        state = DONE; // volatile write: publishes fired, node.item and node.closed
    }

    /** Unparks the owner if it is parked or about to park; call after {@link #complete}. */
    void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void park(boolean timed, long deadline, Clock clock) {
        parked = true;
        try {
            if (state == WAITING || state == CLAIMED) {
                if (timed) {
                    clock.parkUntil(deadline, this);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            parked = false;
        }
    }

    /**
     * Parks until a counterpart completes this waiter, the thread is interrupted, or the deadline passes.
     * Implements docs/interruption.md: the flag is checked before parking; an interrupt or timeout counts only if
     * it cancels the waiter first; if a counterpart won, the operation completes normally and an interrupt
     * that arrived meanwhile is re-asserted, never swallowed.
     */
    Outcome await(boolean timed, long deadline, Clock clock, boolean spin) {
        boolean interruptedLate = false;
        if (spin) {
            for (int i = thread.isVirtual() ? VIRTUAL_SPINS : SPINS; i > 0 && state == WAITING; i--) {
                Thread.onSpinWait();
            }
        }
        try {
            for (;;) {
                int s = state;
                if (s == DONE) {
                    return Outcome.FIRED;
                }
                if (s == WAITING) {
                    if (Thread.interrupted()) {
                        if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                            return Outcome.INTERRUPTED;
                        }
                        interruptedLate = true;
                        continue;
                    }
                    if (timed && clock.nanoTime() - deadline >= 0) {
                        if (STATE.compareAndSet(this, WAITING, CANCELLED)) {
                            return Outcome.TIMED_OUT;
                        }
                        continue;
                    }
                    park(timed, deadline, clock);
                } else {
                    // CLAIMED: a counterpart is writing the outcome right now, under its channel lock, and will
                    // unpark us after DONE. Clear a pending interrupt so park() really parks; re-assert it later.
                    if (Thread.interrupted()) {
                        interruptedLate = true;
                    }
                    park(false, 0L, null);
                }
            }
        } finally {
            if (interruptedLate) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Waiter[" + thread + ", state=" + state + "]";
    }
}
