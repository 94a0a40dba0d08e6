package dev.gopatterns.resilience;

import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A retry policy: at most {@code maxAttempts} attempts of an operation, waiting between them for an exponentially
 * growing, capped, fully jittered delay on the operation context's {@linkplain Context#clock() clock}, only for
 * failures that are {@linkplain #retryOn retryable}, and never past the context's deadline. Immutable and
 * thread-safe; each {@code with}-style method returns a new policy. One policy serves every place work is retried:
 *
 * <pre>{@code
 * Retry retry = Retry.backoff(5, Duration.ofMillis(10), Duration.ofSeconds(1))   // waits <= 10, 20, 40, 80 ms
 *         .retryOn(IOException.class, TimeoutException.class);
 *
 * String body = retry.call(ctx, c -> client.get(c, url));                        // a plain call
 * pool.submit(ctx, JobOptions.defaults().retry(retry), task);                    // a worker-pool job
 * Pipeline.from(urls).map((c, url) -> client.get(c, url)).retry(retry);          // a pipeline stage, per item
 * }</pre>
 *
 * <h2>The delay</h2>
 * Before retry {@code k} (attempt {@code k+1}, {@code k >= 1}) the operation waits a delay drawn uniformly from
 * {@code [0, min(maxDelay, initialDelay * 2^(k-1))]}: "full jitter", as in Brooker's "Exponential Backoff And
 * Jitter" (AWS Architecture Blog, 2015), resilience4j's randomized exponential backoff with a randomization
 * factor of 1, and Reactor's {@code Retry.backoff(...).jitter(1.0)}. The ceiling doubles per retry so a
 * struggling service gets exponentially more room; drawing from zero up to it spreads the retries of many
 * callers that failed together, so they do not come back as one synchronised wave.
 *
 * <h2>When it stops</h2>
 * After a failed attempt, in this order ({@link Attempts#failed}):
 * <ol>
 *   <li>the context has ended: {@link GiveUpReason#CANCELLED} (the failure is most likely a consequence of the
 *       cancel, and no other attempt may start);
 *   <li>the failure is an {@link Error}, an {@link InterruptedException}, or an exception {@link #retryOn} does
 *       not accept: {@link GiveUpReason#NOT_RETRYABLE};
 *   <li>that was attempt {@code maxAttempts}: {@link GiveUpReason#ATTEMPTS_EXHAUSTED};
 *   <li>the context has a deadline, and the drawn delay would reach it: {@link GiveUpReason#DEADLINE}. Waiting
 *       would only end in the deadline, with no attempt made; giving up now reports the real failure at once.
 * </ol>
 * Otherwise the operation waits the delay, ended early by the context (then {@code CANCELLED}).
 *
 * <h2>Events</h2>
 * {@link #onEvent} adds a listener that sees every retry, success and give-up ({@link RetryEvent}), in the thread
 * of the operation, in order. A listener must be quick and must not throw; one that throws does not change the
 * operation: its exception goes to the thread's uncaught-exception handler.
 *
 * <p>Go equivalent: none in the standard library. Go programs write the loop by hand, or use
 * {@code github.com/cenkalti/backoff} ({@code backoff.Retry(op, backoff.WithContext(b, ctx))}); the wait is a
 * {@code select} over {@code time.After(delay)} and {@code ctx.Done()}, which is what {@link Attempts#pause} is.
 */
public final class Retry implements Policy, Metered {

    private static final Consumer<RetryEvent> NO_LISTENER = e -> { };
    private static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO, e -> true, null, NO_LISTENER);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Predicate<? super Throwable> retryable;
    private final RandomGenerator random; // null: ThreadLocalRandom of the retrying thread
    private final Consumer<? super RetryEvent> listener;
    // What this policy object has done, over every operation it ran (see snapshot()).
    private final LongAdder operations = new LongAdder();
    private final LongAdder attemptsFailed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder succeededAfterRetry = new LongAdder();
    private final LongAdder[] gaveUp = new LongAdder[GiveUpReason.values().length];

    private Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, Predicate<? super Throwable> retryable,
                  RandomGenerator random, Consumer<? super RetryEvent> listener) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.retryable = retryable;
        this.random = random;
        this.listener = listener;
        for (int i = 0; i < gaveUp.length; i++) {
            gaveUp[i] = new LongAdder();
        }
    }

    /** No retries: one attempt. */
    public static Retry none() {
        return NONE;
    }

    /**
     * At most {@code maxAttempts} attempts, with full-jitter exponential backoff from {@code initialDelay}, capped
     * at {@code maxDelay}; every {@link Exception} but {@link InterruptedException} is retryable until
     * {@link #retryOn} says otherwise.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, a delay is negative, or
     *                                  {@code maxDelay < initialDelay}
     */
    public static Retry backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry: maxAttempts must be >= 1 (1 means no retry), was "
                    + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry: delays must be >= 0, were " + initialDelay + " and "
                    + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("retry: maxDelay (" + maxDelay + ") must be >= initialDelay ("
                    + initialDelay + ")");
        }
        return new Retry(maxAttempts, initialDelay, maxDelay, e -> true, null, NO_LISTENER);
    }

    /** The same policy, retrying only the exceptions {@code retryable} accepts; others end the operation. */
    public Retry retryOn(Predicate<? super Throwable> retryable) {
        return new Retry(maxAttempts, initialDelay, maxDelay, Objects.requireNonNull(retryable, "retryable"),
                random, listener);
    }

    /** The same policy, retrying only exceptions that are instances of one of {@code types}. */
    @SafeVarargs
    public final Retry retryOn(Class<? extends Throwable>... types) {
        List<Class<? extends Throwable>> list = List.of(types);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("retry: retryOn needs at least one exception type");
        }
        return retryOn(e -> list.stream().anyMatch(t -> t.isInstance(e)));
    }

    /** The same policy, drawing its jitter from {@code random} (tests pin it; the default is ThreadLocalRandom). */
    public Retry jitter(RandomGenerator random) {
        return new Retry(maxAttempts, initialDelay, maxDelay, retryable, Objects.requireNonNull(random, "random"),
                listener);
    }

    /** The same policy, also telling {@code listener} of every retry, success and give-up (after the others). */
    public Retry onEvent(Consumer<? super RetryEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Consumer<? super RetryEvent> before = this.listener;
        Consumer<RetryEvent> both = before == NO_LISTENER ? listener::accept : e -> {
            before.accept(e);
            listener.accept(e);
        };
        return new Retry(maxAttempts, initialDelay, maxDelay, retryable, random, both);
    }

    /** The most attempts of one operation. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Whether an attempt that threw {@code error} may be followed by another (attempts and deadline permitting):
     * an {@link Exception} that the {@link #retryOn} filter accepts, and never an {@link InterruptedException} (an
     * interrupt is a request to stop, not a transient failure; retrying would swallow it).
     */
    public boolean isRetryable(Throwable error) {
        return error instanceof Exception && !(error instanceof InterruptedException) && retryable.test(error);
    }

    /**
     * The ceiling of the delay before retry {@code retry} (1 for the second attempt):
     * {@code min(maxDelay, initialDelay * 2^(retry-1))}, without overflow.
     */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: the first retry is number 1, was " + retry);
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        int shift = retry - 1;
        long ceiling = shift >= Long.numberOfLeadingZeros(Math.max(initial, 1)) - 1 ? max
                : Math.min(max, initial << shift);
        return Duration.ofNanos(ceiling);
    }

    /** A delay drawn uniformly from {@code [0, ceiling(retry)]}: the wait before retry {@code retry}. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toNanos();
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        return Duration.ofNanos(ceiling == 0 ? 0 : r.nextLong(ceiling + 1));
    }

    /**
     * Starts one operation under this policy, on {@code ctx}: the attempt counter, the failures so far, and the
     * decision after each. For code that runs the attempts itself (the pool's workers and the pipeline's stages
     * do); otherwise use {@link #call}.
     */
    public Attempts begin(Context ctx) {
        return new Attempts(Objects.requireNonNull(ctx, "ctx"), null);
    }

    /**
     * Runs {@code body} until an attempt returns, retrying its failures under this policy.
     *
     * @return what the first successful attempt returned
     * @throws Exception the last attempt's failure, as it was thrown, once the policy gives up for any reason but
     *     cancellation; the earlier attempts' failures are {@linkplain Throwable#getSuppressed() suppressed} in it,
     *     oldest first, so the whole history travels with it
     * @throws ContextException the context's error, as it is, if the context ended before an attempt succeeded
     *     (as Go's loops return {@code ctx.Err()}); the failures so far are in the {@link RetryEvent.GaveUp} event
     * @throws InterruptedException if the thread is interrupted while it waits between attempts
     */
    @Override
    public <T> T call(Context ctx, Body<? extends T> body) throws Exception {
        return run(new Attempts(Objects.requireNonNull(ctx, "ctx"), null), ctx, body);
    }

    /**
     * As {@link #call(Context, Body)}, and tells {@code events} this one operation's events, after the policy's
     * own listener: for a caller that needs an operation's history (a dead letter's failures) without making a new
     * policy object, whose counts would then be apart from this one's.
     */
    public <T> T call(Context ctx, Body<? extends T> body, Consumer<? super RetryEvent> events) throws Exception {
        Objects.requireNonNull(events, "events");
        return run(new Attempts(Objects.requireNonNull(ctx, "ctx"), events), ctx, body);
    }

    private <T> T run(Attempts attempts, Context ctx, Body<? extends T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        while (true) {
            if (ctx.isDone()) {
                throw attempts.cancelled();
            }
            Throwable error;
            try {
                T value = body.call(ctx);
                attempts.succeeded();
                return value;
            } catch (Throwable t) {
                error = t;
            }
            switch (attempts.failed(error)) {
                case Decision.RetryAfter(Duration delay) -> {
                    if (!attempts.pause(delay)) {
                        throw attempts.cancelled();
                    }
                }
                case Decision.GiveUp(GiveUpReason reason, Throwable last) -> {
                    if (reason == GiveUpReason.CANCELLED) {
                        throw attempts.cancelled();
                    }
                    switch (attempts.withHistory(last)) {
                        case Exception e -> throw e;
                        case Error e -> throw e;
                        case Throwable t -> throw new java.lang.reflect.UndeclaredThrowableException(t);
                    }
                }
            }
        }
    }

    /**
     * What this policy object has done, over every operation it ran, in the project's one metrics vocabulary: the
     * component {@code "retry"}, with the counters {@code operations} (begun), {@code attempts.failed},
     * {@code retries}, {@code succeeded}, {@code succeeded.after_retry}, and {@code gave_up.not_retryable},
     * {@code gave_up.attempts_exhausted}, {@code gave_up.deadline}, {@code gave_up.cancelled}. An operation still
     * running is in {@code operations} and in none of the outcomes.
     *
     * <p>Each policy object counts for itself: {@link #retryOn}, {@link #jitter} and {@link #onEvent} make a new one,
     * which starts from zero; {@link #none()} is one object shared by every user, so its counts are everyone's.
     */
    @Override
    public Snapshot snapshot() {
        Snapshot.Builder b = Snapshot.of("retry").counter("operations", operations.sum())
                .counter("attempts.failed", attemptsFailed.sum()).counter("retries", retries.sum())
                .counter("succeeded", succeeded.sum()).counter("succeeded.after_retry", succeededAfterRetry.sum());
        for (GiveUpReason r : GiveUpReason.values()) {
            b.counter("gave_up." + r.name().toLowerCase(), gaveUp[r.ordinal()].sum());
        }
        return b.build();
    }

    @Override
    public String toString() {
        return maxAttempts == 1 ? "Retry.none()"
                : "Retry.backoff(" + maxAttempts + ", " + initialDelay + ", " + maxDelay + ")";
    }

    // ------------------------------------------------------------------------------------------- decisions

    /** Why an operation stopped retrying. */
    public enum GiveUpReason {
        /** The failure may not be retried: an {@link Error}, an interrupt, or an exception the filter refuses. */
        NOT_RETRYABLE,
        /** The last allowed attempt failed. */
        ATTEMPTS_EXHAUSTED,
        /** The next attempt could not start before the context's deadline. */
        DEADLINE,
        /** The context ended: no other attempt may start. */
        CANCELLED
    }

    /** What to do after a failed attempt. */
    public sealed interface Decision {
        /** Wait {@code delay} (on the context's clock, ended early by the context), then attempt again. */
        record RetryAfter(Duration delay) implements Decision {}

        /** Stop: {@code error} (the last attempt's failure) is the operation's. */
        record GiveUp(GiveUpReason reason, Throwable error) implements Decision {}
    }

    /**
     * One operation's attempts under the policy: which attempt is running, what failed so far, and what to do
     * after a failure. Used by one thread at a time (the one running the operation).
     */
    public final class Attempts {
        private final Context ctx;
        private final List<Throwable> errors = new ArrayList<>();
        private int attempt = 1;
        private boolean over;

        private final Consumer<? super RetryEvent> also; // null: only the policy's listener

        private Attempts(Context ctx, Consumer<? super RetryEvent> also) {
            this.ctx = ctx;
            this.also = also;
            operations.increment();
        }

        /** The number of the attempt running, or the last one once the operation is over: 1 first. */
        public int attempt() {
            return attempt;
        }

        /** The failures so far, oldest first. */
        public List<Throwable> errors() {
            return Collections.unmodifiableList(errors);
        }

        /** The current attempt returned: the operation is over. */
        public void succeeded() {
            checkNotOver();
            end();
            succeeded.increment();
            if (attempt > 1) {
                succeededAfterRetry.increment();
            }
            emit(new RetryEvent.Succeeded(attempt, List.copyOf(errors)));
        }

        /** The current attempt threw {@code error}: retry after a delay, or give up (see {@link Retry}). */
        public Decision failed(Throwable error) {
            Objects.requireNonNull(error, "error");
            checkNotOver();
            errors.add(error);
            attemptsFailed.increment();
            GiveUpReason reason;
            Duration delay = null;
            if (ctx.isDone()) {
                reason = GiveUpReason.CANCELLED;
            } else if (!isRetryable(error)) {
                reason = GiveUpReason.NOT_RETRYABLE;
            } else if (attempt >= maxAttempts) {
                reason = GiveUpReason.ATTEMPTS_EXHAUSTED;
            } else {
                delay = delay(attempt);
                reason = reachesDeadline(delay) ? GiveUpReason.DEADLINE : null;
            }
            if (reason != null) {
                end(reason);
                emit(new RetryEvent.GaveUp(errors.size(), reason, List.copyOf(errors)));
                return new Decision.GiveUp(reason, error);
            }
            retries.increment();
            emit(new RetryEvent.Retrying(attempt, error, delay));
            attempt++;
            return new Decision.RetryAfter(delay);
        }

        /**
         * The current attempt failed with {@code error}, which its caller knows to be permanent: give up, as for a
         * failure that is not retryable, whatever the filter says.
         */
        public Decision.GiveUp failedForGood(Throwable error) {
            Objects.requireNonNull(error, "error");
            checkNotOver();
            errors.add(error);
            attemptsFailed.increment();
            end(GiveUpReason.NOT_RETRYABLE);
            emit(new RetryEvent.GaveUp(errors.size(), GiveUpReason.NOT_RETRYABLE, List.copyOf(errors)));
            return new Decision.GiveUp(GiveUpReason.NOT_RETRYABLE, error);
        }

        /**
         * Waits {@code delay} on the context's clock, parked in a select over a timer and the context's done
         * channel. {@code false}, with a {@link GiveUpReason#CANCELLED} event, if the context ended first.
         *
         * @throws InterruptedException if the thread is interrupted while it waits
         */
        public boolean pause(Duration delay) throws InterruptedException {
            boolean waited = delay.isZero() ? !ctx.isDone()
                    : Select.select(Select.after(delay, ctx.clock(), () -> true), ctx.onDone(() -> false));
            if (!waited) {
                end(GiveUpReason.CANCELLED);
                emit(new RetryEvent.GaveUp(errors.size(), GiveUpReason.CANCELLED, List.copyOf(errors)));
            }
            return waited;
        }

        /**
         * The context's error, as it is: what a cancelled call throws, as Go's returns {@code ctx.Err()}. (Nothing
         * is added to it: a context's error is one object, shared by everyone who asks that context.)
         */
        ContextException cancelled() {
            if (!over) {
                end(GiveUpReason.CANCELLED);
                emit(new RetryEvent.GaveUp(errors.size(), GiveUpReason.CANCELLED, List.copyOf(errors)));
            }
            return ctx.err().orElseThrow();
        }

        /** {@code last}, with every earlier failure suppressed in it, oldest first. */
        private <X extends Throwable> X withHistory(X last) {
            for (Throwable earlier : errors) {
                if (earlier != last && !List.of(last.getSuppressed()).contains(earlier)) {
                    last.addSuppressed(earlier);
                }
            }
            return last;
        }

        private boolean reachesDeadline(Duration delay) {
            OptionalLong deadline = ctx.deadline();
            return deadline.isPresent() && ctx.clock().nanoTime() + delay.toNanos() - deadline.getAsLong() >= 0;
        }

        private void checkNotOver() {
            if (over) {
                throw new IllegalStateException("retry: the operation is over: it gave up or succeeded at attempt "
                        + attempt + "; begin() another");
            }
        }

        private void end() {
            over = true;
        }

        private void end(GiveUpReason reason) {
            over = true;
            gaveUp[reason.ordinal()].increment();
        }

        private void emit(RetryEvent event) {
            tell(listener, event);
            if (also != null) {
                tell(also, event);
            }
        }

        private static void tell(Consumer<? super RetryEvent> to, RetryEvent event) {
            try {
                to.accept(event);
            } catch (RuntimeException | Error listenerFailed) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, listenerFailed);
            }
        }
    }
}
