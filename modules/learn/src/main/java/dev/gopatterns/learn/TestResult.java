package dev.gopatterns.learn;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How one test ended.
 *
 * @param name    the test's display name (for a parameterized test, "method name — case name")
 * @param outcome passed, failed or skipped
 * @param failure why it failed; {@code null} unless {@code outcome} is {@link Outcome#FAILED}
 * @param elapsed how long it ran ({@link Duration#ZERO} if it did not run)
 */
public record TestResult(String name, Outcome outcome, Throwable failure, Duration elapsed) {

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /** The message every stub's unfinished method throws with begins with this. */
    public static final String TODO = "TODO";

    public static TestResult passed(String name) {
        return new TestResult(name, Outcome.PASSED, null, Duration.ZERO);
    }

    public static TestResult failed(String name, Throwable failure) {
        return new TestResult(name, Outcome.FAILED, failure, Duration.ZERO);
    }

    public static TestResult skipped(String name) {
        return new TestResult(name, Outcome.SKIPPED, null, Duration.ZERO);
    }

    /** This result, having taken {@code elapsed}. */
    public TestResult took(Duration elapsed) {
        return new TestResult(name, outcome, failure, elapsed);
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /** True if the test stopped at a stub's {@code UnsupportedOperationException("TODO: ...")}. */
    public boolean stoppedAtTodo() {
        return todoMessage().isPresent();
    }

    /** The message of the stub's TODO this test stopped at, if it stopped at one. */
    public Optional<String> todoMessage() {
        UnsupportedOperationException todo = failed() ? todo(failure) : null;
        return Optional.ofNullable(todo).map(Throwable::getMessage);
    }

    /**
     * The stub's TODO exception in {@code failure}'s causes or suppressed exceptions, or {@code null}: a test
     * often meets it second-hand, wrapped by the helper thread or the future that ran the stub.
     */
    static UnsupportedOperationException todo(Throwable failure) {
        return todo(failure, new HashSet<>());
    }

    private static UnsupportedOperationException todo(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return null;
        }
        if (t instanceof UnsupportedOperationException u && u.getMessage() != null
                && u.getMessage().startsWith(TODO)) {
            return u;
        }
        UnsupportedOperationException found = todo(t.getCause(), seen);
        for (Throwable s : t.getSuppressed()) {
            if (found == null) {
                found = todo(s, seen);
            }
        }
        return found;
    }
}
