package dev.gopatterns.pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.SelectCase;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Snapshot;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.time.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One run of a {@link Pipeline}: the threads, channels and contexts of its stages, and the accounting that proves
 * nothing was lost.
 */
final class Execution {

    /*
     * The wiring. Stage i reads outs[i-1] and writes outs[i] (capacity: its buffer), so the channels are the only
     * buffers. Every stage thread is started by go(), which counts it in `live` (starting at 1 for the launcher, so
     * the count cannot reach zero while stages are still being started); the thread that brings `live` to zero runs
     * finish(), exactly once, after every stage thread has ended.
     *
     * Contexts. `root` is a child of the caller's context; a FAIL_FAST failure and Run.cancel() cancel it. A take
     * stage must be able to stop the stages before it without stopping itself or the ones after it, so each take
     * gets a child context that it cancels when it has its n items, and the stages before it run under that child.
     * Walking the stages from the last to the first: ctx = root; at a take, stages before it get withCancel(ctx).
     * finish() cancels root last, releasing every context of the run (Go's defer cancel()).
     *
     * Accounting. Each thread counts into its own Counts (plain fields: no sharing, no atomics per item) and adds
     * them to its stage's total when it ends. `held` is the number of items the thread is responsible for and has not
     * yet disposed of: incremented when it takes an item, decremented when the item is passed on, dropped, failed,
     * skipped, or handed to another thread of the same stage (which then holds it). A thread that ends for any
     * reason, a cancelled context, an interrupt, a bug, counts what it still holds as cancelled. So no item can
     * leave the books unseen; finish() then takes out the values left in the channels between stages and counts
     * them received and cancelled by the stage they were waiting for, and Summary.checkBalanced() can check both
     * rules.
     *
     * With a terminal call's sink, draining the output in the caller's thread after the stages have ended, root is
     * released by the sink when it is done instead: until then root is done only if the run was stopped, so the
     * sink can use it for its own sends (to(ctx, channel)).
     *
     * The end. finish() decides whether the run was cut short: root was done before every thread ended (the caller's
     * context, a failure, or cancel()), and the source had not run out or something was cancelled. The terminal
     * calls then throw (PipelineException for a failure, else the context's error); a run that completed returns its
     * Summary even if the caller cancels an instant later.
     */

    /** A stage thread's body. */
    @FunctionalInterface
    interface Body {
        void run(Counts c) throws InterruptedException;
    }

    /**
     * One thread's counts; written only by that thread. The counted fields are written with opaque stores (a plain
     * store that the JIT may not drop or keep in a register), so a live {@link Tally#live()} reads them, one by one,
     * while the thread runs; the thread itself reads them plainly. {@code held} is the thread's alone.
     */
    static final class Counts {
        private static final VarHandle IN;
        private static final VarHandle OUT;
        private static final VarHandle PASSED;
        private static final VarHandle DROPPED;
        private static final VarHandle FAILED;
        private static final VarHandle SKIPPED;
        private static final VarHandle RETRIES;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                IN = l.findVarHandle(Counts.class, "in", long.class);
                OUT = l.findVarHandle(Counts.class, "out", long.class);
                PASSED = l.findVarHandle(Counts.class, "passed", long.class);
                DROPPED = l.findVarHandle(Counts.class, "dropped", long.class);
                FAILED = l.findVarHandle(Counts.class, "failed", long.class);
                SKIPPED = l.findVarHandle(Counts.class, "skipped", long.class);
                RETRIES = l.findVarHandle(Counts.class, "retries", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long in;
        long out;
        long passed;
        long dropped;
        long failed;
        long skipped;
        long retries;
        /** Items this thread took and has not disposed of; whatever it still holds when it ends is cancelled. */
        long held;

        /** Takes responsibility for a received item. */
        void take() {
            IN.setOpaque(this, in + 1);
            held++;
        }

        /** The item held was sent on. */
        void pass() {
            OUT.setOpaque(this, out + 1);
            PASSED.setOpaque(this, passed + 1);
            held--;
        }

        void addOut(long n) {
            OUT.setOpaque(this, out + n);
        }

        void addPassed(long n) {
            PASSED.setOpaque(this, passed + n);
        }

        void addDropped() {
            DROPPED.setOpaque(this, dropped + 1);
        }

        void addFailed() {
            FAILED.setOpaque(this, failed + 1);
        }

        void addSkipped() {
            SKIPPED.setOpaque(this, skipped + 1);
        }

        void addRetry() {
            RETRIES.setOpaque(this, retries + 1);
        }

        /** Adds what this thread has counted so far into {@code t}, read from another thread. */
        void readInto(long[] t) {
            t[0] += (long) IN.getOpaque(this);
            t[1] += (long) OUT.getOpaque(this);
            t[2] += (long) PASSED.getOpaque(this);
            t[3] += (long) DROPPED.getOpaque(this);
            t[4] += (long) FAILED.getOpaque(this);
            t[5] += (long) SKIPPED.getOpaque(this);
            t[6] += (long) RETRIES.getOpaque(this);
        }
    }

