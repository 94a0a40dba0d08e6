package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Track: the exercises, in the order of the track file")
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

    /** Writes the track file of {@code root}. */
    static void trackFile(Path root, String text) throws IOException {
        Files.createDirectories(root.resolve(Track.FILE).getParent());
        Files.writeString(root.resolve(Track.FILE), text);
    }

    @Test
    @DisplayName("the track file gives the order, the tiers and what each exercise builds on; numbers are positions")
    void readsTheTrackFile(@TempDir Path root) throws Exception {
        exercise(root, "ten", "Ten");
        exercise(root, "two", "Two");
        exercise(root, "one", "One");
        exercise(root, "forgotten", "Forgotten");
        Files.createDirectories(root.resolve(PACKAGE_DIR).resolve("shared"));
        trackFile(root, """
                # comment
                [first] First steps: the basics
                one
                two        <- one   # builds on one

                [second] Second
                ten        <- one two
                """);

        Track track = Track.at(root);

        assertThat(track.exercises()).extracting(Exercise::slug).containsExactly("one", "two", "ten");
        assertThat(track.exercises()).extracting(Exercise::number).containsExactly(1, 2, 3);
        assertThat(track.tiers()).extracting(Track.Tier::id).containsExactly("first", "second");
        assertThat(track.tiers().getFirst().title()).isEqualTo("First steps");
        assertThat(track.tiers().getFirst().description()).isEqualTo("the basics");
        assertThat(track.tiers().get(1).description()).isEmpty();
        Exercise two = track.exercise(2).orElseThrow();
        assertThat(track.exercise("two")).contains(two);
        assertThat(two.title()).isEqualTo("Two");
        assertThat(two.packageName()).isEqualTo("dev.gopatterns.exercises.two");
        assertThat(two.hints()).containsExactly("first", "second");
        assertThat(two.sources()).extracting(p -> p.getFileName().toString()).containsExactly("Stub.java");
        assertThat(track.needs(two)).extracting(Exercise::slug).containsExactly("one");
        Exercise ten = track.exercise(3).orElseThrow();
        assertThat(track.needs(ten)).extracting(Exercise::slug).containsExactly("one", "two");
        assertThat(track.tierOf(ten).id()).isEqualTo("second");
        assertThat(track.next(two)).contains(ten);
        assertThat(track.next(ten)).isEmpty();
        assertThat(track.exercise(4)).isEmpty();
        assertThat(track.unlisted()).containsExactly("forgotten");
    }

    @TempDir
    Path root;

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', textBlock = """
            one                       ; comes before any tier
            [t] T|one|one             ; is listed twice
            [t] T|two <- one|one      ; builds on 'one', which is not an exercise listed above it
            [t] T|missing             ; exercise 'missing' has no
            [t] T|One                 ; 'One' is not an exercise directory name
            [T T                      ; a tier line reads
            [t] T|one <- a <- b       ; one '<-' per line
            """)
    @DisplayName("a track file that breaks a rule is refused with the line and the rule")
    void refusesABrokenTrackFile(String lines, String message) throws Exception {
        exercise(root, "one", "One");
        exercise(root, "two", "Two");
        trackFile(root, lines.replace('|', '\n') + "\n");

        assertThatThrownBy(() -> Track.at(root)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("exercises/track.txt:").hasMessageContaining(message);
    }

    @Test
    @DisplayName("no track file: a clear error")
    void noTrackFile(@TempDir Path root) throws Exception {
        exercise(root, "one", "One");
        assertThatThrownBy(() -> Track.at(root)).isInstanceOf(IOException.class).hasMessageContaining("no track file");
    }

    @Test
    @DisplayName("paths print relative to the repository root, and solutions mirror the exercise packages")
    void relativePaths(@TempDir Path root) throws Exception {
        Path dir = exercise(root, "one", "One");
        trackFile(root, "[t] T\none\n");
        Track track = Track.at(root.resolve("."));
        Exercise one = track.exercise(1).orElseThrow();

        assertThat(track.relative(dir.resolve("Stub.java")))
                .isEqualTo("exercises/src/main/java/dev/gopatterns/exercises/one/Stub.java");
        assertThat(track.relative(track.solutionDirectory(one)))
                .isEqualTo("solutions/src/main/java/dev/gopatterns/exercises/one");
    }
}
