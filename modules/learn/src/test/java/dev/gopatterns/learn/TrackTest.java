package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Track: the exercises found on disk")
class TrackTest {

    static final Path PACKAGE_DIR = Path.of("exercises/src/main/java/dev/gopatterns/exercises");

    /** Makes exercise directory {@code name} under {@code root} with a README titled {@code title}. */
    static Path exercise(Path root, String name, String title) throws IOException {
        Path dir = Files.createDirectories(root.resolve(PACKAGE_DIR).resolve(name));
        Files.writeString(dir.resolve("README.md"), "# Exercise — " + title + "\n\n> **Concept:** " + title
                + " in one line\n\n## Hints\n\n1. first\n2. second\n");
        Files.writeString(dir.resolve("Stub.java"), "package x;\n");
        return dir;
    }

    @Test
    @DisplayName("exercises are the exNN_name directories with a README, in number order")
    void findsExercisesInNumberOrder(@TempDir Path root) throws Exception {
        exercise(root, "ex10_ten", "Ten");
        exercise(root, "ex02_two", "Two");
        exercise(root, "ex01_one", "One");
        Files.createDirectories(root.resolve(PACKAGE_DIR).resolve("ex03_no_readme"));
        Files.createDirectories(root.resolve(PACKAGE_DIR).resolve("shared"));

        Track track = Track.at(root);

        assertThat(track.exercises()).extracting(Exercise::number).containsExactly(1, 2, 10);
        Exercise two = track.exercise(2).orElseThrow();
        assertThat(two.title()).isEqualTo("Two");
        assertThat(two.packageName()).isEqualTo("dev.gopatterns.exercises.ex02_two");
        assertThat(two.hints()).containsExactly("first", "second");
        assertThat(two.sources()).extracting(p -> p.getFileName().toString()).containsExactly("Stub.java");
        assertThat(track.next(two)).map(Exercise::number).contains(10);
        assertThat(track.next(track.exercise(10).orElseThrow())).isEmpty();
        assertThat(track.exercise(3)).isEmpty();
    }

    @Test
    @DisplayName("paths print relative to the repository root, and solutions mirror the exercise packages")
    void relativePaths(@TempDir Path root) throws Exception {
        Path dir = exercise(root, "ex01_one", "One");
        Track track = Track.at(root.resolve("."));
        Exercise one = track.exercise(1).orElseThrow();

        assertThat(track.relative(dir.resolve("Stub.java")))
                .isEqualTo("exercises/src/main/java/dev/gopatterns/exercises/ex01_one/Stub.java");
        assertThat(track.relative(track.solutionDirectory(one)))
                .isEqualTo("solutions/src/main/java/dev/gopatterns/exercises/ex01_one");
    }
}