    /** A stage's totals, added to by each of its threads as it ends. */
    static final class Tally {
        private final String name;
        private long in;
        private long out;
        private long passed;
        private long dropped;
        private long failed;
        private long skipped;
        private long cancelled;
        private long retries;
        /** The counts of this stage's threads that run now: in the live view, not yet in the totals. */
        private final List<Counts> running = new ArrayList<>(1);

        Tally(String name) {
            this.name = name;
        }

        /** A thread of this stage starts, counting into {@code c}. */
        synchronized void enter(Counts c) {
            running.add(c);
        }

        /**
         * The stage's counts now: the totals of its ended threads, plus what its running threads have counted so
         * far (each counter read on its own, so a stage may not balance in a live view; it does once the run ends).
         */
        synchronized Summary.Stage live() {
            long[] t = {in, out, passed, dropped, failed, skipped, retries};
            for (Counts c : running) {
                c.readInto(t);
            }
            return new Summary.Stage(name, t[0], t[1], t[2], t[3], t[4], t[5], cancelled, t[6]);
        }

        synchronized void add(Counts c) {
            running.remove(c);
            in += c.in;
            out += c.out;
            passed += c.passed;
            dropped += c.dropped;
            failed += c.failed;
            skipped += c.skipped;
            cancelled += c.held;
            retries += c.retries;
        }

        /** A value left in the channel before this stage: received now, and cancelled. */
        synchronized void leftover() {
            in++;
            cancelled++;
        }

        /** An item this stage received and left inside itself (in a queue between its threads): cancelled. */
        synchronized void unfinished() {
            cancelled++;
        }

        synchronized Summary.Stage snapshot() {
            return new Summary.Stage(name, in, out, passed, dropped, failed, skipped, cancelled, retries);
        }
    }

    private final Context parent;
    /** Whether a terminal call drains the output in the caller's thread; then it, not finish(), releases root. */
    private final boolean withSink;
    private final CancellableContext root;
    private final List<StageSpec> specs;
    private final Tally[] tallies;
    private final String[] metricKeys;
    private final List<Channel<Object>> outs = new ArrayList<>();
    private final Channel<Failure> errors = Channel.unbuffered();
    private final Channel<Void> done = Channel.unbuffered();
    private final AtomicInteger live = new AtomicInteger(1);
    private final AtomicReference<Failure> firstFailure = new AtomicReference<>();
    /** Run by finish(); filled by the launching thread before `live` can reach zero. */
    private final List<Runnable> atFinish = new ArrayList<>();

    /** Set by the source's thread when its input ran out by itself. */
    private volatile boolean sourceExhausted;
    /** Set by finish() before it cancels root, if root was not done already: root's end is then not a stop. */
    private volatile boolean released;
    // Written by finish() before `done` is closed; read after receiving from `done` (happens-before).
    private Summary summary;
    private boolean cutShort;

    private Execution(Context parent, List<StageSpec> specs, boolean withSink) {
        this.parent = parent;
        this.withSink = withSink;
        this.root = Context.withCancelCause(parent);
        this.specs = specs;
        this.tallies = new Tally[specs.size()];
        this.metricKeys = metricKeys(specs);
        for (int i = 0; i < specs.size(); i++) {
            tallies[i] = new Tally(specs.get(i).name());
            outs.add(Channel.make(specs.get(i).buffer()));
        }
    }

