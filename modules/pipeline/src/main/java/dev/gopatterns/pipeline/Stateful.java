package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Go's stateful goroutine: a state that one thread owns, and that every other thread reads and writes by sending
 * that thread a request and waiting for the reply. No lock guards the state, because only its owner ever touches
 * it: "share memory by communicating".
 *
 * <pre>{@code
 * // Go (Go by Example, "Stateful Goroutines"):       // Java:
 * go func() {                                         Stateful<Map<Integer, Integer>> state =
 *     var state = make(map[int]int)                           Stateful.start(ctx, HashMap::new);
 *     for {
 *         select {                                    int v = state.call(ctx, m -> m.getOrDefault(k, 0));
 *         case read := <-reads:                       state.call(ctx, m -> m.put(k, v));
 *             read.resp <- state[read.key]
 *         case write := <-writes:
 *             state[write.key] = write.val
 *             write.resp <- true
 *         }
 *     }
 * }()
 * read := readOp{key: 3, resp: make(chan int)}
 * reads <- read
 * <-read.resp
 * }</pre>
 *
 * <h2>Confinement</h2>
 * The state is <em>confined</em> to the owner thread: {@code initial} is called in that thread, so the state is
 * created, read and written there and nowhere else. That is the discipline of "Concurrency in Go", chapter 4:
 * <em>lexical confinement</em> makes the wrong access impossible to write, the way {@link Sources#generator} creates
 * its channel, is the only one to send on it and close it, and hands out only its receive side. Here the requests
 * channel's receive side never leaves this object, and the state never leaves the owner unless {@code fn} returns
 * it: <b>return values computed from the state, never the state itself or a view of it</b> (a {@code keySet()},
 * an iterator), which would break the confinement and race with the owner.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Requests are applied one at a time, in the order the owner receives them; each {@code fn} sees the effects
 *       of every earlier one. A request is applied exactly once, or not at all.
 *   <li>The owner ends when {@link #close()} is called or its context ends. A {@code call} that has not been taken
 *       by then, and every later one, throws {@link EndedException}; none waits for ever. A call taken by the owner
 *       is always answered (the reply channel has room for the reply, so the owner never waits on a caller).
 *   <li>A caller whose own {@code ctx} ends while it waits throws that context's error, and one that is
 *       interrupted throws {@link InterruptedException}; either way, if the owner had already taken its request,
 *       the request may still be applied (as in Go: the request was sent), and its reply is dropped.
 *   <li>If {@code fn} throws, the exception is rethrown in the caller and the owner carries on, with the state as
 *       {@code fn} left it.
 *   <li>Memory consistency effects: actions in a thread prior to {@code call} happen-before {@code fn} runs in the
 *       owner, which happens-before {@code call} returns.
 * </ul>
 *
 * <p>Where it differs from Go: one request type, a function, in place of Go's typed read and write ops; the reply
 * channel is made per call with room for one reply (Go's example uses an unbuffered one, which makes the owner wait
 * for a caller that may have left). Go's goroutine runs for ever; this owner has a context and a close.
 *
 * @param <S> the state's type
 */
public final class Stateful<S> implements AutoCloseable {

    /*
     * The owner loop: select over the requests channel, the close signal and ctx.done(). The requests channel is
     * unbuffered, so a request is either taken by the owner (then answered) or still with its caller, who selects
     * over "send the request", "the owner has ended" and its own ctx.done(). The owner closes `ended` in a finally
     * as the last thing it does (Stages.run), and it takes no request after it decided to end, so a caller whose
     * send did not happen sees `ended` and gets a named error instead of waiting for ever.
     */

    /** Thrown by {@link #call} when the owner has ended: closed, or its context ended (then that is the cause). */
    public static final class EndedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        EndedException(Throwable cause) {
            super("stateful: the owner has ended (" + (cause == null ? "closed" : "its context ended: " + cause.getMessage()) + ")", cause);
        }
    }

    private record Request<S, R>(Function<? super S, ? extends R> fn, Channel<Reply<R>> reply) {}

    /** The owner's answer: what fn returned, or what it threw. */
    private record Reply<R>(R value, RuntimeException failure) {}

    private final Context ctx;
    private final Channel<Request<S, ?>> requests = Channel.unbuffered();
    private final Channel<Void> closing = Channel.unbuffered();
    private final Channel<Void> ended = Channel.unbuffered();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread owner;

    private Stateful(Context ctx, Supplier<? extends S> initial) {
        this.ctx = ctx;
        this.owner = Stages.spawn("stateful", () -> {
            try {
                serve(initial.get());
            } finally {
                ended.close();
            }
        });
    }

    /**
     * Starts the owner thread, which creates the state with {@code initial} and serves calls until {@link #close()}
     * or the end of {@code ctx}.
     */
    public static <S> Stateful<S> start(Context ctx, Supplier<? extends S> initial) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(initial, "initial");
        return new Stateful<>(ctx, initial);
    }

    private void serve(S state) throws InterruptedException {
        ReceiveChannel<Void> stop = closing;
        for (;;) {
            if (ctx.isDone()) {
                return;
            }
            Request<S, ?> r = Select.select(requests.onReceive(req -> req),
                    stop.onReceiveOrClosed(x -> null), ctx.onDone(() -> null));
            if (r == null) {
                return;
            }
            answer(r, state);
        }
    }

    private static <S, R> void answer(Request<S, R> r, S state) {
        Reply<R> reply;
        try {
            reply = new Reply<>(r.fn().apply(state), null);
        } catch (RuntimeException e) {
            reply = new Reply<>(null, e);
        }
        r.reply().trySend(reply); // room for one: never waits for the caller
    }

    /**
     * Runs {@code fn} on the state, in the owner thread, and returns what it returned (which may be null). Must not
     * be called from {@code fn} itself: the owner would wait for itself.
     *
     * @throws EndedException       if the owner has ended before taking the request
     * @throws dev.gopatterns.context.ContextException if {@code ctx} (the caller's) is or becomes done first
     * @throws IllegalStateException if called from the owner thread ("stateful: call from its own owner")
     * @throws RuntimeException     whatever {@code fn} threw, rethrown
     */
    public <R> R call(Context ctx, Function<? super S, ? extends R> fn) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(fn, "fn");
        if (Thread.currentThread() == owner) {
            throw new IllegalStateException("stateful: call from its own owner (fn would wait for itself)");
        }
        ctx.throwIfDone();
        Channel<Reply<R>> reply = Channel.buffered(1);
        Request<S, R> request = new Request<>(fn, reply);
        int what = Select.select(requests.onSend(request, () -> 1),
                ended.onReceiveOrClosed(x -> 2), ctx.onDone(() -> 0));
        if (what == 2) {
            throw new EndedException(this.ctx.err().orElse(null));
        }
        if (what == 0) {
            ctx.throwIfDone();
        }
        // Taken: the owner answers before it can end, so `ended` need not be watched here.
        Reply<R> r = Select.select(reply.onReceive(x -> x), ctx.onDone(() -> null));
        if (r == null) {
            ctx.throwIfDone();
        }
        if (r.failure() != null) {
            throw r.failure();
        }
        return r.value();
    }

    /** Whether the owner has ended. */
    public boolean isEnded() {
        return ended.tryReceive() instanceof Received.Closed<Void>;
    }

    /**
     * Ends the owner and waits for its thread to end: a request it is running finishes first, and calls not yet
     * taken fail with {@link EndedException}. Idempotent. From {@code fn} (the owner thread) it does not wait.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closing.close();
        }
        if (Thread.currentThread() == owner) {
            return;
        }
        boolean interrupted = false;
        for (;;) {
            try {
                owner.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
