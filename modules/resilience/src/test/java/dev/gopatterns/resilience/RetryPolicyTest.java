package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The policy's arithmetic: ceilings, jitter, what is retryable, and the errors that name a misuse. */
class RetryPolicyTest {

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheCap() {
        Retry r = Retry.backoff(10, Duration.ofMillis(10), Duration.ofMillis(100));
        assertThat(r.ceiling(1)).isEqualTo(Duration.ofMillis(10));
        assertThat(r.ceiling(2)).isEqualTo(Duration.ofMillis(20));
        assertThat(r.ceiling(3)).isEqualTo(Duration.ofMillis(40));
        assertThat(r.ceiling(4)).isEqualTo(Duration.ofMillis(80));
        assertThat(r.ceiling(5)).isEqualTo(Duration.ofMillis(100));
        assertThat(r.ceiling(1000)).as("no overflow").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void delaysAreFullJitterSpreadOverZeroToTheCeiling() {
        Retry r = Retry.backoff(10, Duration.ofMillis(100), Duration.ofSeconds(10)).jitter(new SplittableRandom(1));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = r.delay(3).toNanos();
            assertThat(d).isBetween(0L, Duration.ofMillis(400).toNanos());
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).as("full jitter reaches near zero").isLessThan(Duration.ofMillis(4).toNanos());
        assertThat(max).as("and near the ceiling").isGreaterThan(Duration.ofMillis(396).toNanos());
    }

    @Test
    void retryableIsAnExceptionTheFilterAccepts() {
        Retry r = Retry.backoff(3, Duration.ZERO, Duration.ZERO).retryOn(IOException.class);
        assertThat(r.isRetryable(new IOException())).isTrue();
        assertThat(r.isRetryable(new IllegalStateException())).isFalse();
        assertThat(r.isRetryable(new AssertionError())).as("an Error never").isFalse();
        assertThat(Retry.backoff(3, Duration.ZERO, Duration.ZERO).isRetryable(new InterruptedException()))
                .as("an interrupt never").isFalse();
        assertThat(Retry.none().maxAttempts()).isOne();
    }

    @Test
    void misuseNamesTheRule() {
        assertThatThrownBy(() -> Retry.backoff(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("retry: maxAttempts must be >= 1 (1 means no retry), was 0");
        assertThatThrownBy(() -> Retry.backoff(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("retry: maxDelay (PT1S) must be >= initialDelay (PT2S)");
        assertThatThrownBy(() -> Retry.backoff(2, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("delays must be >= 0");
        assertThatThrownBy(() -> Retry.none().ceiling(0)).hasMessageContaining("the first retry is number 1");
    }
}