    static <T> Run<T> start(Context ctx, List<StageSpec> specs, boolean withSink) {
        Objects.requireNonNull(ctx, "ctx");
        Execution e = new Execution(ctx, specs, withSink);
        e.launch();
        return new Run<>(e);
    }

    private void launch() {
        Context[] ctxs = new Context[specs.size()];
        CancellableContext[] upstream = new CancellableContext[specs.size()];
        Context ctx = root;
        for (int i = specs.size() - 1; i >= 0; i--) {
            ctxs[i] = ctx;
            if (specs.get(i).kind() instanceof StageSpec.Take) {
                upstream[i] = Context.withCancel(ctx);
                ctx = upstream[i];
            }
        }
        try {
            for (int i = 0; i < specs.size(); i++) {
                ReceiveChannel<Object> in = i == 0 ? null : outs.get(i - 1);
                startStage(i, ctxs[i], upstream[i], in, outs.get(i));
            }
        } catch (Throwable t) {
            root.cancel(t);
            throw t;
        } finally {
            if (live.decrementAndGet() == 0) {
                finish();
            }
        }
    }

    private void startStage(int i, Context ctx, CancellableContext upstream, ReceiveChannel<Object> in,
                            Channel<Object> out) {
        StageSpec spec = specs.get(i);
        Tally tally = tallies[i];
        switch (spec.kind()) {
            case StageSpec.FromIterable(Iterable<?> values) -> go(spec, tally, "", c -> {
                Iterator<?> it = values.iterator();
                while (it.hasNext()) {
                    Object v = Objects.requireNonNull(it.next(), "a pipeline carries no null values");
                    c.take();
                    if (!Stages.send(ctx, out, v)) {
                        return;
                    }
                    c.pass();
                }
                sourceExhausted = true;
            }, out::close);
            case StageSpec.FromChannel(ReceiveChannel<?> channel) -> go(spec, tally, "", c -> {
                while (Stages.<Object>receive(ctx, channel) instanceof Received.Value<Object>(Object v)) {
                    c.take();
                    if (!Stages.send(ctx, out, v)) {
                        return;
                    }
                    c.pass();
                }
                if (!ctx.isDone()) {
                    sourceExhausted = true;
                }
            }, out::close);
            case StageSpec.Generate(Pipeline.Source<?> source) -> go(spec, tally, "", c -> {
                @SuppressWarnings("unchecked")
                Pipeline.Source<Object> s = (Pipeline.Source<Object>) source;
                try {
                    s.run(ctx, v -> {
                        Objects.requireNonNull(v, "a pipeline carries no null values");
                        c.take();
                        if (!Stages.send(ctx, out, v)) {
                            return false;
                        }
                        c.pass();
                        return true;
                    });
                    if (!ctx.isDone()) {
                        sourceExhausted = true;
                    }
                } catch (InterruptedException | RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    if (!ctx.isDone()) {
                        fail(new Failure(spec.name(), null, e, 1));
                    }
                }
            }, out::close);
            case StageSpec.Apply apply -> ApplyStage.start(this, spec.name(), apply, ctx, in, out, tally);
            case StageSpec.Batch(int size, java.time.Duration maxWait) ->
                    go(spec, tally, "", c -> batch(c, ctx, in, out, size, maxWait), out::close);
            case StageSpec.Throttle(dev.gopatterns.rate.Limiter limiter) -> go(spec, tally, "", c -> {
                while (in.receiveOrClosed() instanceof Received.Value<Object>(Object v)) {
                    c.take();
                    if (ctx.isDone()) {
                        return;
                    }
                    try {
                        limiter.await(ctx);
                    } catch (ContextException e) {
                        return;
                    } catch (RuntimeException e) { // the limiter refused: DeadlineTooSoon, burst 0
                        c.held--;
                        c.addFailed();
                        fail(new Failure(spec.name(), v, e, 1));
                        return;
                    }
                    if (!Stages.send(ctx, out, v)) {
                        return;
                    }
                    c.pass();
                }
            }, out::close);
            case StageSpec.Take(long n) -> go(spec, tally, "", c -> {
                try {
                    while (c.passed < n && in.receiveOrClosed() instanceof Received.Value<Object>(Object v)) {
                        c.take();
                        if (ctx.isDone() || !Stages.send(ctx, out, v)) {
                            return;
                        }
                        c.pass();
                    }
                } finally {
                    upstream.cancel(); // enough, or the end: the stages before this one stop
                }
            }, out::close);
        }
    }

