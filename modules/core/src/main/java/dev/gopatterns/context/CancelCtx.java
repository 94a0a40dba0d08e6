package dev.gopatterns.context;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.clock.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

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
     */

    final AbstractContext parent;
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. Created on first done(); closed when cancelled. */
    private Channel<Void> done;
    /** The receive-only view of done handed out by done(); written once under lock, then read without it. */
    private volatile ReceiveChannel<Void> doneView;
    /** Guarded by lock; created on the first child, null again once cancelled. */
    private Set<Canceler> children;
    /** Written under lock, read without. */
    private volatile ContextException err;
    /** Guarded by lock (published by the volatile write of err). */
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
        p.lock.lock();
        try {
            parentErr = p.err;
            parentCause = p.cause;
            if (parentErr == null) {
                if (p.children == null) {
                    p.children = new LinkedHashSet<>();
                }
                p.children.add(child);
                return;
            }
        } finally {
            p.lock.unlock();
        }
        child.cancel(false, parentErr, parentCause); // the parent is already done
    }

    /** Detaches {@code child} from the nearest cancellable ancestor of {@code parent}. */
    static void removeChild(AbstractContext parent, Canceler child) {
        CancelCtx p = parent.nearestCanceller();
        if (p == null) {
            return;
        }
        p.lock.lock();
        try {
            if (p.children != null) {
                p.children.remove(child);
            }
        } finally {
            p.lock.unlock();
        }
    }

    @Override
    public void cancel(boolean removeFromParent, ContextException e, Throwable c) {
        Objects.requireNonNull(e, "err");
        lock.lock();
        try {
            if (err != null) {
                return; // already cancelled, or being cancelled by the thread that holds the lock
            }
            cause = (c != null) ? c : e;
            err = e; // volatile write publishes cause
            if (done != null) {
                done.close();
            }
            // As in Go, children are cancelled while holding our lock: a concurrent second cancel waits here until
            // every descendant is cancelled, so "cancelled before cancel returns" holds for every caller. Locks are
            // only ever taken parent-then-child (a child detaching from its parent holds no lock of its own), so
            // there is no lock-order cycle.
            if (children != null) {
                for (Canceler child : children) {
                    child.cancel(false, e, cause);
                }
                children = null;
            }
            cancelledAll = true;
        } finally {
            lock.unlock();
        }
        if (removeFromParent) {
            removeChild(parent, this);
        }
    }

    @Override
    public void cancel() {
        if (!cancelledAll) { // a repeated cancel costs one volatile read; one racing the first waits for it
            cancel(true, new ContextCanceledException(), null);
        }
    }

    @Override
    public void cancel(Throwable cause) {
        if (!cancelledAll) {
            cancel(true, new ContextCanceledException(), cause);
        }
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
        lock.lock();
        try {
            if (done == null) {
                done = Channel.unbuffered();
                if (err != null) {
                    done.close();
                }
                doneView = done.receiveOnly();
            }
            return doneView;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<ContextException> err() {
        return Optional.ofNullable(err);
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
        lock.lock();
        try {
            return Optional.of(cause);
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            return children == null ? 0 : children.size();
        } finally {
            lock.unlock();
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
        c.lock.lock();
        try {
            if (!c.isDone()) {
                c.timer = clock.scheduleAt(deadline, () -> c.cancel(true, new DeadlineExceededException(), cause));
            }
        } finally {
            c.lock.unlock();
        }
        return c;
    }

    @Override
    public void cancel(boolean removeFromParent, ContextException e, Throwable c) {
        super.cancel(removeFromParent, e, c);
        Clock.Scheduled t;
        lock.lock();
        try {
            t = timer;
            timer = null;
        } finally {
            lock.unlock();
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
