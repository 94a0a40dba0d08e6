package dev.gopatterns.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    @DisplayName("a task that throws in advance: the other due tasks still run, time reaches its target, "
            + "then advance rethrows the first failure with the later ones suppressed")
    void advanceRunsEveryDueTaskThenRethrowsTheFirstFailure() {
        FakeClock clock = new FakeClock();
        List<String> ran = new ArrayList<>();
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        clock.schedule(Duration.ofSeconds(1).toNanos(), () -> ran.add("1s"));
        clock.schedule(Duration.ofSeconds(2).toNanos(), () -> {
            ran.add("2s");
            throw first;
        });
        clock.schedule(Duration.ofSeconds(3).toNanos(), () -> ran.add("3s"));
        clock.schedule(Duration.ofSeconds(4).toNanos(), () -> {
            ran.add("4s");
            throw second;
        });
        clock.schedule(Duration.ofSeconds(9).toNanos(), () -> ran.add("9s"));

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5))).isSameAs(first)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
        assertThat(ran).containsExactly("1s", "2s", "3s", "4s");
        assertThat(clock.nanoTime()).as("the time reached its target").isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(clock.pendingTasks()).as("the 9 s task is still scheduled").isOne();

        clock.advance(Duration.ofSeconds(4));
        assertThat(ran).containsExactly("1s", "2s", "3s", "4s", "9s");
    }
}
