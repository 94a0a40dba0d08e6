package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.resilience.Retry.GiveUpReason;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Retry#call} and {@link Retry.Attempts}: the attempts, the waits between them on a {@link FakeClock} (the
 * test moves the clock only once the call is parked on it, so every wait is seen, never slept), when the
 * policy gives up and what the caller then gets, and the events.
 */
class RetryTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Jitter pinned to the top of its range ([0, ceiling]): every delay is its ceiling, so the test knows it. */
    private static final RandomGenerator CEILING = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only bounded draws");
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private final FakeClock clock = new FakeClock();
    private final List<RetryEvent> events = new CopyOnWriteArrayList<>();
    private final Retry policy = Retry.backoff(4, Duration.ofMillis(100), SECOND).jitter(CEILING)
            .onEvent(events::add);

    /** Fails with an IOException named after the attempt until attempt {@code succeedAt}, which returns "ok". */
    private static Policy.Body<String> failUntil(int succeedAt, AtomicInteger calls) {
        return ctx -> {
            int n = calls.incrementAndGet();
            if (n < succeedAt) {
                throw new IOException("attempt " + n);
            }
            return "ok";
        };
    }

    /**
     * Waits until attempt {@code attempts} has failed and the call waits on the clock. The count moves only after
     * the previous wait's thread has left the clock, so the sleeper seen is the new wait.
     */
    private void awaitWaiting(AtomicInteger calls, int attempts) {
        Await.until(() -> "attempt " + attempts + " to fail and the call to wait on the clock (attempts: " + calls
                + ", waiting: " + clock.sleepers() + ")", () -> calls.get() == attempts && clock.sleepers() == 1);
    }

    @Test
    @DisplayName("a failing call is retried after the ceiling's delays (pinned jitter: 100, 200 ms), on the context's clock")
    void retriesAfterTheDelays() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> call = threads.submit("call", () -> policy.call(Context.background(clock),
                    failUntil(3, calls)));
            awaitWaiting(calls, 1);
            clock.advance(Duration.ofMillis(100));
            awaitWaiting(calls, 2);
            clock.advance(Duration.ofMillis(200));
            assertThat(call.get()).isEqualTo("ok");
        }
        assertThat(calls).hasValue(3);
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOfSatisfying(RetryEvent.Retrying.class, e -> {
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.error()).hasMessage("attempt 1");
            assertThat(e.delay()).isEqualTo(Duration.ofMillis(100));
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(RetryEvent.Retrying.class,
                e -> assertThat(e.delay()).isEqualTo(Duration.ofMillis(200)));
        assertThat(events.get(2)).isInstanceOfSatisfying(RetryEvent.Succeeded.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.errors()).extracting(Throwable::getMessage).containsExactly("attempt 1", "attempt 2");
        });
    }

    @Test
    @DisplayName("out of attempts: the last failure is thrown as it was, with the earlier ones suppressed in it")
    void exhaustedThrowsTheLastWithItsHistory() throws Exception {
        Retry noWait = Retry.backoff(3, Duration.ZERO, Duration.ZERO).onEvent(events::add);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> noWait.call(Context.background(clock), failUntil(10, calls)))
                .isInstanceOf(IOException.class).hasMessage("attempt 3")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("attempt 1", "attempt 2"));
        assertThat(calls).hasValue(3);
        assertThat(events.getLast()).isEqualTo(new RetryEvent.GaveUp(3, GiveUpReason.ATTEMPTS_EXHAUSTED,
                ((RetryEvent.GaveUp) events.getLast()).errors()));
        assertThat(((RetryEvent.GaveUp) events.getLast()).errors()).hasSize(3);
    }

    @Test
    @DisplayName("a failure the filter refuses, an Error and an interrupt end the call at once, thrown as they are")
    void notRetryable() {
        Retry onlyIo = policy.retryOn(IOException.class);
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> onlyIo.call(Context.background(clock), ctx -> {
            calls.incrementAndGet();
            throw new IllegalStateException("a bug, not a blip");
        })).isInstanceOf(IllegalStateException.class).hasMessage("a bug, not a blip");
        assertThatThrownBy(() -> onlyIo.call(Context.background(clock), ctx -> {
            calls.incrementAndGet();
            throw new AssertionError("an Error");
        })).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> policy.call(Context.background(clock), ctx -> {
            calls.incrementAndGet();
            throw new InterruptedException("stop");
        })).isInstanceOf(InterruptedException.class);
        assertThat(calls).as("one attempt each").hasValue(3);
        assertThat(events).filteredOn(e -> e instanceof RetryEvent.GaveUp g
                && g.reason() == GiveUpReason.NOT_RETRYABLE).hasSize(3);
        assertThat(clock.sleepers()).as("no wait was started").isZero();
    }

    @Test
    @DisplayName("a delay that would reach the context's deadline is not waited: the call gives up at once with the failure")
    void deadline() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (CancellableContext ctx = Context.withTimeout(Context.background(clock), Duration.ofMillis(250))) {
            // Delays 100 ms (ends at 100 < 250: waited), then 200 ms (would end at 300 >= 250: not waited).
            try (TestThreads threads = TestThreads.virtual()) {
                Future<IOException> call = threads.submitExpecting("call", IOException.class,
                        () -> policy.call(ctx, failUntil(10, calls)));
                awaitWaiting(calls, 1);
                clock.advance(Duration.ofMillis(100));
                assertThat(call.get()).hasMessage("attempt 2");
            }
            assertThat(ctx.isDone()).as("given up before the deadline, not at it").isFalse();
        }
        assertThat(calls).hasValue(2);
        assertThat(events.getLast()).isInstanceOfSatisfying(RetryEvent.GaveUp.class,
                g -> assertThat(g.reason()).isEqualTo(GiveUpReason.DEADLINE));
    }

    @Test
    @DisplayName("a cancel during the wait ends it at once: the call throws the context's error, and the event has the failures")
    void cancelDuringTheWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (CancellableContext ctx = Context.withCancel(Context.background(clock));
                TestThreads threads = TestThreads.virtual()) {
            Future<ContextCanceledException> call = threads.submitExpecting("call", ContextCanceledException.class,
                    () -> policy.call(ctx, failUntil(10, calls)));
            awaitWaiting(calls, 1);
            ctx.cancel();
            assertThat(call.get()).isSameAs(ctx.err().orElseThrow());
        }
        assertThat(calls).hasValue(1);
        assertThat(events.getLast()).isInstanceOfSatisfying(RetryEvent.GaveUp.class, g -> {
            assertThat(g.reason()).isEqualTo(GiveUpReason.CANCELLED);
            assertThat(g.attempts()).isOne();
            assertThat(g.errors()).extracting(Throwable::getMessage).containsExactly("attempt 1");
        });
    }

    @Test
    @DisplayName("a context that has ended before the call: no attempt, the context's error")
    void endedBeforeTheFirstAttempt() {
        CancellableContext ctx = Context.withCancel(Context.background(clock));
        ctx.cancel();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.call(ctx, failUntil(1, calls))).isInstanceOf(ContextCanceledException.class);
        assertThat(calls).hasValue(0);
        assertThat(events).containsExactly(new RetryEvent.GaveUp(0, GiveUpReason.CANCELLED, List.of()));
    }

    @Test
    @DisplayName("an interrupt during the wait: InterruptedException, and no other attempt")
    void interruptDuringTheWait() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<InterruptedException> call = threads.submitExpecting("call", InterruptedException.class,
                    () -> policy.call(Context.background(clock), failUntil(10, calls)));
            awaitWaiting(calls, 1);
            threads.threads().forEach(Thread::interrupt);
            assertThat(call.get()).isInstanceOf(InterruptedException.class);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    @DisplayName("a listener that throws changes nothing: its exception goes to the thread's uncaught-exception handler")
    void throwingListener() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Retry noisy = Retry.backoff(2, Duration.ZERO, Duration.ZERO).onEvent(e -> {
            throw new IllegalStateException("listener bug");
        });
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> call = threads.submit("call", () -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
                return noisy.call(Context.background(clock), failUntil(2, new AtomicInteger()));
            });
            assertThat(call.get()).isEqualTo("ok");
        }
        assertThat(uncaught).extracting(Throwable::getMessage).containsExactly("listener bug", "listener bug");
    }

    @Test
    @DisplayName("Attempts refuses to go on after the operation is over, naming the rule")
    void attemptsAfterTheEnd() {
        Retry.Attempts attempts = policy.begin(Context.background(clock));
        attempts.succeeded();
        assertThatThrownBy(() -> attempts.failed(new IOException()))
                .hasMessage("retry: the operation is over: it gave up or succeeded at attempt 1; begin() another");
        Retry.Attempts other = policy.begin(Context.background(clock));
        assertThat(other.failedForGood(new IOException("permanent")).reason()).isEqualTo(GiveUpReason.NOT_RETRYABLE);
        assertThatThrownBy(other::succeeded).hasMessageContaining("the operation is over");
    }
}
