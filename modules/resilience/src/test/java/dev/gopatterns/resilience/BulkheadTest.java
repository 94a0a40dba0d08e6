package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Bulkhead}: a semaphore with a bounded wait, on a {@link FakeClock}. */
class BulkheadTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    /** A call that holds its place until {@code gate} is closed. */
    private static Policy.Body<String> heldBy(Channel<Void> gate, AtomicInteger inside) {
        return c -> {
            inside.incrementAndGet();
            try {
                gate.receiveOrClosed();
                return "done";
            } finally {
                inside.decrementAndGet();
            }
        };
    }

    @Test
    @DisplayName("at most maxConcurrent calls run at once; a call over the limit fails after maxWait, uncalled")
    void boundsConcurrencyAndTheWait() throws Exception {
        Bulkhead b = Bulkhead.of("db", 2, Duration.ofMillis(50), clock);
        Channel<Void> gate = Channel.make(0);
        AtomicInteger inside = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> one = threads.submit("one", () -> b.call(ctx, heldBy(gate, inside)));
            Future<String> two = threads.submit("two", () -> b.call(ctx, heldBy(gate, inside)));
            Await.until("both calls inside", () -> inside.get() == 2);
            AtomicInteger thirdCalled = new AtomicInteger();
            Future<BulkheadFullException> third = threads.submitExpecting("third", BulkheadFullException.class,
                    () -> b.call(ctx, c -> thirdCalled.incrementAndGet()));
            clock.awaitSleepers(1, Duration.ofSeconds(5)); // the third waits its 50 ms
            assertThat(b.metrics().waiting()).isOne();
            clock.advance(Duration.ofMillis(49));
            assertThat(third).isNotDone();
            clock.advance(Duration.ofMillis(1));
            assertThat(third.get().getMessage()).isEqualTo("bulkhead 'db' is full: 2 calls were running and none"
                    + " ended within PT0.05S");
            assertThat(thirdCalled).hasValue(0);
            assertThat(b.metrics()).isEqualTo(new Bulkhead.Metrics(2, 2, 0, 1));
            gate.close();
            assertThat(one.get()).isEqualTo("done");
            assertThat(two.get()).isEqualTo("done");
        }
        assertThat(b.metrics()).isEqualTo(new Bulkhead.Metrics(2, 0, 0, 1));
    }

    @Test
    @DisplayName("a waiting call gets the place a finishing call gives back, before its wait is over")
    void aWaiterIsAdmittedWhenAPlaceIsFreed() throws Exception {
        Bulkhead b = Bulkhead.of("db", 1, Duration.ofSeconds(1), clock);
        Channel<Void> gate = Channel.make(0);
        AtomicInteger inside = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> first = threads.submit("first", () -> b.call(ctx, heldBy(gate, inside)));
            Await.until("the first call inside", () -> inside.get() == 1);
            Future<String> second = threads.submit("second", () -> b.call(ctx, c -> "second"));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            gate.close();
            assertThat(first.get()).isEqualTo("done");
            assertThat(second.get()).isEqualTo("second");
        }
        assertThat(b.metrics().rejected()).isZero();
    }

    @Test
    @DisplayName("the place is given back however the body ends: a failing body does not shrink the bulkhead")
    void releasesOnFailure() throws Exception {
        Bulkhead b = Bulkhead.of("db", 1, Duration.ZERO, clock);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> b.call(ctx, c -> {
                throw new IOException("down");
            })).isInstanceOf(IOException.class);
        }
        assertThat(b.<Object>call(ctx, c -> "up")).isEqualTo("up");
        assertThat(b.metrics().running()).isZero();
    }

    @Test
    @DisplayName("maxWait zero never waits: a full bulkhead refuses at once")
    void zeroWaitRefusesAtOnce() throws Exception {
        Bulkhead b = Bulkhead.of("db", 1, Duration.ZERO, clock);
        b.enter(ctx);
        try {
            assertThatThrownBy(() -> b.call(ctx, c -> "never")).isInstanceOf(BulkheadFullException.class)
                    .hasMessage("bulkhead 'db' is full: 1 calls were running");
        } finally {
            b.leave();
        }
        assertThat(clock.sleepers()).isZero();
    }

    @Test
    @DisplayName("a caller's context that ends while it waits: the context's error, not counted as a rejection")
    void cancelWhileWaiting() throws Exception {
        Bulkhead b = Bulkhead.of("db", 1, Duration.ofSeconds(10), clock);
        b.enter(ctx);
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext caller = Context.withCancel(ctx)) {
            Future<ContextCanceledException> waiting = threads.submitExpecting("waiting",
                    ContextCanceledException.class, () -> b.call(caller, c -> "never"));
            clock.awaitSleepers(1, Duration.ofSeconds(5));
            caller.cancel();
            assertThat(waiting.get()).isNotNull();
        } finally {
            b.leave();
        }
        assertThat(b.metrics()).isEqualTo(new Bulkhead.Metrics(1, 0, 0, 0));
    }

    @Test
    @DisplayName("misuse fails with a message naming the rule")
    void misuse() {
        assertThatThrownBy(() -> Bulkhead.of("db", 0, Duration.ZERO)).hasMessage(
                "bulkhead: maxConcurrent must be >= 1, was 0");
        assertThatThrownBy(() -> Bulkhead.of("db", 1, Duration.ofMillis(-1))).hasMessage(
                "bulkhead: maxWait must be >= 0, was PT-0.001S");
    }
}
