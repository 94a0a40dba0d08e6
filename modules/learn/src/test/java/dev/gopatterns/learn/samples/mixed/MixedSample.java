package dev.gopatterns.learn.samples.mixed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Not run by the build (surefire runs *Test classes only): TestRunnerTest runs it through the launcher, as
 * ./learn runs an exercise, to see every kind of outcome come out right.
 */
@DisplayName("mixed sample")
class MixedSample {

    @Test
    @DisplayName("passes")
    void passes() {}

    @Test
    @DisplayName("fails with a rule")
    void fails() {
        assertThat(1).as("the rule in plain words").isEqualTo(2);
    }

    @Test
    @DisplayName("stops at a TODO")
    void todo() {
        Stub.work();
    }

    @Test
    @Disabled("not today")
    @DisplayName("is skipped")
    void skipped() {}

    @ParameterizedTest(name = "case {0}")
    @ValueSource(ints = {1, 2})
    @DisplayName("repeats")
    void repeats(int n) {
        assertThat(n).isPositive();
    }
}