    private void batch(Counts c, Context ctx, ReceiveChannel<Object> in, Channel<Object> out, int size,
                       java.time.Duration maxWait) throws InterruptedException {
        final Object tick = new Object();
        final Object stop = new Object();
        List<Object> batch = new ArrayList<>(size);
        Timer timer = null;
        try {
            while (!ctx.isDone()) {
                List<SelectCase<Object>> cases = new ArrayList<>(3);
                cases.add(in.onReceiveOrClosed(r -> r));
                cases.add(ctx.onDone(() -> stop));
                if (timer != null) {
                    cases.add(timer.channel().onReceive(t -> tick));
                }
                Object event = Select.select(cases);
                if (event == stop) {
                    return;
                }
                if (event instanceof Received.Value<?>(Object v)) {
                    c.take();
                    batch.add(v);
                    if (batch.size() == 1 && maxWait != null) {
                        timer = Timer.start(ctx.clock(), maxWait);
                    }
                    if (batch.size() < size) {
                        continue;
                    }
                } else if (event instanceof Received.Closed<?>) {
                    if (!batch.isEmpty()) {
                        flush(c, ctx, out, batch);
                    }
                    return;
                }
                // full, or the timer fired
                if (timer != null) {
                    timer.stop();
                    timer = null;
                }
                if (!flush(c, ctx, out, batch)) {
                    return;
                }
                batch = new ArrayList<>(size);
            }
        } finally {
            if (timer != null) {
                timer.stop();
            }
        }
    }

    private static boolean flush(Counts c, Context ctx, Channel<Object> out, List<Object> batch)
            throws InterruptedException {
        if (!Stages.send(ctx, out, List.copyOf(batch))) {
            return false;
        }
        c.addOut(1);
        c.addPassed(batch.size());
        c.held -= batch.size();
        return true;
    }

    // ------------------------------------------------------------------------------------------------ threads

    /**
     * Starts one thread of a stage; {@code atEnd} runs when it ends (closing what the thread owns), then the
     * thread's counts go to {@code tally}, then, if it was the run's last thread, finish().
     */
    void go(StageSpec spec, Tally tally, String suffix, Body body, Runnable atEnd) {
        go(spec.name(), tally, suffix, body, atEnd);
    }

    void go(String stage, Tally tally, String suffix, Body body, Runnable atEnd) {
        live.incrementAndGet();
        Counts c = new Counts();
        tally.enter(c);
        Stages.start(stage + suffix, () -> {
            try {
                body.run(c);
            } catch (RuntimeException | Error e) { // a bug, or a source's iterator that threw
                if (!root.isDone()) {
                    fail(new Failure(stage, null, e, 1));
                }
            }
        }, () -> {
            try {
                atEnd.run();
            } finally {
                tally.add(c);
            }
        }, () -> {
            if (live.decrementAndGet() == 0) {
                finish();
            }
        });
    }

    /**
     * The run's numbers now, for {@link Run#snapshot()}: the component {@code "pipeline"} with the gauges
     * {@code running} (1 until every stage thread has ended) and {@code buffered} (values waiting in the channels
     * between stages and in the output), the counters {@code items.entered} (the source's {@code out}),
     * {@code items.failed}, {@code items.skipped} and {@code items.dropped} (over every stage), and per stage, as
     * {@code stage.<name>.*} (the stage's name without its {@code "2:"} index, in lower case, other characters as
     * {@code _}, and {@code _2}, {@code _3}... after a name already taken): the counters {@code in},
     * {@code out}, {@code passed}, {@code dropped}, {@code failed}, {@code skipped}, {@code cancelled} and
     * {@code retries} of {@link Summary.Stage}, and the gauges {@code buffered} and {@code capacity} of its output
     * channel.
     */
    Snapshot snapshot() {
        Summary.Stage[] now = new Summary.Stage[tallies.length];
        long failed = 0;
        long skipped = 0;
        long dropped = 0;
        long buffered = 0;
        for (int i = 0; i < tallies.length; i++) {
            now[i] = tallies[i].live();
            failed += now[i].failed();
            skipped += now[i].skipped();
            dropped += now[i].dropped();
            buffered += outs.get(i).length();
        }
        Snapshot.Builder b = Snapshot.of("pipeline").gauge("running", live.get() == 0 ? 0 : 1)
                .gauge("buffered", buffered).counter("items.entered", now[0].out()).counter("items.failed", failed)
                .counter("items.skipped", skipped).counter("items.dropped", dropped);
        for (int i = 0; i < now.length; i++) {
            Summary.Stage st = now[i];
            String p = "stage." + metricKeys[i] + ".";
            b.counter(p + "in", st.in()).counter(p + "out", st.out()).counter(p + "passed", st.passed())
                    .counter(p + "dropped", st.dropped()).counter(p + "failed", st.failed())
                    .counter(p + "skipped", st.skipped()).counter(p + "cancelled", st.cancelled())
                    .counter(p + "retries", st.retries()).gauge(p + "buffered", outs.get(i).length())
                    .gauge(p + "capacity", outs.get(i).capacity());
        }
        return b.build();
    }

