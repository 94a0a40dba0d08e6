package dev.gopatterns.chan;

import java.util.concurrent.locks.Condition;
import java.util.function.Supplier;

/**
 * The way a library type offers one of its blocking operations as a {@link Select} case, beside channel sends and
 * receives: a semaphore's acquire ({@code dev.gopatterns.sync.Semaphore#onAcquire}), and, next, a worker pool's
 * submit and a job's completion. Extend it with a small private class that owns the type's state; build cases with
 * {@link #selectCase}.
 *
 * <p>The contract, which is what lets {@code select} keep Go's guarantees (exactly one case fires, no operation
 * takes effect for a case that does not fire, and the select parks until a case is ready):
 * <ul>
 *   <li>All state the operation reads or writes is guarded by this source's lock: take it with {@link #lock()} and
 *       release it with {@link #unlock()} in the type's own methods, too. {@code select} takes it, in one global
 *       order with the locks of the other cases' channels and sources, before it calls the three methods below.
 *   <li>{@link #tryNow} performs the operation if it can be performed at once, and says whether it did.
 *   <li>{@link #enqueue} keeps a {@link Ticket} for a select that must wait; {@link #dequeue} forgets it (it is
 *       called for every ticket when the select ends, whether it fired, fired elsewhere or gave up, and must be a
 *       no-op for a ticket already gone).
 *   <li>When the operation becomes possible (a release, a completion), the type calls {@link Ticket#tryFire()} under
 *       the lock on the tickets it keeps, in its own order. {@code tryFire} returns {@code false} if that select
 *       has already gone another way (another case fired, an interrupt, a timeout): then the operation must not
 *       be performed for it, and the ticket should be dropped. If it returns {@code true}, the type performs the
 *       operation for that ticket before releasing the lock; the select's thread is woken after {@code unlock}.
 *   <li>The three methods run with channel and source locks held: they must not block, call out to user code,
 *       or touch channels.
 * </ul>
 *
 * <p>Memory consistency effects: actions of the thread that fires a ticket, prior to {@link #unlock()}, happen-before
 * the selecting thread's actions after its {@code select} returns.
 *
 * <p>Go equivalent: none; Go's {@code select} takes only channel operations, so Go code wraps such operations in a
 * goroutine and a channel. This is the design of jox's {@code SelectClause}, fitted to Go's lock-based select.
 *
 * @param <A> the argument of the operation, such as a number of units
 */
public abstract class Selectable<A> extends WaitSource {

    /** For subclasses. */
    protected Selectable() {
        super(false);
    }

    /** A waiting select's place in this source's queue; see {@link Selectable}. */
    public static final class Ticket<A> {
        private final Selectable<A> source;
        private final Node node;
        private final A argument;

        private Ticket(Selectable<A> source, Node node, A argument) {
            this.source = source;
            this.node = node;
            this.argument = argument;
        }

        /** The argument the case was built with. */
        public A argument() {
            return argument;
        }

        /**
         * Claims the waiting select for this case. Call only while holding the source's lock.
         *
         * @return {@code true} if this case now fires (perform the operation for it before unlocking); {@code false}
         *         if the select has already ended another way (do not perform it; drop the ticket)
         */
        public boolean tryFire() {
            if (!source.lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("Selectable: tryFire must be called while holding the source's lock");
            }
            Waiter w = node.waiter;
            if (!w.tryClaim()) {
                return false;
            }
            w.complete(node);
            source.deferWake(w);
            return true;
        }

        @Override
        public String toString() {
            return "Ticket[" + argument + ", " + node.waiter + "]";
        }
    }

    /**
     * A select case for this source's operation with {@code argument}: when it fires, the operation has been
     * performed, and {@code select} returns {@code then.get()}.
     */
    protected final <R> SelectCase<R> selectCase(A argument, Supplier<? extends R> then) {
        return SelectCase.clause(this, argument, then);
    }

    /** Takes this source's lock. */
    protected final void lock() {
        lock.lock();
    }

    /** Releases this source's lock, then wakes the selects whose tickets fired while it was held. */
    protected final void unlock() {
        unlockAndWake();
    }

    /**
     * A condition of this source's lock, for the type's own threads to wait on (a pool's idle workers). Await it
     * only when the current locked section has fired no ticket: a fired ticket's select is woken by
     * {@link #unlock()}, which an {@code await} does not call.
     */
    protected final Condition newCondition() {
        return lock.newCondition();
    }

    /** Performs the operation for {@code argument} if it can be done now. Called with the lock held. */
    protected abstract boolean tryNow(A argument);

    /** Keeps {@code ticket} until it fires or is dequeued. Called with the lock held. */
    protected abstract void enqueue(Ticket<A> ticket);

    /** Forgets {@code ticket}; a no-op if it is no longer kept. Called with the lock held. */
    protected abstract void dequeue(Ticket<A> ticket);

    @Override
    @SuppressWarnings("unchecked")
    final void enqueueLocked(Node n) {
        Ticket<A> t = new Ticket<>(this, n, (A) n.item);
        n.item = t;
        enqueue(t);
    }

    @Override
    @SuppressWarnings("unchecked")
    final void dequeueLocked(Node n) {
        dequeue((Ticket<A>) n.item);
    }

    @SuppressWarnings("unchecked")
    final boolean tryNowLocked(Object argument) {
        return tryNow((A) argument);
    }

    /** A ready-made never-ready case, for an operation that can never succeed (Go's nil channel). */
    protected static <R> SelectCase<R> never() {
        return SelectCase.never(SelectCase.Kind.CLAUSE);
    }
}
