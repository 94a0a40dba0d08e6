package dev.gopatterns.batch;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.metrics.ValueRecorder;
import dev.gopatterns.sync.Semaphore;
import dev.gopatterns.sync.WaitGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Dynamic batching with a result per caller: many callers each {@link #call} with one item and wait; the batcher
 * gathers their items into batches, runs one {@link BatchFunction} call per batch, and hands each caller its own
 * result. A batch is sent when it holds {@code maxSize} items or when its oldest item has waited {@code maxWait}
 * (on the batcher's clock), whichever comes first; with a {@linkplain Builder#key key}, items are batched per key,
 * each key's batch with its own size and age. At most {@code concurrency} batches run at once; while they all do,
 * full batches wait and callers feel the back-pressure.
 *
 * <pre>{@code
 * try (Batcher<Long, User> users = Batcher.builder((ctx, ids) -> db.usersByIds(ctx, ids))  // one query per batch
 *         .maxSize(100).maxWait(Duration.ofMillis(5)).build()) {
 *     User u = users.call(ctx, 42L);   // from any number of threads: each gets its own user
 * }
 * }</pre>
 *
 * <p>The batch function gets the items in arrival order (per key) and returns one result per item, in the same
 * order; a list of another length fails every caller of that batch with an {@link IllegalStateException} naming
 * the rule. If it throws, every caller of the batch gets a {@link BatchFailedException} of its own with the
 * batch's exception as the cause. A batch runs under the batcher's context, not any caller's (callers with
 * different contexts share it): a caller whose context ends stops waiting and throws its context's error, and its
 * item, if already taken into a batch, is still processed, its result discarded, as in Go.
 *
 * <p>{@link #close()} stops taking items (a later call throws {@link IllegalStateException}), sends what is
 * pending as final batches, and waits until every batch has run and every caller waiting has its result: nothing
 * accepted is lost. The batcher's context ending (its {@linkplain Builder#parent parent}) fails the waiting callers
 * with that context's error instead.
 *
 * <p>Go equivalent: a goroutine that ranges over a request channel, appends to a slice, and flushes on
 * {@code len(batch) == max} or on a {@code time.Timer} started with the first item; each request carries a
 * {@code chan result} of capacity 1 for its answer:
 * <pre>{@code
 * for {
 *     select {
 *     case r := <-reqs:   batch = append(batch, r); if len(batch) == 1 { timer.Reset(maxWait) }; if len(batch) == max { flush() }
 *     case <-timer.C:     flush()
 *     }
 * }
 * }</pre>
 *
 * <p>Memory consistency effects: actions in a caller prior to {@code call} happen-before the batch function's
 * actions on that item, and the batch function's actions happen-before the caller's return from {@code call}.
 *
 * @param <T> the items' type
 * @param <R> the results' type
 */
public final class Batcher<T, R> implements AutoCloseable, Metered {
    /*
     * One dispatcher thread owns the pending batches (no lock: nobody else touches them). It selects over the
     * request channel and one timer, set for the oldest pending item's deadline over all keys. A request that
     * fills a batch flushes it at once; the timer flushes every batch whose oldest item is due. A flush takes one
     * unit of the in-flight semaphore (the dispatcher waits for it: back-pressure) and starts a runner thread that
     * calls the function and replies to each request on its own channel of capacity 1, so a runner never blocks
     * on a caller that stopped waiting. close() closes the request channel; the dispatcher flushes everything
     * left and ends; close() then waits for the runners (WaitGroup).
     *
     * Closing races a call's send: the send is a select over the request channel and the call's context; a send
     * that loses to close() gets ChannelClosedException and is refused with "batcher closed", so every request
     * the dispatcher received gets a reply, and no other request was accepted. A call that read `closed` as false
     * just before close() may build its select only after close() has run to the end, the batcher's context ended
     * too: the select then finds the closed channel and the done context both ready, and may fire either. The
     * context case is refused as closed as well (closed is set before the context ends), so a call racing close()
     * never reports the batcher's context. jcstress: Batch_02_CloseRacingCall.
     */

    /** Runs one batch: one result per item, in the items' order. */
    @FunctionalInterface
    public interface BatchFunction<T, R> {
        List<R> apply(Context ctx, List<T> batch) throws Exception;
    }

    /**
     * What the batcher has done so far ({@code items} sent in {@code batches}, by why each was sent, and how many
     * batches failed), and the items it holds now, received but not yet in a batch that was sent.
     */
    public record Metrics(long items, long batches, long flushedFull, long flushedOnTime, long flushedOnClose,
                          long failedBatches, int pending) {
        /** The mean batch size; 0 before the first batch. */
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) items / batches;
        }
    }

    private sealed interface Reply<R> {
        record Value<R>(R value) implements Reply<R> {}

        record Failed<R>(Exception error) implements Reply<R> {}
    }

    private record Request<T, R>(T item, Object key, Channel<Reply<R>> reply) {}

    private static final Object NO_KEY = new Object();

    private final String name;
    private final BatchFunction<T, R> fn;
    private final int maxSize;
    private final long maxWaitNanos;
    private final Function<? super T, ?> key;
    private final Clock clock;
    private final CancellableContext ctx;
    private final ThreadFactory threads;
    private final Semaphore inFlight;
    private final WaitGroup running = new WaitGroup();
    private final Channel<Request<T, R>> requests = Channel.make(0);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean requestsClosed = new AtomicBoolean();
    private final Thread dispatcher;
    private final LongAdder items = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder flushedFull = new LongAdder();
    private final LongAdder flushedOnTime = new LongAdder();
    private final LongAdder flushedOnClose = new LongAdder();
    private final ValueRecorder sizes = new ValueRecorder();
    private final ValueRecorder waits = new ValueRecorder();
    private final LongAdder failedBatches = new LongAdder();
    /** Items received and not yet sent in a batch (written by the dispatcher only). */
    private final AtomicInteger pendingItems = new AtomicInteger();

    private Batcher(Builder<T, R> b) {
        this.name = b.name;
        this.fn = b.fn;
        this.maxSize = b.maxSize;
        this.maxWaitNanos = b.maxWait.toNanos();
        this.key = b.key;
        this.ctx = Context.withCancel(b.parent);
        this.clock = ctx.clock();
        this.threads = Thread.ofVirtual().name(name + "-batch-", 1).factory();
        this.inFlight = new Semaphore(b.concurrency);
        running.add(1);
        this.dispatcher = Thread.ofVirtual().name(name + "-dispatcher").unstarted(this::dispatch);
        dispatcher.start();
    }

    /** A builder for a batcher that runs {@code fn} once per batch. */
    public static <T, R> Builder<T, R> builder(BatchFunction<T, R> fn) {
        return new Builder<>(Objects.requireNonNull(fn, "fn"));
    }

    /**
     * Adds {@code item} to the next batch (of its key) and waits for its result.
     *
     * @return the batch function's result for this item
     * @throws BatchFailedException if the batch function threw (the cause), or broke the one-result-per-item rule
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ended first (the item may still be processed),
     *     or the batcher's own context ended before the item's batch ran
     * @throws IllegalStateException if the batcher is closed
     * @throws InterruptedException if interrupted while waiting (the item may still be processed)
     */
    public R call(Context ctx, T item) throws Exception {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(item, "item");
        Object k = key == null ? NO_KEY : Objects.requireNonNull(key.apply(item), "a batch key must not be null");
        Channel<Reply<R>> reply = Channel.make(1);
        ctx.throwIfDone();
        if (closed.get()) {
            throw closedError();
        }
        try {
            boolean sent = Select.select(requests.onSend(new Request<>(item, k, reply), () -> true),
                    ctx.onDone(() -> false), this.ctx.onDone(() -> false));
            if (!sent) {
                ctx.throwIfDone();
                if (closed.get()) {
                    // close() ran to the end, the batcher's context ended last, before this select was built:
                    // it found that context and the closed request channel both ready, and picked the context.
                    throw closedError();
                }
                this.ctx.throwIfDone();
            }
        } catch (dev.gopatterns.chan.ChannelClosedException lostToClose) {
            throw closedError();
        }
        Reply<R> r = Select.select(reply.onReceive(v -> v), ctx.onDone(() -> null));
        if (r == null) {
            throw ctx.err().orElseThrow();
        }
        switch (r) {
            case Reply.Value<R>(R value) -> {
                return value;
            }
            case Reply.Failed<R>(Exception e) -> throw e;
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("batcher '" + name + "' is closed: it takes no more items");
    }

    /** The counts so far. */
    public Metrics metrics() {
        return new Metrics(items.sum(), batches.sum(), flushedFull.sum(), flushedOnTime.sum(), flushedOnClose.sum(),
                failedBatches.sum(), pendingItems.get());
    }

    /**
     * The batcher in the project's one metrics vocabulary, the component {@code "batcher"}: the counters
     * {@code items}, {@code batches}, {@code flushed.full}, {@code flushed.on_time}, {@code flushed.on_close} and
     * {@code batches.failed}, the gauge {@code pending}, the distribution {@code batch.size} (items per batch sent)
     * and the timer {@code batch.wait} (how long each batch's oldest item waited before the batch was sent, so at
     * most about {@code maxWait} plus the wait for a free runner). Each is read on its own.
     */
    @Override
    public Snapshot snapshot() {
        Metrics m = metrics();
        return Snapshot.of("batcher").counter("items", m.items()).counter("batches", m.batches())
                .counter("flushed.full", m.flushedFull()).counter("flushed.on_time", m.flushedOnTime())
                .counter("flushed.on_close", m.flushedOnClose()).counter("batches.failed", m.failedBatches())
                .gauge("pending", m.pending()).distribution("batch.size", sizes.percentiles())
                .timer("batch.wait", waits.latency()).build();
    }

    /**
     * Stops taking items, sends the pending ones as final batches, and waits until every batch has run and replied.
     * Idempotent. If interrupted while waiting, it cancels the batcher's context (the batches still running see it
     * end, the callers waiting get its error), waits on, and re-asserts the interrupt.
     */
    @Override
    public void close() {
        closed.set(true);
        closeRequests();
        boolean interrupted = false;
        while (true) {
            try {
                running.await();
                dispatcher.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                ctx.cancel();
            }
        }
        ctx.cancel();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Batcher[" + name + ", maxSize " + maxSize + ", maxWait " + Duration.ofNanos(maxWaitNanos) + "]";
    }

    // -------------------------------------------------------------------------------------------- dispatcher

    /** A key's pending batch: its requests in arrival order, and when the oldest arrived. */
    private static final class Pending<T, R> {
        final List<Request<T, R>> requests = new ArrayList<>();
        long firstAtNanos;
    }

    private enum Flush { FULL, ON_TIME, ON_CLOSE }

    private void dispatch() {
        Map<Object, Pending<T, R>> pending = new LinkedHashMap<>();
        try {
            while (true) {
                long due = Long.MAX_VALUE;
                for (Pending<T, R> p : pending.values()) {
                    due = Math.min(due, p.firstAtNanos + maxWaitNanos);
                }
                List<SelectCase<Object>> cases = new ArrayList<>(3);
                cases.add(requests.onReceiveOrClosed(r -> r));
                cases.add(ctx.onDone(() -> ctx));
                if (due != Long.MAX_VALUE) {
                    long in = Math.max(0, due - clock.nanoTime());
                    cases.add(Select.after(Duration.ofNanos(in), clock, () -> Flush.ON_TIME));
                }
                Object fired = Select.select(cases);
                if (fired == ctx) {
                    failAll(pending, ctx.err().orElseThrow());
                    return;
                }
                if (fired == Flush.ON_TIME) {
                    long now = clock.nanoTime();
                    for (Iterator<Pending<T, R>> it = pending.values().iterator(); it.hasNext(); ) {
                        Pending<T, R> p = it.next();
                        if (now - (p.firstAtNanos + maxWaitNanos) >= 0) {
                            it.remove();
                            if (!flush(p.requests, p.firstAtNanos, Flush.ON_TIME)) {
                                failAll(pending, ctx.err().orElseThrow());
                                return;
                            }
                        }
                    }
                    continue;
                }
                @SuppressWarnings("unchecked")
                Received<Request<T, R>> received = (Received<Request<T, R>>) fired;
                switch (received) {
                    case Received.Value<Request<T, R>>(Request<T, R> r) -> {
                        Pending<T, R> p = pending.computeIfAbsent(r.key(), k -> new Pending<>());
                        if (p.requests.isEmpty()) {
                            p.firstAtNanos = clock.nanoTime();
                        }
                        p.requests.add(r);
                        pendingItems.incrementAndGet();
                        if (p.requests.size() == maxSize) {
                            pending.remove(r.key());
                            if (!flush(p.requests, p.firstAtNanos, Flush.FULL)) {
                                failAll(pending, ctx.err().orElseThrow());
                                return;
                            }
                        }
                    }
                    case Received.Closed<Request<T, R>>() -> {
                        for (Iterator<Pending<T, R>> it = pending.values().iterator(); it.hasNext(); ) {
                            Pending<T, R> p = it.next();
                            it.remove();
                            if (!flush(p.requests, p.firstAtNanos, Flush.ON_CLOSE)) { // it failed this batch: fail the rest
                                failAll(pending, ctx.err().orElseThrow());
                                return;
                            }
                        }
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // Nobody interrupts the dispatcher but the JVM's end: fail what is pending rather than lose it.
            failAll(pending, e);
        } finally {
            running.done();
        }
    }

    /**
     * Starts a runner for one batch once fewer than {@code concurrency} run; false, with the batch failed, if the
     * batcher's context ended while it waited.
     */
    private boolean flush(List<Request<T, R>> batch, long firstAtNanos, Flush why) throws InterruptedException {
        pendingItems.addAndGet(-batch.size());
        boolean admitted = Select.select(inFlight.onAcquire(1, () -> true), ctx.onDone(() -> false));
        if (!admitted) {
            fail(batch, ctx.err().orElseThrow());
            return false;
        }
        (switch (why) {
            case FULL -> flushedFull;
            case ON_TIME -> flushedOnTime;
            case ON_CLOSE -> flushedOnClose;
        }).increment();
        batches.increment();
        items.add(batch.size());
        sizes.record(batch.size()); // with the counts: a batch refused above is in neither
        waits.recordNanos(clock.nanoTime() - firstAtNanos); // the wait for a free runner included, as documented
        running.add(1);
        try {
            threads.newThread(() -> run(batch)).start();
        } catch (RuntimeException | Error e) { // no thread: the batch fails, the batcher goes on
            inFlight.release(1);
            running.done();
            fail(batch, e);
        }
        return true;
    }

    private void run(List<Request<T, R>> batch) {
        try {
            List<T> in = new ArrayList<>(batch.size());
            for (Request<T, R> r : batch) {
                in.add(r.item());
            }
            List<R> out;
            try {
                out = fn.apply(ctx, List.copyOf(in));
            } catch (Exception | Error e) {
                failedBatches.increment();
                fail(batch, e);
                if (e instanceof Error err) {
                    throw err; // to the runner's uncaught-exception handler, after every caller has its answer
                }
                return;
            }
            if (out == null || out.size() != batch.size()) {
                failedBatches.increment();
                fail(batch, new IllegalStateException("batcher '" + name + "': the batch function must return one"
                        + " result per item, in order: " + batch.size() + " items, "
                        + (out == null ? "null" : out.size() + " results")));
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).reply().trySend(new Reply.Value<>(out.get(i)));
            }
        } finally {
            inFlight.release(1);
            running.done();
        }
    }

    /** Each caller of {@code batch} gets its own {@link BatchFailedException} caused by {@code error}. */
    private void fail(List<Request<T, R>> batch, Throwable error) {
        for (Request<T, R> r : batch) {
            Exception mine = error instanceof dev.gopatterns.context.ContextException ce ? ce
                    : new BatchFailedException(name, batch.size(), error);
            r.reply().trySend(new Reply.Failed<>(mine));
        }
    }

    private void failAll(Map<Object, Pending<T, R>> pending, Throwable error) {
        for (Pending<T, R> p : pending.values()) {
            pendingItems.addAndGet(-p.requests.size());
            fail(p.requests, error);
        }
        pending.clear();
        closeRequests(); // requests still arriving are refused, so no sender is left hanging
    }

    /** Closes the request channel once, from close() or from the dispatcher, whichever comes first. */
    private void closeRequests() {
        if (requestsClosed.compareAndSet(false, true)) {
            requests.close();
        }
    }

    // --------------------------------------------------------------------------------------------- builder

    /** How a batcher gathers items. */
    public static final class Builder<T, R> {
        private final BatchFunction<T, R> fn;
        private String name = "batcher";
        private int maxSize = 100;
        private Duration maxWait = Duration.ofMillis(10);
        private int concurrency = 1;
        private Function<? super T, ?> key;
        private Context parent = Context.background();

        private Builder(BatchFunction<T, R> fn) {
            this.fn = fn;
        }

        /** A name for threads and messages; default "batcher". */
        public Builder<T, R> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The most items in a batch, {@code >= 1} (default 100): a batch this full is sent at once. */
        public Builder<T, R> maxSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batcher: maxSize must be >= 1, was " + n);
            }
            this.maxSize = n;
            return this;
        }

        /** How long the oldest item of a batch may wait before the batch is sent, {@code > 0} (default 10 ms). */
        public Builder<T, R> maxWait(Duration d) {
            Objects.requireNonNull(d, "maxWait");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("batcher: maxWait must be > 0, was " + d);
            }
            this.maxWait = d;
            return this;
        }

        /** How many batches may run at once, {@code >= 1} (default 1). */
        public Builder<T, R> concurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batcher: concurrency must be >= 1, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Batches items per key: a batch holds items of one key only (equal by {@code equals}). */
        public Builder<T, R> key(Function<? super T, ?> key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * The batcher's context (default {@code Context.background()}): its clock times {@code maxWait}, the batch
         * function runs under it, and when it ends the batcher fails its waiting callers and takes no more items.
         */
        public Builder<T, R> parent(Context parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /** Starts the batcher's dispatcher thread. */
        public Batcher<T, R> build() {
            return new Batcher<>(this);
        }
    }
}
