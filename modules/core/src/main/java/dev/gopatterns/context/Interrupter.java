package dev.gopatterns.context;

import dev.gopatterns.chan.UncheckedInterruptedException;
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
     * The exception a task that ended with {@code failure} is reported with: if {@code failure} is an interrupt
     * exception and the interrupt was the context's ({@code delivered}), a new {@link ContextException} of the
     * context's kind, with the context's cause as its cause and the interrupt attached as suppressed; otherwise
     * {@code failure} unchanged (someone else's interrupt, or not an interrupt).
     */
    static Throwable translate(Context ctx, boolean delivered, Throwable failure) {
        boolean interrupt = failure instanceof InterruptedException || failure instanceof UncheckedInterruptedException;
        if (!interrupt || !delivered || !ctx.isDone()) {
            return failure;
        }
        ContextException err = ctx.err().orElseThrow();
        ContextException thrown = err instanceof DeadlineExceededException
                ? new DeadlineExceededException() : new ContextCanceledException();
        thrown.initCause(ctx.cause().filter(c -> c != err).orElse(null));
        thrown.addSuppressed(failure);
        return thrown;
    }

    private static Exception converted(Context ctx, AtomicInteger state, Exception interrupt) {
        return (Exception) translate(ctx, state.get() != ARMED, interrupt);
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
        } catch (UncheckedInterruptedException e) {
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
