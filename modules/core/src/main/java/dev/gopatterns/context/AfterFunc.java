package dev.gopatterns.context;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Context#afterFunc}: Go's {@code afterFuncCtx}, a canceler that runs a function instead of a context. */
final class AfterFunc implements Canceler, Context.Stop {
    private static final int ARMED = 0;
    private static final int STARTED = 1;
    private static final int STOPPED = 2;

    private final AbstractContext ctx;
    private final Runnable f;
    private final boolean inline;
    private final AtomicInteger state = new AtomicInteger(ARMED);

    private AfterFunc(AbstractContext ctx, Runnable f, boolean inline) {
        this.ctx = ctx;
        this.f = f;
        this.inline = inline;
    }

    /**
     * @param inline run {@code f} in the cancelling thread instead of a new virtual thread; only for tiny internal
     *               functions such as an interrupt
     */
    static AfterFunc register(Context ctx, Runnable f, boolean inline) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(f, "f");
        AfterFunc a = new AfterFunc((AbstractContext) ctx, f, inline);
        CancelCtx.propagateCancel(a.ctx, a);
        return a;
    }

    @Override
    public void cancel(boolean removeFromParent, ContextException err, Throwable cause) {
        if (!state.compareAndSet(ARMED, STARTED)) {
            return;
        }
        if (removeFromParent) {
            CancelCtx.removeChild(ctx, this);
        }
        if (inline) {
            f.run();
        } else {
            Thread.ofVirtual().name("context.AfterFunc").start(f);
        }
    }

    @Override
    public boolean stop() {
        if (!state.compareAndSet(ARMED, STOPPED)) {
            return false;
        }
        CancelCtx.removeChild(ctx, this);
        return true;
    }

    boolean started() {
        return state.get() == STARTED;
    }
}
