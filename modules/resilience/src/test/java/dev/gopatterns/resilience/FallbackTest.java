package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Fallback}: a value instead of a failure, never instead of the caller's cancellation. */
class FallbackTest {

    private final Context ctx = Context.background();

    @Test
    @DisplayName("a covered failure becomes the fallback's value; a success is returned as it is")
    void replacesCoveredFailures() throws Exception {
        Fallback<String> f = Fallback.<String>to((c, e) -> "cached after " + e.getMessage()).on(IOException.class);
        assertThat(f.call(ctx, c -> "live")).isEqualTo("live");
        assertThat(f.call(ctx, c -> {
            throw new IOException("reset");
        })).isEqualTo("cached after reset");
        assertThatThrownBy(() -> f.call(ctx, c -> {
            throw new IllegalStateException("a bug");
        })).as("not covered: thrown as it is").isInstanceOf(IllegalStateException.class).hasMessage("a bug");
    }

    @Test
    @DisplayName("never replaces the caller's cancellation, an interrupt, or an Error")
    void neverReplacesCancellation() {
        Fallback<String> f = Fallback.to("default");
        try (CancellableContext caller = Context.withCancel(ctx)) {
            caller.cancel();
            assertThatThrownBy(() -> f.call(caller, c -> {
                throw c.err().orElseThrow();
            })).isInstanceOf(ContextCanceledException.class);
            assertThatThrownBy(() -> f.call(caller, c -> {
                throw new IOException("failed as the caller cancelled");
            })).as("the caller asked to stop: no made-up answer").isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> f.call(ctx, c -> {
            throw new InterruptedException();
        })).isInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> f.call(ctx, c -> {
            throw new AssertionError("broken");
        })).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("a fallback that fails throws its own failure, the body's suppressed in it")
    void failingFallback() {
        IOException body = new IOException("down");
        Fallback<String> f = Fallback.to((c, e) -> {
            throw new UncheckedIOException("the cache is down too", new IOException());
        });
        assertThatThrownBy(() -> f.call(ctx, c -> {
            throw body;
        })).isInstanceOf(UncheckedIOException.class).hasSuppressedException(body);
    }

    @Test
    @DisplayName("a fallback around a breaker: an open breaker's refusal is answered by the fallback")
    void aroundABreaker() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("quotes").slidingWindow(CircuitBreaker.Window.count(1))
                .minimumCalls(1).build();
        Fallback<String> f = Fallback.to("stale quote").on(CallNotPermittedException.class, IOException.class);
        assertThat(f.call(ctx, c -> breaker.call(c, c2 -> {
            throw new IOException("down");
        }))).isEqualTo("stale quote");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(f.call(ctx, c -> breaker.call(c, c2 -> "never called"))).isEqualTo("stale quote");
        assertThat(breaker.metrics().notPermitted()).isOne();
    }
}
