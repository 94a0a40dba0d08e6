package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every exercise in this repository keeps, so that ./learn can present it: a README with a title,
 * a concept, a complete Go program, what the tests check, hints and the run line; tests in the same package; and
 * a reference solution with the same files. (That the tests fail on the stub and pass on the solution is checked
 * by the exercises and solutions modules.)
 */
@DisplayName("the exercises in this repository")
class RealTrackTest {

    /** Maven runs the tests in modules/learn. */
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    @DisplayName("are all in the track file, which numbers them 1, 2, 3, ... in tiers")
    void allInTheTrackFile() throws Exception {
        Track track = Track.at(ROOT);
        List<Exercise> exercises = track.exercises();
        assertThat(exercises).isNotEmpty();
        for (int i = 0; i < exercises.size(); i++) {
            assertThat(exercises.get(i).number()).as("exercise at position %d", i + 1).isEqualTo(i + 1);
        }
        assertThat(track.unlisted()).as("exercise directories missing from %s: ./learn would never show them",
                Track.FILE).isEmpty();
        assertThat(track.tiers()).as("tiers, each with exercises").isNotEmpty()
                .allSatisfy(t -> assertThat(t.exercises()).as("tier %s", t.id()).isNotEmpty());
    }

    @Test
    @DisplayName("docs/course-map.md shows the track as the track file has it (./learn map --markdown writes it)")
    void courseMapIsUpToDate() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/course-map.md"));
        int begin = page.indexOf(CourseMap.BEGIN);
        int end = page.indexOf(CourseMap.END);
        assertThat(begin).as("docs/course-map.md has the line %s", CourseMap.BEGIN).isNotNegative();
        assertThat(end).as("docs/course-map.md has the line %s", CourseMap.END).isGreaterThan(begin);
        assertThat(page.substring(begin, end + CourseMap.END.length() + 1))
                .as("docs/course-map.md is out of date: regenerate its map with ./learn map --markdown")
                .isEqualTo(CourseMap.markdown(Track.at(ROOT)));
    }

    @TestFactory
    @DisplayName("each has what ./learn shows, its tests and its solution")
    Stream<DynamicTest> eachKeepsTheContract() throws Exception {
        Track track = Track.at(ROOT);
        return track.exercises().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            String readme = e.readme();
            assertThat(e.title()).as("title").isNotBlank().doesNotStartWith("ex");
            assertThat(e.concept()).as("a **Concept:** line").isNotBlank();
            assertThat(readme).as("a complete Go program to compare with")
                    .contains("```go").contains("package main").contains("func main()");
            assertThat(readme).as("what the tests check").contains("## What the tests check");
            assertThat(readme).as("the run line, by name (a number changes when the track is reordered)")
                    .contains("./learn check " + e.slug());
            assertThat(readme).as("no exercise numbers in the README: they are positions in %s and change when it"
                    + " is reordered; name exercises by their directory", Track.FILE)
                    .doesNotContainPattern("(?i)\\bexercises? \\d").doesNotContainPattern("\\./learn \\w+ \\d");
            assertThat(e.hints()).as("at least three hints").hasSizeGreaterThanOrEqualTo(3);

            Path tests = ROOT.resolve("exercises/src/test/java").resolve(e.packageName().replace('.', '/'));
            assertThat(tests).as("the tests' package directory").isDirectory();
            try (Stream<Path> files = Files.list(tests)) {
                assertThat(files.filter(f -> f.toString().endsWith("Test.java"))).as("a *Test.java").isNotEmpty();
            }

            Path solution = track.solutionDirectory(e);
            for (Path stub : e.sources()) {
                assertThat(solution.resolve(stub.getFileName())).as("the reference solution of %s", stub.getFileName())
                        .isRegularFile();
                if (e.findTheBug()) {
                    assertThat(Files.readString(stub)).as("%s is the buggy code of a find-the-bug exercise, to be"
                            + " fixed, not a stub with TODOs", stub.getFileName()).doesNotContain("TODO:");
                } else {
                    assertThat(Files.readString(stub)).as("%s is a stub with a TODO", stub.getFileName())
                            .contains("UnsupportedOperationException(").contains("\"TODO: ");
                }
                assertThat(Files.readString(stub)).as("no exercise numbers in %s (they change when the track is"
                        + " reordered)", stub.getFileName()).doesNotContainPattern("(?i)\\bexercises? \\d")
                        .doesNotContainPattern("\\./learn \\w+ \\d");
            }
            assertThat(e.sources()).as("the stub's sources").isNotEmpty();

            // The flawed solutions the build runs the tests against are the README's "mistakes the tests catch".
            Path flawed = ROOT.resolve("solutions/src/flawed/java").resolve(e.packageName().replace('.', '/'));
            if (Files.isDirectory(flawed)) {
                try (Stream<Path> fixtures = Files.list(flawed)) {
                    for (Path fixture : fixtures.filter(Files::isDirectory).toList()) {
                        assertThat(readme).as("the README's ## Mistakes the tests catch names the flawed solution %s",
                                fixture.getFileName()).contains("## Mistakes the tests catch")
                                .contains("`" + fixture.getFileName() + "`");
                    }
                }
            }
        }));
    }
}
