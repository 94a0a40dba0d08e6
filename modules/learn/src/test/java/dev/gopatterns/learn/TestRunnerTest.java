package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gopatterns.learn.TestResult.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TestRunner: one package's tests through the JUnit Platform Launcher")
class TestRunnerTest {

    private static final String SAMPLES = "dev.gopatterns.learn.samples.";

    @Test
    @DisplayName("reports each test as it ends: passed, failed with its exception, skipped, and each case of a"
            + " parameterized test under its method's name")
    void everyOutcome() {
        List<TestResult> told = new ArrayList<>();

        List<TestResult> results = TestRunner.run(SAMPLES + "mixed", told::add);

        assertThat(told).as("told of each result as it ended").containsExactlyElementsOf(results);
        assertThat(results).extracting(TestResult::name, TestResult::outcome).containsExactlyInAnyOrder(
                tuple("passes", Outcome.PASSED),
                tuple("fails with a rule", Outcome.FAILED),
                tuple("stops at a TODO", Outcome.FAILED),
                tuple("is skipped", Outcome.SKIPPED),
                tuple("repeats — case 1", Outcome.PASSED),
                tuple("repeats — case 2", Outcome.PASSED));
        TestResult rule = find(results, "fails with a rule");
        assertThat(rule.failure()).isInstanceOf(AssertionError.class).hasMessageContaining("the rule in plain words");
        assertThat(rule.stoppedAtTodo()).isFalse();
        assertThat(find(results, "stops at a TODO").todoMessage()).contains("TODO: exercise 9 — work");
        assertThat(Status.of(results)).isEqualTo(Status.FAILING);
    }

    @Test
    @DisplayName("a test class that cannot start counts as a failed test, so its tests do not vanish")
    void failedContainer() {
        List<TestResult> results = TestRunner.run(SAMPLES + "broken", r -> {});

        assertThat(results).extracting(TestResult::name, TestResult::outcome)
                .containsExactly(tuple("broken sample", Outcome.FAILED));
        assertThat(results.getFirst().failure()).hasMessage("cannot start");
    }

    @Test
    @DisplayName("a package without tests gives no results")
    void noTests() {
        assertThat(TestRunner.run(SAMPLES + "empty", r -> {})).isEmpty();
    }

    private static TestResult find(List<TestResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
