package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.context.InterruptScope;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.Policy;
import dev.gopatterns.resilience.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stages that call a user function per item ({@code map}, {@code filter}, {@code flatMap} and the parallel
 * forms): the four ways of spreading items over threads, the attempt loop (retries, timeouts, interrupts), and
 * what happens to an item's outcome.
 */
final class ApplyStage {

    /*
     * The four modes, in Go terms.
     *
     *   SERIAL       one goroutine: for v := range in { out <- f(v) }.
     *   UNORDERED    n goroutines ranging over the same input, all sending to one output, which the last of them
     *                to end closes (Stages.runShared's countdown, Go's wg.Wait(); close(out)).
     *   ORDERED      Go's channel-of-channels idiom. A dispatcher takes each item, makes it a slot with a
     *                1-buffered result channel, sends the slot to `order` (capacity n) and then to `work`. n
     *                workers fill slots (a send into a 1-buffered channel that only they write: never blocks). A
     *                collector takes slots from `order` in input order and waits for each one's result. `order`'s
     *                capacity bounds how far the workers can run ahead of the oldest unsent result: at most n slots
     *                queued plus the one the collector waits on. The first item to be slow holds back the ones
     *                after it, which is the price of order (and why unordered exists).
     *   PARTITIONED  a router sends each item to worker floorMod(key.hashCode(), n) over that worker's own
     *                unbuffered channel; each worker handles its keys one after another, so per-key order holds.
     *
     * Receiving. Every stage but the source reads a channel of this run, and every such channel is closed by its
 * writer when that writer ends, which every stage does when its context ends (its sends select on ctx.done()).
 * So a stage reads with a plain receive, as Go's stages range over their input, and checks its context after each
 * value (a value taken after the cancel is held, and so counted cancelled): one select per hand-off, on the send
 * side, instead of two. Only the source, reading a caller's channel that may never close, selects on its context.
 *
 * Who holds an ORDERED item (Execution's accounting): the dispatcher from receiving it until the slot is in
     * `order`; from then on the collector, when it takes the slot out, or finish(), which counts the slots left in
     * `order` as cancelled. A slot whose work could not be handed out (the run ended) is completed with CANCELLED
     * by the dispatcher, so the collector never waits for a result that cannot come.
     *
     * The attempt loop. Each call of the function runs inside the stage's InterruptScope, so a cancel of the
     * stage's context interrupts a function blocked in sleep, a lock, a channel or interruptible I/O; the scope's
     * entry translates that interrupt into the context's error and clears an interrupt that was not consumed. With
     * a timeout, each call instead gets its own child context and runs in Context.call, which does the same for the
     * child (ended by the timeout or by the stage). After a failure: if the stage's context has ended, the item is
     * cancelled (its failure is a consequence of the cancel, not news); an Error fails at once; else the Retry
     * decides, and the pause before the next attempt is a select over a timer on the context's clock and the
     * context's done channel.
     */

    /** What one item's function calls came to. */
    sealed interface Outcome permits Value, Failed, Cancelled {}

    record Value(Object result) implements Outcome {}

    record Failed(Throwable error, int attempts, List<Throwable> history) implements Outcome {
        Failed(Throwable error, int attempts) {
            this(error, attempts, List.of(error));
        }
    }

    enum Cancelled implements Outcome { CANCELLED }

    /** An ORDERED item in flight: the item and the channel its outcome will arrive on. */
    private record Slot(Object item, Channel<Outcome> result) {}

    private final Execution run;
    private final String name;
    private final StageSpec.Apply spec;
    private final Context ctx;
    private final InterruptScope scope;

    private ApplyStage(Execution run, String name, StageSpec.Apply spec, Context ctx) {
        this.run = run;
        this.name = name;
        this.spec = spec;
        this.ctx = ctx;
        this.scope = InterruptScope.of(ctx);
    }

    static void start(Execution run, String name, StageSpec.Apply spec, Context ctx, ReceiveChannel<Object> in,
                      Channel<Object> out, Execution.Tally tally) {
        ApplyStage stage = new ApplyStage(run, name, spec, ctx);
        run.atFinish(stage.scope::close);
        int n = spec.parallelism();
        switch (spec.mode()) {
            case SERIAL -> run.go(name, tally, "", c -> stage.work(c, in, out, true), out::close);
            case UNORDERED -> stage.startSharing(n, i -> in, true, out, tally);
            case ORDERED -> stage.startOrdered(n, in, out, tally);
            case PARTITIONED -> stage.startPartitioned(n, in, out, tally);
        }
    }

