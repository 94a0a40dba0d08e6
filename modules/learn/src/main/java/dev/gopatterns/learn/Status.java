package dev.gopatterns.learn;

import java.util.List;

/** Where the learner is with one exercise, judged from its test results. */
public enum Status {

    /** Every test passes (skipped ones aside). */
    DONE("done"),
    /** Some test fails for a reason other than a TODO left in the stub. */
    FAILING("failing"),
    /** No test passes and every failure is the stub's TODO: the learner has not begun. */
    NOT_STARTED("not started");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    /** "done", "failing", "not started". */
    public String label() {
        return label;
    }

    /**
     * The status that {@code results} show.
     *
     * @throws IllegalArgumentException if {@code results} is empty: with no test, nothing can be judged
     */
    public static Status of(List<TestResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no test results: an exercise without tests has no status");
        }
        boolean anyPassed = results.stream().anyMatch(TestResult::passed);
        boolean anyFailed = results.stream().anyMatch(TestResult::failed);
        if (!anyFailed) {
            return anyPassed ? DONE : FAILING; // all skipped proves nothing
        }
        boolean allTodo = results.stream().filter(TestResult::failed).allMatch(TestResult::stoppedAtTodo);
        return !anyPassed && allTodo ? NOT_STARTED : FAILING;
    }
}
