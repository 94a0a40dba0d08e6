package dev.gopatterns.context;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets other threads interrupt one thread for one piece of work at a time: at most once per piece of work, and
 * never after that work is over, so an interrupt meant for one task can never strike the next task on the same
 * thread. The protocol under {@link Context#call}, {@link InterruptScope} and the worker pool's workers.
 *
 * <pre>{@code
 * claim.enter(job);                 // the owner thread, before the work
 * try { job.run(); }
 * finally { claim.leave(job); }     // the owner thread, after: a late interrupt has landed and is cleared
 *
 * claim.interrupt(job);             // any thread: interrupts the owner only while it is still on job
 * }</pre>
 *
 * <ul>
 *   <li>{@link #interrupt} delivers {@link Thread#interrupt()} to the owner if, and only if, the owner is between
 *       {@code enter(work)} and {@code leave(work)} for that same {@code work} (by identity), and no interrupt was
 *       delivered for it yet.
 *   <li>{@link #leave} returns only once an interrupt being delivered has landed, then clears the interrupt flag if
 *       one was delivered (the work may not have consumed it): the owner's next blocking call is never struck.
 *   <li>Reusable: one claim per thread serves one piece of work after another, at no allocation per piece.
 *   <li>Memory consistency effects: actions of a thread prior to a successful {@code interrupt} happen-before the
 *       owner's actions after {@code leave} returns, and after it detects the interrupt (JLS 17.4.4).
 * </ul>
 *
 * <p>Go equivalent: none. A goroutine watches {@code ctx.Done()} itself; Java's blocking calls do not, and the
 * interrupt is how a cancellation reaches them (docs/interruption.md). The claim is what makes that safe on a thread
 * that runs one task after another.
 */
public final class InterruptClaim {
    /*
     * `target` is the work the owner is on, FIRING while an interrupt for it is being delivered, FIRED after, or
     * null between pieces of work. An interrupter must win the CAS work -> FIRING, so once the owner has left (CAS
     * work -> null) no interrupt for that work can be delivered. If the owner's leaving CAS fails, an interrupt was
     * claimed: the owner waits the few instructions until it has landed (FIRING -> FIRED), yielding, never
     * spinning, so that a single carrier thread can still run the interrupter; then it clears the flag.
     *
     * `owner` is written by enter() before the volatile write of `target`, and read by an interrupter after it has
     * seen `target` (its CAS), so the interrupter always sees the thread that entered.
     */
    private static final Object FIRING = new Object();
    private static final Object FIRED = new Object();

    private final AtomicReference<Object> target = new AtomicReference<>();
    private Thread owner;

    /** A claim with no work entered. */
    public InterruptClaim() {}

    /**
     * The current thread starts on {@code work}; it may then be interrupted for it.
     *
     * @throws IllegalStateException if the claim is already on some work ("InterruptClaim: enter while on ...")
     */
    public void enter(Object work) {
        Objects.requireNonNull(work, "work");
        Object now = target.get();
        if (now != null) {
            throw new IllegalStateException("InterruptClaim: enter while on other work (leave it first)");
        }
        owner = Thread.currentThread();
        target.set(work);
    }

    /**
     * Interrupts the owner if it is still on {@code work} and was not interrupted for it yet. Never blocks; safe
     * from any thread, including the owner's.
     *
     * @return whether this call delivered the interrupt
     */
    public boolean interrupt(Object work) {
        if (target.get() == work && work != null && target.compareAndSet(work, FIRING)) {
            owner.interrupt();
            target.set(FIRED);
            return true;
        }
        return false;
    }

    /** The work the owner is on and has not been interrupted for, or null. */
    public Object current() {
        Object now = target.get();
        return now == FIRING || now == FIRED ? null : now;
    }

    /** Whether an interrupt was delivered (or is being delivered) for the work the owner is on now. */
    public boolean interrupted() {
        Object now = target.get();
        return now == FIRING || now == FIRED;
    }

    /**
     * The owner is done with {@code work}: from now on no interrupt for it can be delivered, and one that was is
     * cleared from the thread's flag. Call it in the thread that entered.
     *
     * @return whether an interrupt was delivered for {@code work}
     */
    public boolean leave(Object work) {
        if (target.compareAndSet(work, null)) {
            return false;
        }
        Object now;
        while ((now = target.get()) == FIRING) {
            Thread.yield();
        }
        if (now != FIRED) {
            throw new IllegalStateException("InterruptClaim: leave of work that was not entered");
        }
        Thread.interrupted(); // the work's interrupt, if the work did not consume it
        target.set(null);
        return true;
    }
}
