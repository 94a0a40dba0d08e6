package dev.gopatterns.learn;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Which hints the learner has seen, so {@code ./learn hint N} hands out the next one. Kept in
 * {@code .learn/hints.properties} at the repository root (git-ignored: progress is personal), one line per
 * exercise: {@code exercise.generator=1} means hint 1 of the generator exercise has been shown (by name, so
 * reordering the track keeps it). Delete the file to start over.
 */
final class HintProgress {

    private final Path file;

    HintProgress(Path file) {
        this.file = file;
    }

    /** The progress file of the repository at {@code root}. */
    static HintProgress at(Path root) {
        return new HintProgress(root.resolve(".learn").resolve("hints.properties"));
    }

    /** The highest hint of {@code exercise} shown so far; 0 if none. A damaged file counts as none seen. */
    int seen(String exercise) throws IOException {
        String value = load().getProperty(key(exercise));
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException damaged) {
            return 0;
        }
    }

    /** Records that hint {@code hint} of {@code exercise} was shown; progress never goes back. */
    void record(String exercise, int hint) throws IOException {
        Properties p = load();
        if (hint <= seen(exercise)) {
            return;
        }
        p.setProperty(key(exercise), Integer.toString(hint));
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "hints seen per exercise, written by ./learn hint; delete this file to start over");
        }
    }

    private Properties load() throws IOException {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }

    private static String key(String exercise) {
        return "exercise." + exercise;
    }
}
