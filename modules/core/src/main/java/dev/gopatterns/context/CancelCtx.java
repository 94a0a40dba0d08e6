package dev.gopatterns.context;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Something a cancellable context cancels along with itself: a child context or an after-func. */
interface Canceler {
    /**
     * Ends this canceler with {@code err} and {@code cause}; idempotent.
     *
     * @param removeFromParent whether to detach from the parent (false when the parent itself is cancelling)
     */
    void cancel(boolean removeFromParent, ContextException err, Throwable cause);
}

/** {@link Context#withCancel}: Go's {@code cancelCtx}. */
sealed class CancelCtx extends AbstractContext implements CancellableContext, Canceler permits TimerCtx {
    /*
     * Implementation notes (Go's context.go, cancelCtx and propagateCancel).
     *
     * A cancellable context registers itself with its nearest cancellable ancestor (`children`), so cancelling the
     * ancestor cancels it synchronously, before the ancestor's cancel returns. Registration and cancellation both
     * hold the ancestor's lock, so a child created concurrently with the ancestor's cancel is either registered
     * before (and cancelled by the loop over children) or sees the ancestor's err after (and cancels itself at
     * once): there is no window in which it escapes. A child that is cancelled on its own removes itself from
     * the ancestor, which is what keeps a long-lived parent from accumulating dead children.
     *
     * The done channel is created lazily, as in Go: most contexts are never waited on. `err` is volatile so that
     * isDone()/err() are a single read on the fast path.
     *
     * "The lock" is this object's monitor, as Go's cancelCtx embeds its sync.Mutex: a context costs one object, not
     * three (a ReentrantLock and its Sync were 48 of a job context's bytes in a worker pool). Since JDK 24 a virtual
     * thread that blocks on a monitor unmounts like one parked on a ReentrantLock, and nothing here waits while
     * holding it. Contexts are not for callers to synchronize on: one that does only delays cancels.
     *
     * A plain cancel() makes its ContextCanceledException only when someone asks for it: Go returns one shared
     * `Canceled` value, but a Java exception is mutable (addSuppressed, initCause), so each context needs its own,
     * and most cancelled contexts are never asked (a worker pool cancels every job's context as the job ends). Until
     * then `err` holds UNMADE, which never leaves this class; errValue() replaces it with a fresh error by one CAS,
     * so every caller sees the same instance. A cancel that reaches children makes it first, so they share the
     * parent's error, as in Go. With -Dgopatterns.context.stackTraces=true the error is made at the cancel, so its
     * trace says where.
     */

    /** The error of a plain cancel() that nobody has asked for yet. Never returned: see errValue(). */
    private static final ContextException UNMADE = new ContextCanceledException();
    private static final VarHandle ERR;