    /** Takes items from {@code in} (counting them in, if {@code counts}) and disposes of each one's outcome. */
    private void work(Execution.Counts c, ReceiveChannel<Object> in, SendChannel<Object> out, boolean counts)
            throws InterruptedException {
        while (in.receiveOrClosed() instanceof Received.Value<Object>(Object item)) {
            if (counts) {
                c.take();
            } else {
                c.held++; // handed over by the router, which counted it in
            }
            if (ctx.isDone() || !dispose(c, item, attempt(c, item), out)) {
                return;
            }
        }
    }

    private void startOrdered(int n, ReceiveChannel<Object> in, Channel<Object> out, Execution.Tally tally) {
        Channel<Slot> order = Channel.buffered(n);
        Channel<Slot> work = Channel.unbuffered();
        run.atFinish(() -> {
            while (order.tryReceive() instanceof Received.Value<Slot>) {
                tally.unfinished(); // counted in by the dispatcher, never collected
            }
        });
        run.go(name, tally, "-dispatch", c -> {
            while (in.receiveOrClosed() instanceof Received.Value<Object>(Object item)) {
                c.take();
                if (ctx.isDone()) {
                    return;
                }
                Slot slot = new Slot(item, Channel.buffered(1));
                if (!Stages.send(ctx, order, slot)) {
                    return;
                }
                c.held--; // the slot is in `order`: the collector's, or finish()'s
                if (!Stages.send(ctx, work, slot)) {
                    slot.result().trySend(Cancelled.CANCELLED);
                    return;
                }
            }
        }, () -> {
            order.close();
            work.close();
        });
        for (int i = 0; i < n; i++) {
            run.go(name, tally, "-" + i, c -> {
                while (work.receiveOrClosed() instanceof Received.Value<Slot>(Slot slot)) {
                    Outcome o = Cancelled.CANCELLED; // if attempt throws (an outside interrupt), the slot still fills
                    try {
                        o = attempt(c, slot.item());
                    } finally {
                        slot.result().trySend(o);
                    }
                }
            }, () -> { }); // the workers own nothing: `work` and `order` are the dispatcher's to close
        }
        run.go(name, tally, "-collect", c -> {
            while (order.receiveOrClosed() instanceof Received.Value<Slot>(Slot slot)) {
                c.held++;
                // every slot in `order` is filled: by a worker, or by the dispatcher with CANCELLED
                if (ctx.isDone() || !(slot.result().receiveOrClosed() instanceof Received.Value<Outcome>(Outcome o))
                        || !dispose(c, slot.item(), o, out)) {
                    return;
                }
            }
        }, out::close);
    }

