package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Timeout}: a child context with a deadline, an interrupt for bodies that ignore it. */
class TimeoutTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    @Test
    @DisplayName("a body that waits on its context past the limit: CallTimeoutException, its cause the deadline")
    void contextAwareBodyTimesOut() throws Exception {
        Timeout t = Timeout.of(Duration.ofMillis(200));
        try (TestThreads threads = TestThreads.virtual()) {
            Future<CallTimeoutException> call = threads.submitExpecting("call", CallTimeoutException.class,
                    () -> t.call(ctx, c -> {
                        c.done().receiveOrClosed();
                        throw c.err().orElseThrow();
                    }));
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofMillis(199));
            assertThat(call).isNotDone();
            clock.advance(Duration.ofMillis(1));
            CallTimeoutException e = call.get();
            assertThat(e).hasMessage("timeout: the call did not finish within PT0.2S")
                    .hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(e.limit()).isEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    @DisplayName("a body blocked in a receive that ignores its context is interrupted at the limit")
    void contextBlindBodyIsInterrupted() throws Exception {
        Timeout t = Timeout.of(Duration.ofSeconds(1));
        Channel<String> never = Channel.make(0);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<CallTimeoutException> call = threads.submitExpecting("call", CallTimeoutException.class,
                    () -> t.call(ctx, c -> never.receive()));
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(1));
            assertThat(call.get()).isNotNull();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    @DisplayName("within the limit: the body's value or its own failure, as they are; no interrupt left behind")
    void withinTheLimit() throws Exception {
        Timeout t = Timeout.of(Duration.ofSeconds(1));
        assertThat(t.<Object>call(ctx, c -> "fast")).isEqualTo("fast");
        assertThat(Thread.interrupted()).isFalse();
        assertThatThrownBy(() -> t.call(ctx, c -> {
            throw new IOException("refused");
        })).isInstanceOf(IOException.class).hasMessage("refused");
        assertThat(clock.pendingTasks()).as("the child context's timer is stopped when the call returns").isZero();
    }

    @Test
    @DisplayName("the caller's own cancellation is the caller's error, not a timeout")
    void callerCancelIsNotATimeout() throws Exception {
        Timeout t = Timeout.of(Duration.ofSeconds(10));
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext caller = Context.withCancel(ctx)) {
            Channel<Boolean> entered = Channel.make(1);
            Future<ContextCanceledException> call = threads.submitExpecting("call", ContextCanceledException.class,
                    () -> t.call(caller, c -> {
                        entered.send(true);
                        c.done().receiveOrClosed();
                        throw c.err().orElseThrow();
                    }));
            entered.receive();
            caller.cancel();
            assertThat(call.get()).isNotNull();
        }
    }

    @Test
    @DisplayName("misuse fails with a message naming the rule")
    void misuse() {
        assertThatThrownBy(() -> Timeout.of(Duration.ZERO)).hasMessage("timeout: the limit must be > 0, was PT0S");
    }
}
