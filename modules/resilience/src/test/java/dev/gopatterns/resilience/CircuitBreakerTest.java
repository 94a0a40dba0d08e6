package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.resilience.CircuitBreaker.State;
import dev.gopatterns.resilience.CircuitBreaker.Transition;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CircuitBreaker}'s state machine, its windows and its transitions, on a {@link FakeClock}. */
class CircuitBreakerTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    private CircuitBreaker.Builder breaker() {
        return CircuitBreaker.builder("backend").clock(clock).slidingWindow(CircuitBreaker.Window.count(10))
                .minimumCalls(4).failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30))
                .permittedCallsInHalfOpen(2);
    }

    private static void succeed(CircuitBreaker b) throws Exception {
        String got = b.call(Context.background(), c -> "ok");
        assertThat(got).isEqualTo("ok");
    }

    private static void fail(CircuitBreaker b) {
        assertThatThrownBy(() -> b.call(Context.background(), c -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class).hasMessage("down");
    }

    private static List<Transition> drain(ReceiveChannel<Transition> ch) {
        List<Transition> got = new ArrayList<>();
        while (ch.tryReceive() instanceof Received.Value<Transition>(var t)) {
            got.add(t);
        }
        return got;
    }

    @Test
    @DisplayName("closed: judged only once the window holds minimumCalls; a failure rate at the threshold opens it")
    void opensAtTheThreshold() throws Exception {
        CircuitBreaker b = breaker().build();
        fail(b);
        fail(b);
        fail(b);
        assertThat(b.state()).as("3 failures of 3, but fewer than minimumCalls (4)").isEqualTo(State.CLOSED);
        succeed(b);
        assertThat(b.state()).as("3 of 4 failed: 75% >= 50%").isEqualTo(State.OPEN);
        assertThat(b.metrics().failureRate()).isEqualTo(75f);
    }

    @Test
    @DisplayName("below the threshold it stays closed; the count window forgets the oldest outcomes")
    void countWindowSlides() throws Exception {
        CircuitBreaker b = breaker().build();
        fail(b);
        for (int i = 0; i < 9; i++) {
            succeed(b);
        }
        assertThat(b.metrics()).satisfies(m -> {
            assertThat(m.calls()).isEqualTo(10);
            assertThat(m.failedCalls()).isOne();
        });
        succeed(b);
        assertThat(b.metrics().failedCalls()).as("the failure slid out of the last 10").isZero();
        for (int i = 0; i < 4; i++) {
            fail(b);
        }
        assertThat(b.state()).as("4 of 10: 40% < 50%").isEqualTo(State.CLOSED);
        fail(b);
        assertThat(b.state()).as("5 of 10: 50%").isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("open: calls are refused, not made, and counted, until the wait is over; then half-open")
    void openRefusesUntilTheWaitIsOver() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        fail(b);
        AtomicInteger made = new AtomicInteger();
        assertThatThrownBy(() -> b.call(ctx, c -> made.incrementAndGet()))
                .isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
                    assertThat(e.breaker()).isEqualTo("backend");
                    assertThat(e.state()).isEqualTo(State.OPEN);
                })
                .hasMessage("circuit breaker 'backend' is OPEN: calls are not permitted until its wait in the open"
                        + " state is over");
        assertThat(made).hasValue(0);
        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(b.tryAcquire()).isEmpty();
        assertThat(b.metrics().notPermitted()).isEqualTo(2);
        clock.advance(Duration.ofNanos(1));
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    @DisplayName("half-open: exactly the trial calls are permitted; all good closes it with an empty window")
    void halfOpenCloses() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        fail(b);
        clock.advance(Duration.ofSeconds(30));
        CircuitBreaker.Permit one = b.acquire();
        CircuitBreaker.Permit two = b.acquire();
        assertThatThrownBy(b::acquire).isInstanceOf(CallNotPermittedException.class)
                .hasMessageContaining("every trial call of the half-open state is taken");
        one.succeeded();
        assertThat(b.state()).as("one trial of two has ended").isEqualTo(State.HALF_OPEN);
        two.succeeded();
        assertThat(b.state()).isEqualTo(State.CLOSED);
        assertThat(b.metrics().calls()).as("a new window").isZero();
    }

    @Test
    @DisplayName("half-open: trials at the threshold open it again, for another full wait")
    void halfOpenReopens() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        fail(b);
        clock.advance(Duration.ofSeconds(30));
        succeed(b);
        fail(b);
        assertThat(b.state()).as("1 of 2 trials failed: 50%").isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(29));
        assertThat(b.state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    @DisplayName("a refusal names the state that refused, even when the state moves on right after it")
    void refusalNamesTheRefusingState() {
        AtomicBoolean ticking = new AtomicBoolean(); // once set, time moves 1 ns on after every read of the clock
        Clock clockThatTicks = new Clock() {
            @Override
            public long nanoTime() {
                long now = clock.nanoTime();
                if (ticking.get()) {
                    clock.advance(Duration.ofNanos(1));
                }
                return now;
            }

            @Override
            public void parkUntil(long deadlineNanos, Object blocker) {
                clock.parkUntil(deadlineNanos, blocker);
            }

            @Override
            public Scheduled schedule(long delayNanos, Runnable task) {
                return clock.schedule(delayNanos, task);
            }
        };
        CircuitBreaker b = breaker().clock(clockThatTicks).minimumCalls(1).build();
        fail(b);
        clock.advance(Duration.ofSeconds(30).minusNanos(1));
        ticking.set(true); // acquire's refusal reads the last nanosecond of the wait; the wait is over right after
        assertThatThrownBy(b::acquire)
                .isInstanceOfSatisfying(CallNotPermittedException.class,
                        e -> assertThat(e.state()).as("refused while OPEN, whatever the state a moment later")
                                .isEqualTo(State.OPEN))
                .hasMessageContaining("until its wait in the open state is over");
        assertThat(b.state()).as("the wait is over now").isEqualTo(State.HALF_OPEN);
        assertThat(b.metrics().notPermitted()).isOne();
    }

    @Test
    @DisplayName("a released trial frees its slot; a permit from before a transition counts for nothing after it")
    void releasedAndStalePermits() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        CircuitBreaker.Permit stale = b.acquire(); // taken while closed
        fail(b); // opens
        stale.failed(new IOException("late")); // ignored: permitted in the closed state that has ended
        clock.advance(Duration.ofSeconds(30));
        CircuitBreaker.Permit trial = b.acquire();
        b.acquire();
        trial.release();
        CircuitBreaker.Permit again = b.acquire();
        again.succeeded();
        again.failed(new IOException("a second report")); // ignored
        assertThat(b.metrics()).satisfies(m -> {
            assertThat(m.state()).isEqualTo(State.HALF_OPEN);
            assertThat(m.calls()).as("the trials ended so far").isOne();
            assertThat(m.failedCalls()).isZero();
        });
    }

    @Test
    @DisplayName("slow calls, on the breaker's clock, open it at the slow-call rate, failed or not")
    void slowCalls() throws Exception {
        CircuitBreaker b = breaker().slowCallDuration(Duration.ofSeconds(2)).slowCallRateThreshold(50).build();
        for (int i = 0; i < 2; i++) {
            b.call(ctx, c -> {
                clock.advance(Duration.ofSeconds(2));
                return "slow";
            });
        }
        succeed(b);
        assertThat(b.state()).as("2 slow of 3, fewer than minimumCalls").isEqualTo(State.CLOSED);
        succeed(b);
        assertThat(b.metrics().slowCallRate()).isEqualTo(50f);
        assertThat(b.state()).isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("a time window counts the calls of the last n seconds")
    void timeWindow() throws Exception {
        CircuitBreaker b = breaker().slidingWindow(CircuitBreaker.Window.time(5)).build();
        fail(b);
        fail(b);
        fail(b);
        clock.advance(Duration.ofSeconds(5));
        assertThat(b.metrics().calls()).as("5 s later the failures have aged out").isZero();
        succeed(b);
        fail(b);
        fail(b);
        fail(b);
        assertThat(b.state()).as("3 of 4 in the window").isEqualTo(State.OPEN);
    }

    @Test
    @DisplayName("a call ended by its context, or by an interrupt, is not the service's failure; recordOn decides")
    void whatCounts() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        CancellableContext cancelled = Context.withCancel(ctx);
        cancelled.cancel();
        assertThatThrownBy(() -> b.call(cancelled, c -> {
            c.throwIfDone();
            return "unreachable";
        })).isInstanceOf(dev.gopatterns.context.ContextCanceledException.class);
        assertThatThrownBy(() -> b.call(ctx, c -> {
            throw new InterruptedException();
        })).isInstanceOf(InterruptedException.class);
        assertThat(b.metrics().calls()).isZero();
        CircuitBreaker onlyIo = breaker().minimumCalls(1).recordOn(e -> e instanceof IOException).build();
        assertThatThrownBy(() -> onlyIo.call(ctx, c -> {
            throw new IllegalArgumentException("the caller's bug");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(onlyIo.state()).isEqualTo(State.CLOSED);
    }

    @Test
    @DisplayName("every transition reaches every subscriber in order, numbered; a full subscriber misses some, and sees the gap")
    void transitions() throws Exception {
        CircuitBreaker b = breaker().minimumCalls(1).build();
        try (CircuitBreaker.Subscription all = b.subscribe(16); CircuitBreaker.Subscription one = b.subscribe(1)) {
            fail(b);
            clock.advance(Duration.ofSeconds(30));
            succeed(b);
            succeed(b);
            long t = clock.nanoTime();
            assertThat(drain(all.transitions())).containsExactly(
                    new Transition(State.CLOSED, State.OPEN, t - Duration.ofSeconds(30).toNanos(), 1),
                    new Transition(State.OPEN, State.HALF_OPEN, t, 2),
                    new Transition(State.HALF_OPEN, State.CLOSED, t, 3));
            assertThat(drain(one.transitions())).extracting(Transition::sequence).containsExactly(1L);
            one.close();
            assertThat(one.transitions().receiveOrClosed()).isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @DisplayName("half-open under contention: of 8 threads racing, exactly the permitted trial calls get in")
    void halfOpenUnderContention() throws Exception {
        for (int round = 0; round < 200; round++) {
            CircuitBreaker b = breaker().minimumCalls(1).permittedCallsInHalfOpen(3).build();
            fail(b);
            clock.advance(Duration.ofSeconds(30));
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<Optional<CircuitBreaker.Permit>>> tries = new ArrayList<>();
            try (TestThreads threads = TestThreads.platform()) {
                for (int i = 0; i < 8; i++) {
                    tries.add(threads.submit("caller-" + i, () -> {
                        start.await();
                        return b.tryAcquire();
                    }));
                }
                int permitted = 0;
                for (Future<Optional<CircuitBreaker.Permit>> f : tries) {
                    permitted += f.get().isPresent() ? 1 : 0;
                }
                assertThat(permitted).as("round %d", round).isEqualTo(3);
                assertThat(b.metrics().notPermitted()).isEqualTo(5);
            }
        }
    }

    @Test
    @DisplayName("misuse names the rule")
    void misuse() {
        assertThatThrownBy(() -> CircuitBreaker.Window.count(0))
                .hasMessage("circuit breaker: a count window holds >= 1 call, was 0");
        assertThatThrownBy(() -> CircuitBreaker.builder("x").failureRateThreshold(0))
                .hasMessage("circuit breaker: failureRateThreshold must be in (0, 100], was 0.0");
        assertThatThrownBy(() -> CircuitBreaker.builder("x").waitInOpen(Duration.ZERO))
                .hasMessage("circuit breaker: waitInOpen must be > 0, was PT0S");
        assertThatThrownBy(() -> CircuitBreaker.builder("x").permittedCallsInHalfOpen(0))
                .hasMessage("circuit breaker: permittedCallsInHalfOpen must be >= 1, was 0");
        assertThatThrownBy(() -> CircuitBreaker.builder("x").build().subscribe(0))
                .hasMessage("circuit breaker: a subscription holds >= 1 transition, was 0");
    }
}