    /** Each stage's name as a metric name's word, unique in the run. */
    private static String[] metricKeys(List<StageSpec> specs) {
        String[] keys = new String[specs.size()];
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            String k = specs.get(i).name().replaceFirst("^[0-9]+:", "") // "2:filter": the index is not a name
                    .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
            if (k.isEmpty() || !Character.isLetter(k.charAt(0))) {
                k = "s" + k;
            }
            String unique = k;
            for (int n = 2; !used.add(unique); n++) {
                unique = k + "_" + n;
            }
            keys[i] = unique;
        }
        return keys;
    }

    /** Registers work for finish(), before any stage thread can run it; launching thread only. */
    void atFinish(Runnable r) {
        atFinish.add(r);
    }

    // ------------------------------------------------------------------------------------------------ failures

    Channel<Failure> errors() {
        return errors;
    }

    /** Records a FAIL_FAST failure; the first one cancels the run with its error as the cause. */
    void fail(Failure f) {
        if (firstFailure.compareAndSet(null, f)) {
            root.cancel(f.error());
        }
    }

    void cancel() {
        root.cancel();
    }

    // ------------------------------------------------------------------------------------------------ the end

    private void finish() {
        boolean stoppedEarly = root.isDone();
        for (Runnable r : atFinish) {
            r.run();
        }
        for (int i = 0; i + 1 < specs.size(); i++) {
            while (outs.get(i).tryReceive() instanceof Received.Value<Object>) {
                tallies[i + 1].leftover();
            }
        }
        List<Summary.Stage> stages = new ArrayList<>();
        for (Tally t : tallies) {
            stages.add(t.snapshot());
        }
        summary = new Summary(stages);
        cutShort = stoppedEarly && (!sourceExhausted || summary.cancelled() > 0);
        if (!stoppedEarly) {
            released = true;
        }
        if (!withSink) {
            root.cancel();
        }
        errors.close();
        done.close();
    }

    ReceiveChannel<Void> done() {
        return done.receiveOnly();
    }

    @SuppressWarnings("unchecked")
    <T> ReceiveChannel<T> output() {
        return (ReceiveChannel<T>) outs.getLast().receiveOnly();
    }

    /** Whether the run has been told to stop (a failure, the caller's context, cancel()), as opposed to released. */
    boolean stopped() {
        return root.isDone() && !released;
    }

    /** The summary, once the run has ended. */
    Optional<Summary> summary() {
        return done.tryReceive() instanceof TryReceived.NotReady<Void> ? Optional.empty() : Optional.of(summary);
    }

    /** Waits for the end; then returns the summary, or throws what ended the run early. */
    Summary await() throws InterruptedException {
        done.receiveOrClosed();
        return outcome(summary, false);
    }

