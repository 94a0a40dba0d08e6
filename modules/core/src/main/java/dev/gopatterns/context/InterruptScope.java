package dev.gopatterns.context;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interrupts the threads working inside a scope when a context ends: the bridge of {@link Context#call}, for a scope
 * that runs many tasks one after another or side by side (an error group, a worker pool), with one registration on
 * the context however many tasks come and go.
 *
 * <pre>{@code
 * InterruptScope scope = InterruptScope.of(ctx);        // once, by the owner
 * ...
 * try (InterruptScope.Entry entry = scope.enter()) {    // in each task's thread, around the task
 *     task.run();
 * } catch (InterruptedException e) {
 *     throw entry.translate(e);                          // the context's error, if the interrupt was the context's
 * }
 * ...
 * scope.close();                                        // the owner, when no task can enter any more
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A thread inside the scope (between {@link #enter()} and {@link Entry#close()}) is interrupted exactly once
 *       if a {@code cancel} of the context returns while it is inside, or if it enters after the context is done
 *       (then {@code enter} interrupts it itself): whatever the order in which a task's thread starts and the
 *       context is cancelled, it is never left blocking in a done context. (A thread that sees the context done
 *       and leaves while the cancelling thread has not yet reached it may leave uninterrupted: it is gone before
 *       the interrupt would have been of use.)
 *   <li>Cancelling the context interrupts every thread inside before {@code cancel} returns (the interrupts are sent
 *       from the cancelling thread; the interrupted threads still have to notice).
 *   <li>{@link Entry#close()} clears an interrupt the scope delivered and the task did not consume, so a thread that
 *       goes on to the next task (a pool worker) is never struck by the previous task's cancellation. An outside
 *       interrupt arriving in that same instant is indistinguishable from it and is cleared too, as with
 *       {@link Context#call}.
 *   <li>Memory consistency effects: actions in a thread prior to cancelling the context happen-before actions in an
 *       interrupted thread after it detects the interrupt (JLS 17.4.4).
 * </ul>
 *
 * <p>Go equivalent: none. A goroutine watches {@code ctx.Done()} itself; Java's blocking calls do not, and the
 * interrupt is how a cancellation reaches them (docs/interruption.md).
 */
public final class InterruptScope implements AutoCloseable {
    /*
     * Why no thread escapes its interrupt. A thread entering adds itself to `inside` and then reads the context's
     * (volatile) err; the cancelling thread writes err and then, from the inline after-func, iterates `inside`.
     * Both sides are a write followed by a read of the other's variable (a ConcurrentHashMap insertion is a
     * volatile write or CAS, its traversal volatile reads), so in the total synchronization order at least one
     * side sees the other: either the sweep finds the entry, or the entry sees the context done and interrupts
     * itself. Both may happen; the entry's InterruptClaim makes the interrupt happen exactly once, and makes
     * leaving wait until a claimed interrupt has landed before clearing it.
     */

    private final Context ctx;
    private final Set<Entry> inside = ConcurrentHashMap.newKeySet();
    private final Context.Stop hook;

    private InterruptScope(Context ctx) {
        this.ctx = ctx;
        this.hook = AfterFunc.register(ctx, this::interruptAll, true);
    }

    /** A scope whose threads are interrupted when {@code ctx} ends. */
    public static InterruptScope of(Context ctx) {
        return new InterruptScope(Objects.requireNonNull(ctx, "ctx"));
    }

    /** The context this scope watches. */
    public Context context() {
        return ctx;
    }

    /**
     * Puts the current thread inside the scope, interrupting it at once if the context is already done.
     * Close the returned entry in the same thread, when the task ends.
     */
    public Entry enter() {
        Entry e = new Entry(Thread.currentThread());
        inside.add(e);
        if (ctx.isDone()) {
            e.interrupt();
        }
        return e;
    }

    /** Called in the cancelling thread, with the context's lock held: only interrupts, which never block. */
    private void interruptAll() {
        for (Entry e : inside) {
            e.interrupt();
        }
    }

    /**
     * Stops watching the context. Threads still inside are no longer interrupted by a later cancellation; entering
     * after this is not an error, but is not watched either. Idempotent.
     */
    @Override
    public void close() {
        hook.stop();
    }

    /** One thread's stay inside the scope; see {@link InterruptScope}. */
    public final class Entry implements AutoCloseable {
        private final Thread thread;
        private final InterruptClaim claim = new InterruptClaim();
        /** Owner-only. */
        private boolean left;

        private Entry(Thread thread) {
            this.thread = thread;
            claim.enter(this);
        }

        private void interrupt() {
            claim.interrupt(this);
        }

        /** Whether the scope interrupted this thread because the context ended. */
        public boolean interrupted() {
            return claim.interrupted();
        }

        /**
         * The exception a task that ended with {@code failure} should be reported with: if {@code failure} is an
         * {@link InterruptedException} or an {@link dev.gopatterns.chan.UncheckedInterruptedException} and the
         * interrupt was this scope's, a new {@link ContextException} of the context's kind, with the context's
         * cause as its cause and {@code failure} attached as suppressed, as {@link Context#call} throws; otherwise
         * {@code failure} itself.
         */
        public Throwable translate(Throwable failure) {
            return Interrupter.translate(ctx, interrupted(), failure);
        }

        /**
         * Leaves the scope; must be called by the thread that entered. Clears an interrupt the scope delivered and
         * the task did not consume. Idempotent.
         */
        @Override
        public void close() {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("InterruptScope: an entry must be closed by the thread that entered");
            }
            if (left) {
                return;
            }
            left = true;
            inside.remove(this);
            claim.leave(this);
        }
    }
}
