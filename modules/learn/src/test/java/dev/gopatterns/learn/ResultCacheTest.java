package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ResultCache: an exercise's status, kept until something it depends on changes")
class ResultCacheTest {

    @TempDir
    Path root;
    Exercise one;
    Path library;

    @BeforeEach
    void track() throws Exception {
        TrackTest.exercise(root, "one", "One");
        TrackTest.exercise(root, "two", "Two");
        TrackTest.trackFile(root, "[t] T\none\ntwo\n");
        Files.createDirectories(root.resolve("exercises/src/test/java/dev/gopatterns/exercises/one"));
        Files.writeString(root.resolve("exercises/src/test/java/dev/gopatterns/exercises/one/OneTest.java"), "a");
        library = Files.createDirectories(root.resolve("modules/core/src/main/java")).resolve("Lib.java");
        Files.writeString(library, "lib");
        one = Track.at(root).exercise("one").orElseThrow();
    }

    private static final List<TestResult> TWO_OF_THREE = List.of(TestResult.passed("a"), TestResult.passed("b"),
            TestResult.failed("c", new AssertionError("no")));

    @Test
    @DisplayName("what was put comes back, for the same code, also to a new cache")
    void roundTrip() {
        new ResultCache(root, false).put(one, TWO_OF_THREE);
        assertThat(new ResultCache(root, false).get(one)).contains(new ResultCache.Entry(Status.FAILING, 2, 3));
        assertThat(new ResultCache(root, true).get(one)).as("the solutions have their own entries").isEmpty();
    }

    @Test
    @DisplayName("an edit to the stub, its tests, a shared test helper or the library is a miss")
    void anyChangeIsAMiss() throws Exception {
        List<Path> dependencies = List.of(one.directory().resolve("Stub.java"),
                root.resolve("exercises/src/test/java/dev/gopatterns/exercises/one/OneTest.java"),
                root.resolve("exercises/src/test/java/dev/gopatterns/exercises/Shared.java"), library);
        for (Path p : dependencies) {
            new ResultCache(root, false).put(one, TWO_OF_THREE);
            assertThat(new ResultCache(root, false).get(one)).as("before changing %s", p).isPresent();
            Files.writeString(p, "changed " + p.getFileName());
            if (p.equals(library)) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(12345)); // the library counts by size and time
            }
            assertThat(new ResultCache(root, false).get(one)).as("after changing %s", p).isEmpty();
        }
    }

    @Test
    @DisplayName("another exercise's edit leaves the entry alone; a damaged entry is a miss")
    void othersAndDamage() throws Exception {
        new ResultCache(root, false).put(one, TWO_OF_THREE);
        Exercise two = Track.at(root).exercise("two").orElseThrow();
        Files.writeString(two.directory().resolve("Stub.java"), "edited");
        assertThat(new ResultCache(root, false).get(one)).isPresent();

        Files.writeString(root.resolve(".learn/results/exercises/one"), "garbage");
        assertThat(new ResultCache(root, false).get(one)).isEmpty();
    }

    @Test
    @DisplayName("results are remembered under the key taken before the run: an edit saved during it is tested again")
    void editDuringTheRun() throws Exception {
        ResultCache cache = new ResultCache(root, false);
        String before = cache.key(one);
        Files.writeString(one.directory().resolve("Stub.java"), "saved while the tests ran");
        cache.put(one, before, TWO_OF_THREE);
        assertThat(new ResultCache(root, false).get(one)).as("the edited sources have no results yet").isEmpty();
        assertThat(new ResultCache(root, false).get(one, before)).as("the sources that were tested have them")
                .contains(new ResultCache.Entry(Status.FAILING, 2, 3));
    }
}