    private Summary outcome(Summary s, boolean sinkCancelled) {
        Failure f = firstFailure.get();
        if (f != null) {
            throw new PipelineException(f, s);
        }
        if (cutShort || sinkCancelled) {
            throw parent.err().or(root::err).orElseThrow();
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------------ sinks

    /** Delivers one value to the caller; {@code false} if it could not (the value is then cancelled). */
    @FunctionalInterface
    interface Delivery {
        boolean deliver(Object value) throws InterruptedException;
    }

    <T> Summary sink(Consumer<? super T> onValue, Consumer<? super Failure> onFailure) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Consumer<Object> values = (Consumer<Object>) onValue;
        return drain(v -> {
            values.accept(v);
            return true;
        }, onFailure);
    }

    Summary forwardTo(SendChannel<?> channel) throws InterruptedException {
        @SuppressWarnings("unchecked")
        SendChannel<Object> ch = (SendChannel<Object>) channel;
        // root, not the caller's context: a failure must release a send to a channel nobody reads. With a sink,
        // root is only cancelled by a stop until the sink has drained (see finish() and drain()).
        return drain(v -> !stopped() && Stages.send(root, ch, v), f -> {
            throw new AssertionError("to(ctx, channel) runs no reporting stage: " + f);
        });
    }

    /**
     * The terminal calls' loop, in the caller's thread: values and reported failures until both channels close,
     * then the run's outcome. An interrupt of the caller cancels the run, waits for its end, and is rethrown.
     */
    private Summary drain(Delivery delivery, Consumer<? super Failure> onFailure) throws InterruptedException {
        Tally sink = new Tally("sink");
        Counts c = new Counts();
        ReceiveChannel<Object> out = output();
        // with no REPORT stage nothing is ever sent on errors: a plain receive on the output is enough
        ReceiveChannel<Failure> errs = reports() ? errors : null;
        InterruptedException interrupted = null;
        try {
            while (out != null || errs != null) {
                if (errs == null) {
                    if (out.receiveOrClosed() instanceof Received.Value<Object>(Object v)) {
                        deliver(c, delivery, v);
                    } else {
                        out = null;
                    }
                    continue;
                }
                List<SelectCase<Object>> cases = new ArrayList<>(2);
                if (out != null) {
                    cases.add(out.onReceiveOrClosed(r -> r));
                }
                if (errs != null) {
                    cases.add(errs.onReceiveOrClosed(r -> r instanceof Received.Value<Failure>(Failure f)
                            ? f : ERRORS_CLOSED));
                }
                Object event = Select.select(cases);
                if (event == ERRORS_CLOSED) {
                    errs = null;
                } else if (event instanceof Failure f) {
                    try {
                        onFailure.accept(f);
                    } catch (RuntimeException | Error e) {
                        fail(new Failure("sink", f, e, 1));
                    }
                } else if (event instanceof Received.Value<?>(Object v)) {
                    deliver(c, delivery, v);
                } else {
                    out = null; // the output closed
                }
            }
        } catch (InterruptedException e) {
            interrupted = e;
            root.cancel();
            while (output().tryReceive() instanceof Received.Value<?>) {
                c.take(); // taken out so that the stages are not blocked; counted cancelled
            }
        }
        boolean wasInterrupted = false;
        while (true) {
            try {
                done.receiveOrClosed();
                break;
            } catch (InterruptedException again) {
                wasInterrupted = true; // the stages are cancelled and end promptly: wait for them
            }
        }
        // the stages have all ended: nothing more can arrive, but the output may hold values sent before the end
        while (interrupted != null && output().tryReceive() instanceof Received.Value<?>) {
            c.take();
        }
        root.cancel(); // the release finish() left to the sink
        sink.add(c);
        List<Summary.Stage> stages = new ArrayList<>(summary.stages());
        stages.add(sink.snapshot());
        Summary s = new Summary(stages);
        if (interrupted != null) {
            throw interrupted;
        }
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
        return outcome(s, c.held > 0);
    }

    /** Hands one value of the output to the caller, unless the run was stopped (then it is counted cancelled). */
    private void deliver(Counts c, Delivery delivery, Object v) throws InterruptedException {
        c.take();
        if (stopped()) {
            return; // held: counted cancelled
        }
        try {
            if (delivery.deliver(v)) {
                c.addPassed(1);
                c.addOut(1);
                c.held--;
            }
        } catch (RuntimeException | Error e) {
            c.held--;
            c.addFailed();
            fail(new Failure("sink", v, e, 1));
        }
    }

    private boolean reports() {
        return StageSpec.firstReporting(specs).isPresent();
    }

    private static final Object ERRORS_CLOSED = new Object();
}
