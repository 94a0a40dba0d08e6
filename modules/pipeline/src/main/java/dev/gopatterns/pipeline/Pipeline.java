package dev.gopatterns.pipeline;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.SendChannel;
import dev.gopatterns.context.Context;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.resilience.CircuitBreaker;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Policy;
import dev.gopatterns.resilience.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A typed pipeline: a source and a chain of stages, each stage one or more virtual threads reading the channel
 * before it and writing the channel after it, built to Go's rules. A {@code Pipeline} is a description (immutable;
 * every method returns a new one); it runs when a terminal call ({@link #toList}, {@link #forEach},
 * {@link #reduce}, {@link #to}) or {@link #start} is given a context.
 *
 * <pre>{@code
 * // Go ("Pipelines and cancellation": gen -> sq -> sum, with a done channel):
 * ctx, cancel := context.WithCancel(parent)
 * defer cancel()
 * sum := 0
 * for n := range sq(ctx, gen(ctx, 1, 2, 3, 4)) {
 *     sum += n
 * }
 *
 * // Java:
 * long sum = Pipeline.of(1, 2, 3, 4)
 *         .map(n -> (long) n * n)
 *         .reduce(ctx, 0L, Long::sum);
 * }</pre>
 *
 * <h2>Stages</h2>
 * <ul>
 *   <li>{@link #map}, {@link #filter}, {@link #flatMap}: one thread. {@link #mapUnordered}{@code (n, fn)}: {@code n}
 *       threads competing for the input (fan-out, then fan-in), results in completion order.
 *       {@link #mapOrdered}{@code (n, fn)}: the same parallelism, results in input order (at most {@code n}
 *       items ahead of the slowest). {@link #mapPartitioned}{@code (n, key, fn)}: items with equal keys go to
 *       the same one of {@code n} threads, so per-key order holds.
 *   <li>{@link #batch}{@code (size)} and {@link #batch}{@code (size, maxWait)}: lists of up to {@code size}, a partial
 *       one after {@code maxWait} on the context's clock. {@link #throttle}{@code (limiter)}: a token per item.
 *       {@link #take}{@code (n)}: the first {@code n}, then the stages before it are cancelled.
 *   <li>{@link #buffer}{@code (n)}: the capacity of the channel after the last stage (default 0: unbuffered, as
 *       Go's {@code make(chan T)}). The only buffers are these, each bounded.
 * </ul>
 * The function of the last {@code map}/{@code filter}/{@code flatMap} stage can be given an {@link #onError}
 * policy, a {@link #retry} policy and a per-item {@link #timeout}; {@link #named} names any stage.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Each stage closes its output exactly once</b>, when it is done: its input closed and drained, or its
 *       context ended. A parallel stage closes when its last thread ends.
 *   <li><b>Cancellation reaches every stage</b>: ending the caller's context, a {@link ErrorPolicy#FAIL_FAST}
 *       failure, {@link Run#cancel()} or a satisfied {@code take} ends the stages it concerns promptly, also a
 *       stage blocked sending to a consumer that stopped reading, and a stage function blocked in an
 *       interruptible call (the thread is interrupted; see docs/interruption.md). When the run has ended
 *       ({@link Run#await()} returned or threw), no thread of it is left.
 *   <li><b>Nothing is lost</b>: every item that enters is delivered, or counted failed, skipped or cancelled in the
 *       {@link Summary}, whose rules are checked by {@link Summary#checkBalanced()}.
 *   <li><b>Errors are reported once</b>: a terminal call throws the first {@code FAIL_FAST} failure as a
 *       {@link PipelineException}, or the context's {@link dev.gopatterns.context.ContextException} if the
 *       caller's context ended before the input was used up.
 *   <li>Memory consistency effects: actions of a stage function before it returns happen-before the next stage
 *       receives its result, and so on to the sink: each hand-off is a channel send.
 * </ul>
 *
 * <p>Where it differs from Go: Go has no pipeline type; a Go pipeline is the functions of "Pipelines and
 * cancellation" wired by hand, which is what {@link Sources}, {@link FanOut} and {@link FanIn} are. This class
 * wires the same channels and threads for you and adds the accounting; {@link #start} hands you the output and
 * error channels to range over, as a Go stage would. Stage functions take the stage's context (Go's first
 * parameter), or are plain {@link Function}s.
 *
 * @param <T> the type of the values the last stage sends
 */
public final class Pipeline<T> {

    /** A stage function: Go's {@code func(ctx context.Context, item T) (R, error)}, with the error thrown. */
    @FunctionalInterface
    public interface StageFunction<T, R> {
        /**
         * Processes one item. Honour {@code ctx} in long waits (it ends with the run, or with the item's
         * {@linkplain #timeout timeout}); an interruptible blocking call is interrupted when it ends.
         *
         * @return the result; never {@code null} (a null result fails the item)
         */
        R apply(Context ctx, T item) throws Exception;
    }

    /** A source that produces values itself: Go's generator goroutine. */
    @FunctionalInterface
    public interface Source<T> {
        /**
         * Emits values until there are no more (return) or {@code emit} returns {@code false} (the run no longer
         * wants values: return promptly). Throwing fails the run.
         */
        void run(Context ctx, Emitter<T> emit) throws Exception;
    }

    /** How a {@link Source} sends: Go's {@code select { case out <- v: case <-ctx.Done(): return }}. */
    @FunctionalInterface
    public interface Emitter<T> {
        /**
         * Sends {@code value} to the first stage, waiting while it is busy.
         *
         * @return {@code true} if sent; {@code false} if the run ended first (then stop emitting)
         */
        boolean emit(T value) throws InterruptedException;
    }

    private final List<StageSpec> stages;

    private Pipeline(List<StageSpec> stages) {
        this.stages = stages;
    }

    // ------------------------------------------------------------------------------------------------ sources

    /** A pipeline whose source sends {@code values} in order. Go: {@code gen(ctx, values...)}. */
    @SafeVarargs
    public static <T> Pipeline<T> of(T... values) {
        return from(List.of(values));
    }

    /**
     * A pipeline whose source sends the elements of {@code values} in iteration order; iterated once per run, in
     * the source's thread. An exception from the iterator fails the run. {@code null} elements are refused.
     */
    public static <T> Pipeline<T> from(Iterable<? extends T> values) {
        Objects.requireNonNull(values, "values");
        return new Pipeline<>(List.of(new StageSpec("0:source", 0, new StageSpec.FromIterable(values))));
    }

    /**
     * A pipeline whose source forwards the values of {@code channel} until it is closed. Values the source took
     * but could not forward when the run ended are counted cancelled; the rest stay in the channel.
     */
    public static <T> Pipeline<T> from(ReceiveChannel<? extends T> channel) {
        Objects.requireNonNull(channel, "channel");
        return new Pipeline<>(List.of(new StageSpec("0:source", 0, new StageSpec.FromChannel(channel))));
    }

    /** A pipeline whose source is {@code source}, run in the source's thread once per run. */
    public static <T> Pipeline<T> generate(Source<T> source) {
        Objects.requireNonNull(source, "source");
        return new Pipeline<>(List.of(new StageSpec("0:source", 0, new StageSpec.Generate(source))));
    }

    // ------------------------------------------------------------------------------------------------ stages

    /** One thread applying {@code fn} to each item, in order. */
    public <R> Pipeline<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        StageFunction<T, R> f = (ctx, item) -> fn.apply(item);
        return map(f);
    }

    /** One thread applying {@code fn} (given the stage's context) to each item, in order. */
    public <R> Pipeline<R> map(StageFunction<? super T, ? extends R> fn) {
        return apply("map", fn, StageSpec.Shape.ONE, StageSpec.Mode.SERIAL, 1, null);
    }

    /**
     * {@code parallelism} threads applying {@code fn}; results in completion order. Go: {@code n} goroutines
     * ranging over one channel, merged (fan-out, fan-in). Kotlin's {@code flatMapMerge(concurrency)}, Pekko's
     * {@code mapAsyncUnordered}, jox's {@code mapParUnordered}.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public <R> Pipeline<R> mapUnordered(int parallelism, StageFunction<? super T, ? extends R> fn) {
        return apply("mapUnordered", fn, StageSpec.Shape.ONE, StageSpec.Mode.UNORDERED, parallelism, null);
    }

    /**
     * {@code parallelism} threads applying {@code fn}; results in input order. At most {@code parallelism} items
     * are in flight beyond the oldest one not yet sent on: a slow item holds back the ones after it, never without
     * bound. Go: a channel of per-item result channels (the "ordered results" idiom). Pekko's {@code mapAsync},
     * jox's {@code mapPar}, Reactor's {@code flatMapSequential}.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public <R> Pipeline<R> mapOrdered(int parallelism, StageFunction<? super T, ? extends R> fn) {
        return apply("mapOrdered", fn, StageSpec.Shape.ONE, StageSpec.Mode.ORDERED, parallelism, null);
    }

    /**
     * {@code parallelism} threads applying {@code fn}, each item routed by {@code key} (its {@code hashCode}) so that
     * items with equal keys go to the same thread, one after another: per-key order holds, keys run in parallel.
     * A busy thread holds up the items routed to it, and the router with them (head-of-line blocking, as a Go
     * router with one unbuffered channel per worker).
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public <R> Pipeline<R> mapPartitioned(int parallelism, Function<? super T, ?> key,
                                          StageFunction<? super T, ? extends R> fn) {
        Objects.requireNonNull(key, "key");
        @SuppressWarnings("unchecked")
        Function<Object, Object> k = (Function<Object, Object>) key;
        return apply("mapPartitioned", fn, StageSpec.Shape.ONE, StageSpec.Mode.PARTITIONED, parallelism, k);
    }

    /** One thread passing on the items {@code keep} accepts; the others are counted dropped. */
    public Pipeline<T> filter(Predicate<? super T> keep) {
        Objects.requireNonNull(keep, "keep");
        StageFunction<T, Boolean> test = (ctx, item) -> keep.test(item);
        return apply("filter", test, StageSpec.Shape.FILTER, StageSpec.Mode.SERIAL, 1, null);
    }

    /** One thread sending each element of {@code fn}'s result, in order. */
    public <R> Pipeline<R> flatMap(StageFunction<? super T, ? extends Iterable<? extends R>> fn) {
        return apply("flatMap", fn, StageSpec.Shape.MANY, StageSpec.Mode.SERIAL, 1, null);
    }

    /** Lists of exactly {@code size} items, in order, and the rest (fewer) when the input ends. */
    public Pipeline<List<T>> batch(int size) {
        return batch(size, null);
    }

    /**
     * Lists of up to {@code size} items, in order: a list is sent when it is full, or {@code maxWait} after its
     * first item arrived (on the context's clock), or when the input ends. Never an empty list. jox's
     * {@code groupedWithin}, Pekko's {@code groupedWithin}.
     *
     * @param maxWait {@code null} for no time limit
     * @throws IllegalArgumentException if {@code size < 1} or {@code maxWait} is not positive
     */
    public Pipeline<List<T>> batch(int size, Duration maxWait) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + size);
        }
        if (maxWait != null && (maxWait.isNegative() || maxWait.isZero())) {
            throw new IllegalArgumentException("batch maxWait must be > 0, was " + maxWait);
        }
        return append(new StageSpec.Batch(size, maxWait));
    }

    /** One thread passing each item on after taking a token from {@code limiter} (waiting for it if need be). */
    public Pipeline<T> throttle(Limiter limiter) {
        return append(new StageSpec.Throttle(Objects.requireNonNull(limiter, "limiter")));
    }

    /**
     * The first {@code n} items, then the end: once {@code n} have been passed on, the stages before this one are
     * cancelled (their items in flight counted cancelled) and this stage closes its output. Go: {@code take}.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Pipeline<T> take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("take needs n >= 0, was " + n);
        }
        return append(new StageSpec.Take(n));
    }

    // ---------------------------------------------------------------------------------- modifiers of the last stage

    /**
     * Gives the last stage's output channel capacity {@code capacity} instead of 0, so it can run up to that many
     * values ahead of the next stage. Kotlin's {@code buffer(n)}.
     *
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    public Pipeline<T> buffer(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("buffer capacity must be >= 0, was " + capacity);
        }
        return replaceLast(last().withBuffer(capacity));
    }

    /**
     * Names the last stage, in {@link Failure}s, the {@link Summary} and thread names.
     *
     * @throws IllegalArgumentException if another stage has that name, or it has the form of a default name
     *                                  ({@code "2:map"}), or it is {@code "sink"}
     */
    public Pipeline<T> named(String name) {
        Objects.requireNonNull(name, "name");
        for (int i = 0; i < stages.size() - 1; i++) {
            if (stages.get(i).name().equals(name)) {
                throw new IllegalArgumentException("stage names must be unique: stage " + i + " is already '"
                        + name + "'");
            }
        }
        if (name.equals("sink")) {
            throw new IllegalArgumentException("'sink' is the name of a terminal call's stage");
        }
        if (name.matches("\\d+:.*")) {
            throw new IllegalArgumentException("stage names of the form N:kind are the default names, so that no two"
                    + " stages share one; pick another than '" + name + "'");
        }
        return replaceLast(last().withName(name));
    }

    /** What the last stage does with an item whose function failed; the default is {@link ErrorPolicy#FAIL_FAST}. */
    public Pipeline<T> onError(ErrorPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policy == ErrorPolicy.DEAD_LETTER) {
            throw new IllegalArgumentException("onError(DEAD_LETTER) has no queue to send to: use"
                    + " deadLetters(queue)");
        }
        return replaceLast(last().withKind(lastApply("onError").with(policy)));
    }

    /**
     * The last stage's items that fail (after their retries) go to {@code queue}, each a {@link DeadLetter} with
     * every attempt's failure, oldest first, and the stage's name as its source; they are counted failed, and the
     * pipeline goes on ({@link ErrorPolicy#DEAD_LETTER}). A full queue holds the stage back (back-pressure, never a
     * drop); if the run is cancelled while it waits, the item is counted failed and not added.
     */
    public Pipeline<T> deadLetters(DeadLetters<Object> queue) {
        Objects.requireNonNull(queue, "deadLetters");
        return replaceLast(last().withKind(lastApply("deadLetters").with(queue)));
    }

    /**
     * Runs each call of the last stage's function under {@code policy}: a {@link CircuitBreaker} or a
     * {@link dev.gopatterns.resilience.Bulkhead} shared with other callers of the same service, or several
     * {@linkplain Policy#compose composed}. It is inside the stage's {@link #retry} (each attempt is judged by it,
     * and its refusals are failures the retry may retry) and outside the stage's {@link #timeout} (whose
     * {@code DeadlineExceededException} a breaker does not count by default: put a
     * {@link dev.gopatterns.resilience.Timeout} in the policy, inside the breaker, to count timeouts as failures).
     */
    public Pipeline<T> policy(Policy policy) {
        Objects.requireNonNull(policy, "policy");
        return replaceLast(last().withKind(lastApply("policy").with(policy)));
    }

    /** How the last stage retries an item whose function threw; the default is {@link Retry#none()}. */
    public Pipeline<T> retry(Retry retry) {
        Objects.requireNonNull(retry, "retry");
        return replaceLast(last().withKind(lastApply("retry").with(retry)));
    }

    /**
     * Gives each call of the last stage's function its own context, ended {@code timeout} after the call starts
     * (so each attempt of a retried item has the full time); an interruptible call inside is interrupted then.
     * The attempt fails with {@link dev.gopatterns.context.DeadlineExceededException}, retryable like any other.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Pipeline<T> timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
        return replaceLast(last().withKind(lastApply("timeout").withTimeout(timeout)));
    }

    // ------------------------------------------------------------------------------------------------ running

    /**
     * Starts the pipeline's threads and returns at once. Range over {@link Run#output()}; if a stage
     * {@linkplain ErrorPolicy#REPORT reports} failures, read {@link Run#errors()} too, in the same select (an
     * unread error blocks its stage); then {@link Run#await()}. Closing the run cancels it and waits.
     */
    public Run<T> start(Context ctx) {
        return Execution.start(ctx, stages, false);
    }

    /**
     * Runs the pipeline, calling {@code onValue} for each value of the last stage, in the calling thread.
     *
     * @return what every stage did
     * @throws IllegalStateException if a stage {@linkplain ErrorPolicy#REPORT reports} failures (use
     *                               {@link #forEach(Context, Consumer, Consumer)})
     * @throws PipelineException     if a {@code FAIL_FAST} stage (or {@code onValue}) failed
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ended before the input was used up
     */
    public Summary forEach(Context ctx, Consumer<? super T> onValue) throws InterruptedException {
        requireNoReportingStage("give forEach an onFailure handler");
        return forEach(ctx, onValue, f -> {
            throw new AssertionError("no stage reports failures: " + f);
        });
    }

    /**
     * Runs the pipeline, calling {@code onValue} for each value and {@code onFailure} for each failure a
     * {@link ErrorPolicy#REPORT REPORT} stage reports, both in the calling thread, in the order they arrive.
     *
     * @throws PipelineException if a {@code FAIL_FAST} stage (or a handler) failed
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ended before the input was used up
     */
    public Summary forEach(Context ctx, Consumer<? super T> onValue, Consumer<? super Failure> onFailure)
            throws InterruptedException {
        Objects.requireNonNull(onValue, "onValue");
        Objects.requireNonNull(onFailure, "onFailure");
        return Execution.start(ctx, stages, true).execution().sink(onValue, onFailure);
    }

    /** Runs the pipeline and returns the values of the last stage, in the order they came out. */
    public List<T> toList(Context ctx) throws InterruptedException {
        List<T> values = new ArrayList<>();
        forEach(ctx, values::add);
        return values;
    }

    /** Runs the pipeline and folds the values of the last stage with {@code op}, from {@code identity}. */
    public <A> A reduce(Context ctx, A identity, BiFunction<A, ? super T, A> op) throws InterruptedException {
        Objects.requireNonNull(op, "op");
        Object[] acc = {identity};
        forEach(ctx, v -> {
            @SuppressWarnings("unchecked")
            A a = (A) acc[0];
            acc[0] = op.apply(a, v);
        });
        @SuppressWarnings("unchecked")
        A result = (A) acc[0];
        return result;
    }

    /**
     * Runs the pipeline, sending the values of the last stage to {@code channel} (waiting while it is full, and
     * stopping if {@code ctx} ends or the run fails). The channel is the caller's: it is not closed.
     *
     * @throws IllegalStateException if a stage {@linkplain ErrorPolicy#REPORT reports} failures (nowhere to send
     *                               them: use {@link #forEach(Context, Consumer, Consumer)} or {@link #start})
     */
    public Summary to(Context ctx, SendChannel<? super T> channel) throws InterruptedException {
        Objects.requireNonNull(channel, "channel");
        requireNoReportingStage("use forEach(ctx, onValue, onFailure) or start(ctx)");
        return Execution.start(ctx, stages, true).execution().forwardTo(channel);
    }

    /** The stages' names, in order: {@code [0:source, 1:map, ...]}. */
    @Override
    public String toString() {
        return "Pipeline" + stages.stream().map(StageSpec::name).toList();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private <R> Pipeline<R> apply(String label, StageFunction<?, ?> fn, StageSpec.Shape shape, StageSpec.Mode mode,
                                  int parallelism, Function<Object, Object> key) {
        Objects.requireNonNull(fn, "fn");
        if (parallelism < 1) {
            throw new IllegalArgumentException(label + " needs parallelism >= 1, was " + parallelism);
        }
        @SuppressWarnings("unchecked")
        StageFunction<Object, Object> f = (StageFunction<Object, Object>) fn;
        return append(new StageSpec.Apply(label, f, shape, mode, parallelism, key, ErrorPolicy.FAIL_FAST,
                Retry.none(), null, Policy.none(), null));
    }

    private <R> Pipeline<R> append(StageSpec.Kind kind) {
        List<StageSpec> next = new ArrayList<>(stages);
        next.add(new StageSpec(stages.size() + ":" + kind.label(), 0, kind));
        return new Pipeline<>(List.copyOf(next));
    }

    private void requireNoReportingStage(String instead) {
        StageSpec.firstReporting(stages).ifPresent(s -> {
            throw new IllegalStateException("stage '" + s.name() + "' reports failures, and this call has"
                    + " nowhere to send them: " + instead + " and read errors()");
        });
    }

    private StageSpec last() {
        return stages.getLast();
    }

    private StageSpec.Apply lastApply(String modifier) {
        if (last().kind() instanceof StageSpec.Apply a) {
            return a;
        }
        throw new IllegalStateException(modifier + " applies to a stage that runs a function (map, filter,"
                + " flatMap and their parallel forms); the last stage is '" + last().name() + "'");
    }

    private Pipeline<T> replaceLast(StageSpec spec) {
        List<StageSpec> next = new ArrayList<>(stages);
        next.set(next.size() - 1, spec);
        return new Pipeline<>(List.copyOf(next));
    }
}
