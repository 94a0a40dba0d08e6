package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link Policy#compose}: the first policy outermost, each given the context the one outside it passes. */
class PolicyTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    /** A policy that writes down when the call enters and leaves it. */
    private static Policy tracing(String name, List<String> trace) {
        return new Policy() {
            @Override
            public <T> T call(Context c, Body<? extends T> body) throws Exception {
                trace.add(name + ">");
                try {
                    return body.call(c);
                } finally {
                    trace.add("<" + name);
                }
            }
        };
    }

    @Test
    @DisplayName("compose nests the policies, the first outermost")
    void nestsInOrder() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        Policy p = Policy.compose(tracing("a", trace), tracing("b", trace), tracing("c", trace));
        assertThat(p.<Object>call(ctx, c -> {
            trace.add("body");
            return 7;
        })).isEqualTo(7);
        assertThat(trace).containsExactly("a>", "b>", "c>", "body", "<c", "<b", "<a");
        assertThat(Policy.none().<Object>call(ctx, c -> "plain")).isEqualTo("plain");
        assertThat(Policy.compose()).isSameAs(Policy.none());
    }

    @Test
    @DisplayName("retry outside a breaker: the retries see the breaker's refusal, and the breaker counts each try")
    void retryAroundABreaker() {
        CircuitBreaker breaker = CircuitBreaker.builder("svc").clock(clock)
                .slidingWindow(CircuitBreaker.Window.count(2)).minimumCalls(2).build();
        Retry retry = Retry.backoff(5, Duration.ZERO, Duration.ZERO);
        AtomicInteger calls = new AtomicInteger();
        Policy p = retry.around(breaker);
        assertThatThrownBy(() -> p.call(ctx, c -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).as("two failures open the breaker; the third try is refused, and CallNotPermitted is retried"
                + " until the attempts are used up").isInstanceOf(CallNotPermittedException.class);
        assertThat(calls).hasValue(2);
        assertThat(breaker.metrics().notPermitted()).isEqualTo(3);
    }
}
