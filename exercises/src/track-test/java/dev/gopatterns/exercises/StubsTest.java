package dev.gopatterns.exercises;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.learn.Exercise;
import dev.gopatterns.learn.Status;
import dev.gopatterns.learn.TestResult;
import dev.gopatterns.learn.TestRunner;
import dev.gopatterns.learn.Track;
import dev.gopatterns.testkit.ThreadLeakCheck.AllowThreadLeaks;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The track's own test, run by every build of this module: each exercise, as shipped, is "not started". Its tests
 * exist and compile, and every one of them fails at a TODO in the stub, at once, rather than passing (a stub that
 * gives the answer away) or failing some other way (a test that would confuse a learner before they have begun).
 * The solutions module checks the other half: the same tests pass against the reference solutions.
 *
 * <p>The one deliberate exception is a find-the-bug exercise (its README has a {@code **Find the bug:**} line): its
 * stub is a working-looking program with bugs, so it has no TODO and cannot be "not started". As shipped it must be
 * "failing" in the right way instead: no TODO anywhere, at least one test fails, and every failure is an assertion
 * that names a broken rule (not an exception escaping from the code, which would tell the learner nothing).
 */
@DisplayName("the exercises as shipped")
@AllowThreadLeaks(because = "a find-the-bug stub may leak threads on purpose (exercise `find_the_bug_pool`'s does); its own tests'"
        + " leak check is what reports it, and what this test judges")
class StubsTest {

    @TestFactory
    @DisplayName("every exercise is 'not started': each of its tests stops at a TODO in the stub")
    Stream<DynamicTest> everyStubIsNotStarted() throws Exception {
        Track track = Track.at(Path.of("..")); // Maven runs tests in the module directory
        assertThat(track.exercises()).as("exercises found under %s", track.root()).isNotEmpty();
        return track.exercises().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> check(e)));
    }

    private static void check(Exercise e) {
        List<TestResult> results = TestRunner.run(e.packageName(), r -> {});

        assertThat(results).as("%s has no tests in package %s", e.name(), e.packageName()).isNotEmpty();
        if (e.findTheBug()) {
            checkFindTheBug(e, results);
            return;
        }
        assertThat(results).as("%s: with the stub as shipped, every test must fail at the stub's"
                        + " UnsupportedOperationException(\"TODO: ...\"); these did not", e.name())
                .filteredOn(r -> !r.stoppedAtTodo())
                .extracting(TestResult::name)
                .isEmpty();
        assertThat(Status.of(results)).isEqualTo(Status.NOT_STARTED);
    }

    private static void checkFindTheBug(Exercise e, List<TestResult> results) {
        assertThat(results).as("%s is a find-the-bug exercise: its stub is buggy code to fix, with no TODO; these"
                + " tests stopped at one", e.name()).filteredOn(TestResult::stoppedAtTodo).extracting(TestResult::name)
                .isEmpty();
        assertThat(Status.of(results)).as("%s, a find-the-bug exercise, must fail as shipped: its bugs must be"
                + " caught by some test", e.name()).isEqualTo(Status.FAILING);
        assertThat(results).as("%s, a find-the-bug exercise: every failure as shipped must be an assertion that names"
                + " the rule its bug breaks; these failed with an exception instead", e.name())
                .filteredOn(r -> r.failed() && !(r.failure() instanceof AssertionError))
                .extracting(TestResult::name)
                .isEmpty();
    }
}
