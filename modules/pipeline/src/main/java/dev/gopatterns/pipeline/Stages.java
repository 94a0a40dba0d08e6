package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.Context;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery every stage of this package shares: the thread a stage runs in, and the two context-aware channel
 * operations that make it stop promptly.
 */
final class Stages {

    /*
     * Go's "Pipelines and cancellation" (blog.golang.org/pipelines) gives every stage three rules, and each has one
     * place here:
     *
     *   1. A stage closes its outbound channel when all its sends are done. run() closes in a finally block, as the
     *      last thing the stage's thread does, so the output is closed exactly once, however the body ends: input
     *      closed, context ended, interrupted, or a user function that threw.
     *   2. A stage keeps receiving until its input closes or the context ends. receive() is a select over the input
     *      and ctx.done(); it reports the end of the context as Closed, because for a stage both mean "stop".
     *   3. A send never blocks for ever: send() is a select over the send and ctx.done(), so a stage stuck handing
     *      a value to a consumer that stopped reading returns when the context ends. This is the case Go's article
     *      calls a goroutine leak, and the reason every function here takes a context.
     *
     * Both operations check the context before they select. A select picks at random among ready cases (as Go's
     * does), so without the check a stage whose context has already ended could still send a value half the time
     * to a consumer that is reading. With it, nothing is sent or received after a cancellation that happened before
     * the call; a cancellation during the call races the operation, and either may win, as in Go.
     *
     * Several threads feeding one output (merge, fanOut) close it with a countdown instead of Go's extra goroutine
     * running wg.Wait(); close(out): the last thread to finish closes. The counter is the WaitGroup's counter, and
     * decrementAndGet returns zero to exactly one thread, so the output is closed once, after every feeder is done.
     * Closing from each feeder, the classic bug, would throw "close of closed channel" in the second one.
     */

    private Stages() {}

    /** A stage body: sends on its outputs, receives from its inputs; returns (or throws) when it is done. */
    @FunctionalInterface
    interface Body {
        void run() throws InterruptedException;
    }

    /**
     * Starts {@code body} in a new virtual thread named {@code "pipeline-" + name} and closes {@code outs} when it
     * ends, however it ends. An interrupt ends the stage with the flag set again (the thread then ends); anything
     * else the body throws goes to the thread's uncaught-exception handler after the outputs are closed.
     */
    static void run(String name, Body body, SendChannel<?>... outs) {
        start(name, body, () -> {
            for (SendChannel<?> out : outs) {
                out.close();
            }
        });
    }

    /**
     * Starts {@code n} copies of a body that share {@code out}; the last of them to end closes it. {@code body} is
     * given the copy's index.
     */
    static void runShared(String name, int n, java.util.function.IntFunction<Body> body, SendChannel<?> out) {
        if (n == 0) {
            out.close();
            return;
        }
        AtomicInteger running = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            start(name + "-" + i, body.apply(i), () -> {
                if (running.decrementAndGet() == 0) {
                    out.close();
                }
            });
        }
    }

    /** Stage threads started and not yet ended; for tests that check that every thread of a stage ends. */
    private static final AtomicInteger LIVE = new AtomicInteger();

    static int liveThreads() {
        return LIVE.get();
    }

    /**
     * Starts {@code body} in a counted virtual thread with no output, and returns the thread: for a function that
     * must join what it started before it returns ({@link Replicated}), or know its owner thread
     * ({@link Stateful}). Ends as {@link #run} does.
     */
    static Thread spawn(String name, Body body) {
        return start(name, body, () -> { });
    }

    static Thread start(String name, Body body, Runnable atEnd) {
        return start(name, body, atEnd, () -> { });
    }

    /**
     * Starts {@code body} in a new virtual thread; when it ends, however it ends: {@code atEnd} (closing the
     * stage's outputs), then an exception the body threw goes to the thread's uncaught-exception handler, then the
     * thread leaves the live count, then {@code afterLeave} runs (a pipeline run's last thread ends the run there,
     * so that a caller who has seen the run end sees the count without it). Neither action may block.
     */
    static Thread start(String name, Body body, Runnable atEnd, Runnable afterLeave) {
        LIVE.incrementAndGet();
        try {
            return Thread.ofVirtual().name("pipeline-" + name).start(() -> {
                Throwable failure = null;
                try {
                    body.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // nobody to tell but the thread, which now ends
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    try {
                        atEnd.run();
                    } finally {
                        if (failure != null) {
                            Thread self = Thread.currentThread();
                            self.getUncaughtExceptionHandler().uncaughtException(self, failure);
                        }
                        LIVE.decrementAndGet();
                        afterLeave.run();
                    }
                }
            });
        } catch (Throwable startFailed) {
            LIVE.decrementAndGet();
            atEnd.run();
            afterLeave.run();
            throw startFailed;
        }
    }

    /**
     * Sends {@code value} unless {@code ctx} is or becomes done first.
     *
     * @return {@code true} if sent, {@code false} if the context ended (nothing was sent)
     */
    static <T> boolean send(Context ctx, SendChannel<T> out, T value) throws InterruptedException {
        if (ctx.isDone()) {
            return false;
        }
        return Select.select(out.onSend(value, () -> true), ctx.onDone(() -> false));
    }

    /** Receives from {@code in}; {@link Received.Closed} if it is closed and drained, or if {@code ctx} ended first. */
    static <T> Received<T> receive(Context ctx, ReceiveChannel<? extends T> in) throws InterruptedException {
        if (ctx.isDone()) {
            return Received.closed();
        }
        return Select.select(
                in.onReceiveOrClosed(r -> r instanceof Received.Value<? extends T>(T v)
                        ? new Received.Value<T>(v) : Received.<T>closed()),
                ctx.onDone(Received::<T>closed));
    }

    /** Forwards every value of {@code in} to {@code out} until {@code in} closes ({@code true}) or ctx ends. */
    static <T> boolean forward(Context ctx, ReceiveChannel<? extends T> in, SendChannel<T> out)
            throws InterruptedException {
        while (Stages.<T>receive(ctx, in) instanceof Received.Value<T>(T v)) {
            if (!send(ctx, out, v)) {
                return false;
            }
        }
        return !ctx.isDone();
    }

    /** An unbuffered channel: a stage adds no buffer of its own (no unbounded buffers, and no hidden ones). */
    static <T> Channel<T> output() {
        return Channel.unbuffered();
    }
}
