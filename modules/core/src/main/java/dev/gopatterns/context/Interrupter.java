package dev.gopatterns.context;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Context#call}: interrupts the working thread when the context ends. */
final class Interrupter {
    private static final int ARMED = 0;
    private static final int FIRING = 1;
    private static final int FIRED = 2;
    private static final int DISARMED = 3;

    private Interrupter() {}

    /**
     * The exception {@code call} throws for an interrupt that ended the task: the context's error if the interrupt
     * was the context's, otherwise the interrupt exception itself, unchanged.
     */
    private static <E extends Exception> Exception converted(Context ctx, AtomicInteger state, E interrupt) {
        if (state.get() == ARMED || !ctx.isDone()) {
            return interrupt; // someone else's interrupt
        }
        ContextException err = ctx.err().orElseThrow();
        ContextException thrown = err instanceof DeadlineExceededException
                ? new DeadlineExceededException() : new ContextCanceledException();
        thrown.initCause(ctx.cause().filter(c -> c != err).orElse(null));
        thrown.addSuppressed(interrupt);
        return thrown;
    }

    static <T> T call(Context ctx, Callable<T> task) throws Exception {
        ctx.throwIfDone();
        Thread worker = Thread.currentThread();
        AtomicInteger state = new AtomicInteger(ARMED);
        AfterFunc hook = AfterFunc.register(ctx, () -> {
            if (state.compareAndSet(ARMED, FIRING)) {
                worker.interrupt();
                state.set(FIRED);
            }
        }, true);
        try {
            return task.call();
        } catch (InterruptedException e) {
            throw converted(ctx, state, e);
        } catch (dev.gopatterns.chan.UncheckedInterruptedException e) {
            throw converted(ctx, state, e);
        } finally {
            hook.stop();
            if (!state.compareAndSet(ARMED, DISARMED)) {
                // The context ended while the task ran: wait for the interrupt to land (a few instructions in the
                // cancelling thread; yield, never spin, so a single carrier thread can still run the canceller)...
                while (state.get() == FIRING) {
                    Thread.yield();
                }
                // ...and consume it, if the task did not, so it cannot strike the caller's next blocking call.
                Thread.interrupted();
            }
        }
    }
}
