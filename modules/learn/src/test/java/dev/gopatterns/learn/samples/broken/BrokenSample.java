package dev.gopatterns.learn.samples.broken;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Not run by the build: a test class that cannot even start, for TestRunnerTest. */
@DisplayName("broken sample")
class BrokenSample {

    @BeforeAll
    static void cannotStart() {
        throw new IllegalStateException("cannot start");
    }

    @Test
    void neverRuns() {}
}