    static {
        try {
            ERR = MethodHandles.lookup().findVarHandle(CancelCtx.class, "err", ContextException.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AbstractContext parent;
    /** Guarded by lock. Created on first done(); closed when cancelled. */
    private Channel<Void> done;
    /** The receive-only view of done handed out by done(); written once under lock, then read without it. */
    private volatile ReceiveChannel<Void> doneView;
    /** Guarded by lock; created on the first child, null again once cancelled. */
    private Set<Canceler> children;
    /** Written under lock (UNMADE replaced without it, by errValue's CAS), read without. */
    private volatile ContextException err;
    /** Guarded by lock (published by the volatile write of err); null: the cause is the error itself. */
    private Throwable cause;
    /** Set, under lock, once the cancel that ended this context has also cancelled every descendant. */
    private volatile boolean cancelledAll;

    CancelCtx(Context parent) {
        this.parent = (AbstractContext) Objects.requireNonNull(parent, "parent");
    }

    static CancelCtx withCancel(Context parent) {
        CancelCtx c = new CancelCtx(parent);
        propagateCancel(c.parent, c);
        return c;
    }

    /**
     * Arranges for {@code child} to be cancelled when {@code parent} is. Go: {@code propagateCancel}.
     */
    static void propagateCancel(AbstractContext parent, Canceler child) {
        CancelCtx p = parent.nearestCanceller();
        if (p == null) {
            return; // the parent can never be cancelled
        }
        ContextException parentErr;
        Throwable parentCause;
        synchronized (p) {
            if (p.err != null) {
                parentErr = p.errValue();
                parentCause = p.cause != null ? p.cause : parentErr;
            } else {
                if (p.children == null) {
                    p.children = new LinkedHashSet<>();
                }
                p.children.add(child);
                return;
            }
        }
        child.cancel(false, parentErr, parentCause); // the parent is already done
    }

    /** Detaches {@code child} from the nearest cancellable ancestor of {@code parent}. */
    static void removeChild(AbstractContext parent, Canceler child) {
        CancelCtx p = parent.nearestCanceller();
        if (p == null) {
            return;
        }
        synchronized (p) {
            if (p.children != null) {
                p.children.remove(child);
            }
        }
    }

    @Override
    public void cancel(boolean removeFromParent, ContextException e, Throwable c) {
        Objects.requireNonNull(e, "err");
        synchronized (this) {
            if (err != null) {
                return; // already cancelled, or being cancelled by the thread that holds the lock
            }
            cause = c;
            err = e; // volatile write publishes cause
            if (done != null) {
                done.close();
            }
            // As in Go, children are cancelled while holding our lock: a concurrent second cancel waits here until
            // every descendant is cancelled, so "cancelled before cancel returns" holds for every caller. Locks are
            // only ever taken parent-then-child (a child detaching from its parent holds no lock of its own), so
            // there is no lock-order cycle.
            if (children != null) {
                ContextException shared = errValue(); // made now, so that every descendant has the same error
                Throwable sharedCause = c != null ? c : shared;
                for (Canceler child : children) {
                    child.cancel(false, shared, sharedCause);
                }
                children = null;
            }
            cancelledAll = true;
        }
        if (removeFromParent) {
            removeChild(parent, this);
        }
    }

    @Override
    public void cancel() {
        if (!cancelledAll) { // a repeated cancel costs one volatile read; one racing the first waits for it
            cancel(true, canceled(), null);
        }
    }

    @Override
    public void cancel(Throwable cause) {
        if (!cancelledAll) {
            cancel(true, canceled(), cause);
        }
    }

    /** The error a plain cancel records: UNMADE, made on demand, unless errors carry stack traces. */
    private static ContextException canceled() {
        return ContextException.STACK_TRACES ? new ContextCanceledException() : UNMADE;
    }

    /** The error, made now if a cancel left UNMADE; null if not done. Every caller gets the same instance. */
    private ContextException errValue() {
        ContextException e = err;
        if (e != UNMADE) {
            return e;
        }
        ContextException made = new ContextCanceledException();
        ContextException witness = (ContextException) ERR.compareAndExchange(this, UNMADE, made);
        return witness == UNMADE ? made : witness;
    }

    @Override
    public void close() {
        cancel();
    }

    @Override
    public ReceiveChannel<Void> done() {
        ReceiveChannel<Void> view = doneView;
        if (view != null) {
            return view;
        }
        synchronized (this) {
            if (done == null) {
                done = Channel.unbuffered();
                if (err != null) {
                    done.close();
                }
                doneView = done.receiveOnly();
            }
            return doneView;
        }
    }

    @Override
    public Optional<ContextException> err() {
        return Optional.ofNullable(errValue());
    }

    @Override
    public boolean isDone() {
        return err != null;
    }

    @Override
    public Optional<Throwable> cause() {
        if (err == null) {
            return Optional.empty();
        }
        synchronized (this) {
            return Optional.of(cause != null ? cause : errValue());
        }
    }

    @Override
    public OptionalLong deadline() {
        return parent.deadline();
    }

    @Override
    public Clock clock() {
        return parent.clock();
    }

    @Override
    public <V> Optional<V> value(Key<V> key) {
        return parent.value(key);
    }

    @Override
    CancelCtx nearestCanceller() {
        return this;
    }

    /** The number of registered children and after-funcs; for tests of detaching. */
    int childCount() {
        synchronized (this) {
            return children == null ? 0 : children.size();
        }
    }

    @Override
    String describe() {
        return parent.describe() + ".WithCancel";
    }
}

/** {@link Context#withDeadline}: Go's {@code timerCtx}. */
final class TimerCtx extends CancelCtx {
    private final long deadline;
    /** Guarded by lock. */
    private Clock.Scheduled timer;

    private TimerCtx(Context parent, long deadline) {
        super(parent);
        this.deadline = deadline;
    }

    static CancellableContext withDeadline(Context parent, long deadline, Throwable cause) {
        Objects.requireNonNull(parent, "parent");
        OptionalLong parentDeadline = parent.deadline();
        if (parentDeadline.isPresent() && parentDeadline.getAsLong() - deadline <= 0) {
            return CancelCtx.withCancel(parent); // the parent's deadline comes first: no timer needed
        }
        TimerCtx c = new TimerCtx(parent, deadline);
        propagateCancel(c.parent, c);
        Clock clock = parent.clock();
        long remaining = deadline - clock.nanoTime();
        if (remaining <= 0) {
            c.cancel(true, new DeadlineExceededException(), cause);
            return c;
        }
        synchronized (c) {
            if (!c.isDone()) {
                c.timer = clock.scheduleAt(deadline, () -> c.cancel(true, new DeadlineExceededException(), cause));
            }
        }
        return c;
    }

    @Override
    public void cancel(boolean removeFromParent, ContextException e, Throwable c) {
        super.cancel(removeFromParent, e, c);
        Clock.Scheduled t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public OptionalLong deadline() {
        return OptionalLong.of(deadline);
    }

    @Override
    String describe() {
        return parent.describe() + ".WithDeadline(" + deadline + "ns [" + (deadline - clock().nanoTime()) + "ns])";
    }
}
