package dev.gopatterns.context;

import dev.gopatterns.chan.UncheckedInterruptedException;
import java.util.concurrent.Callable;

/** {@link Context#call}: interrupts the working thread when the context ends. */
final class Interrupter {
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

    private static Exception converted(Context ctx, InterruptClaim claim, Exception interrupt) {
        return (Exception) translate(ctx, claim.interrupted(), interrupt);
    }

    static <T> T call(Context ctx, Callable<T> task) throws Exception {
        ctx.throwIfDone();
        InterruptClaim claim = new InterruptClaim();
        claim.enter(claim); // the work is the call itself
        AfterFunc hook = AfterFunc.register(ctx, () -> claim.interrupt(claim), true);
        try {
            return task.call();
        } catch (InterruptedException e) {
            throw converted(ctx, claim, e);
        } catch (UncheckedInterruptedException e) {
            throw converted(ctx, claim, e);
        } finally {
            hook.stop();
            // If the context ended while the task ran, this waits for the interrupt to land and consumes it, so it
            // cannot strike the caller's next blocking call.
            claim.leave(claim);
        }
    }
}