    private void startPartitioned(int n, ReceiveChannel<Object> in, Channel<Object> out, Execution.Tally tally) {
        List<Channel<Object>> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(Channel.unbuffered());
        }
        run.go(name, tally, "-route", c -> {
            while (in.receiveOrClosed() instanceof Received.Value<Object>(Object item)) {
                c.take();
                if (ctx.isDone()) {
                    return;
                }
                int p;
                try {
                    p = Math.floorMod(Objects.hashCode(spec.key().apply(item)), n);
                } catch (RuntimeException e) {
                    if (!dispose(c, item, new Failed(e, 1), out)) {
                        return;
                    }
                    continue;
                }
                if (!Stages.send(ctx, parts.get(p), item)) {
                    return;
                }
                c.held--; // the worker's now
            }
        }, () -> parts.forEach(Channel::close));
        startSharing(n, parts::get, false, out, tally);
    }

    /**
     * Starts {@code n} workers, worker {@code i} reading {@code input(i)}, all sending to {@code out}, which the last
     * of them to end closes (Go's {@code wg.Wait(); close(out)}, as a countdown).
     */
    private void startSharing(int n, java.util.function.IntFunction<ReceiveChannel<Object>> input, boolean counts,
                              Channel<Object> out, Execution.Tally tally) {
        AtomicInteger running = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            ReceiveChannel<Object> in = input.apply(i);
            run.go(name, tally, "-" + i, c -> work(c, in, out, counts), () -> {
                if (running.decrementAndGet() == 0) {
                    out.close();
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------------ one item

    /** Calls the function for {@code item} until it succeeds, fails for good, or the stage's context ends. */
    Outcome attempt(Execution.Counts c, Object item) throws InterruptedException {
        Retry.Attempts attempts = spec.retry().begin(ctx);
        while (true) {
            Throwable error;
            try {
                Object r = callOnce(item);
                if (r != null) {
                    attempts.succeeded();
                    return new Value(r);
                }
                // A pipeline carries no nulls: a bug of the function, never retried.
                Throwable npe = new NullPointerException("stage '" + name + "' returned null for " + item);
                attempts.failedForGood(npe);
                return new Failed(npe, attempts.attempt(), List.copyOf(attempts.errors()));
            } catch (Throwable t) {
                error = t;
            }
            switch (attempts.failed(error)) {
                case Retry.Decision.RetryAfter(Duration delay) -> {
                    c.addRetry();
                    if (!attempts.pause(delay)) {
                        return Cancelled.CANCELLED;
                    }
                }
                case Retry.Decision.GiveUp(Retry.GiveUpReason reason, Throwable last) -> {
                    return reason == Retry.GiveUpReason.CANCELLED ? Cancelled.CANCELLED
                            : new Failed(last, attempts.attempt(), List.copyOf(attempts.errors()));
                }
            }
        }
    }

    private Object callOnce(Object item) throws Throwable {
        Policy around = spec.around();
        if (around == Policy.none()) {
            return callOnce(ctx, item);
        }
        return around.call(ctx, c -> {
            try {
                return callOnce(c, item);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.lang.reflect.UndeclaredThrowableException(t);
            }
        });
    }

    /** One call of the function, under the stage's interrupt scope or, with a timeout, in its own context. */
    private Object callOnce(Context ctx, Object item) throws Throwable {
        Duration timeout = spec.timeout();
        if (timeout == null) {
            InterruptScope.Entry entry = scope.enter();
            try {
                return spec.fn().apply(ctx, item);
            } catch (Throwable t) {
                throw entry.translate(t);
            } finally {
                entry.close();
            }
        }
        try (CancellableContext itemCtx = Context.withTimeout(ctx, timeout)) {
            return Context.call(itemCtx, () -> spec.fn().apply(itemCtx, item));
        }
    }


    /**
     * Sends what {@code outcome} calls for and settles the item held.
     *
     * @return whether the thread should go on taking items
     */
    private boolean dispose(Execution.Counts c, Object item, Outcome outcome, SendChannel<Object> out)
            throws InterruptedException {
        switch (outcome) {
            case Value(Object r) -> {
                switch (spec.shape()) {
                    case ONE -> {
                        if (!Stages.send(ctx, out, r)) {
                            return false;
                        }
                        c.addOut(1);
                    }
                    case FILTER -> {
                        if (!Boolean.TRUE.equals(r)) {
                            c.addDropped();
                            c.held--;
                            return true;
                        }
                        if (!Stages.send(ctx, out, item)) {
                            return false;
                        }
                        c.addOut(1);
                    }
                    case MANY -> {
                        try {
                            for (Object e : (Iterable<?>) r) {
                                if (!Stages.send(ctx, out, Objects.requireNonNull(e,
                                        "a pipeline carries no null values"))) {
                                    return false;
                                }
                                c.addOut(1);
                            }
                        } catch (RuntimeException e) { // the result's iterator threw: the item failed midway
                            return dispose(c, item, new Failed(e, 1), out);
                        }
                    }
                }
                c.addPassed(1);
                c.held--;
                return true;
            }
            case Failed(Throwable error, int attempts, List<Throwable> history) -> {
                c.held--;
                Failure failure = new Failure(name, item, error, attempts);
                ErrorPolicy policy = error instanceof Error ? ErrorPolicy.FAIL_FAST : spec.policy();
                switch (policy) {
                    case SKIP -> {
                        c.addSkipped();
                        return true;
                    }
                    case REPORT -> {
                        c.addFailed();
                        return Stages.send(ctx, run.errors(), failure);
                    }
                    case FAIL_FAST -> {
                        c.addFailed();
                        run.fail(failure);
                        return false;
                    }
                    case DEAD_LETTER -> {
                        c.addFailed();
                        DeadLetter<Object> letter = new DeadLetter<>(name, item, history, attempts,
                                ctx.clock().nanoTime());
                        try {
                            spec.deadLetters().add(ctx, letter);
                            return true;
                        } catch (ContextException cancelled) {
                            return false; // the run was cancelled while the queue was full: counted failed
                        }
                    }
                }
                throw new AssertionError(policy);
            }
            case Cancelled ignored -> {
                return false; // still held: counted cancelled when the thread ends
            }
        }
    }
}
