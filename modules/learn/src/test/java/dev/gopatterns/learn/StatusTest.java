package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Status: done, failing or not started, judged from test results")
class StatusTest {

    static final UnsupportedOperationException TODO =
            new UnsupportedOperationException("TODO: exercise 9 — write it");

    @Test
    @DisplayName("every test passing is done; skipped tests do not count against it")
    void done() {
        assertThat(Status.of(List.of(TestResult.passed("a"), TestResult.passed("b")))).isEqualTo(Status.DONE);
        assertThat(Status.of(List.of(TestResult.passed("a"), TestResult.skipped("b")))).isEqualTo(Status.DONE);
    }

    @Test
    @DisplayName("every test stopping at a TODO, and none passing, is not started")
    void notStarted() {
        assertThat(Status.of(List.of(TestResult.failed("a", TODO), TestResult.failed("b", TODO))))
                .isEqualTo(Status.NOT_STARTED);
    }

    @Test
    @DisplayName("a TODO met second-hand, as the cause or a suppressed exception, still counts as a TODO")
    void todoInsideOtherExceptions() {
        AssertionError fromAThread = new AssertionError("thread 'generator' failed", new ExecutionException(TODO));
        IllegalStateException withSuppressed = new IllegalStateException("close failed");
        withSuppressed.addSuppressed(TODO);

        assertThat(Status.of(List.of(TestResult.failed("a", fromAThread), TestResult.failed("b", withSuppressed))))
                .isEqualTo(Status.NOT_STARTED);
    }

    @Test
    @DisplayName("any other failure, or a TODO next to a passing test, is failing")
    void failing() {
        assertThat(Status.of(List.of(TestResult.failed("a", TODO), TestResult.failed("b", new AssertionError("x")))))
                .isEqualTo(Status.FAILING);
        assertThat(Status.of(List.of(TestResult.passed("a"), TestResult.failed("b", TODO))))
                .isEqualTo(Status.FAILING);
        assertThat(Status.of(List.of(TestResult.failed("a", new UnsupportedOperationException("not a todo")))))
                .isEqualTo(Status.FAILING);
        assertThat(Status.of(List.of(TestResult.skipped("a")))).as("nothing ran: nothing proven")
                .isEqualTo(Status.FAILING);
    }

    @Test
    @DisplayName("no results at all cannot be judged")
    void noResults() {
        assertThatThrownBy(() -> Status.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no test results");
    }
}
