package dev.gopatterns.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The exercises of the learning track, found on disk: every {@code exNN_slug} package directory under
 * {@code exercises/src/main/java/dev/gopatterns/exercises/} that has a README.md, in number order. Adding an
 * exercise is adding such a directory (with its tests and a reference solution); nothing is registered elsewhere.
 */
public final class Track {

    /** The package every exercise package lives in. */
    public static final String PACKAGE = "dev.gopatterns.exercises";

    private static final Path EXERCISES = Path.of("exercises", "src", "main", "java", "dev", "gopatterns", "exercises");
    private static final Path SOLUTIONS = Path.of("solutions", "src", "main", "java", "dev", "gopatterns", "exercises");

    private final Path root;
    private final List<Exercise> exercises;

    private Track(Path root, List<Exercise> exercises) {
        this.root = root;
        this.exercises = List.copyOf(exercises);
    }

    /**
     * Reads the track of the repository at {@code root}.
     *
     * @throws IOException if the exercises directory cannot be listed or a README cannot be read
     */
    public static Track at(Path root) throws IOException {
        root = root.toAbsolutePath().normalize();
        Path dir = root.resolve(EXERCISES);
        List<Exercise> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isDirectory(child)
                        && Exercise.DIRECTORY.matcher(child.getFileName().toString()).matches()
                        && Files.isRegularFile(child.resolve("README.md"))) {
                    found.add(Exercise.read(child, PACKAGE));
                }
            }
        }
        found.sort(Comparator.comparingInt(Exercise::number));
        return new Track(root, found);
    }

    /**
     * The repository root: {@code $LEARN_ROOT} if set (./learn sets it), otherwise the nearest directory at or
     * above the working directory that holds the exercises (Maven runs the runner in a module directory).
     *
     * @throws IOException if there is none
     */
    public static Path findRoot() throws IOException {
        String env = System.getenv("LEARN_ROOT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(EXERCISES))) {
                return p;
            }
        }
        throw new IOException("cannot find the exercises: no " + EXERCISES + " at or above "
                + Path.of("").toAbsolutePath() + " (set LEARN_ROOT to the repository root)");
    }

    public Path root() {
        return root;
    }

    public List<Exercise> exercises() {
        return exercises;
    }

    public Optional<Exercise> exercise(int number) {
        return exercises.stream().filter(e -> e.number() == number).findFirst();
    }

    /** The exercise after {@code exercise}, if any. */
    public Optional<Exercise> next(Exercise exercise) {
        return exercises.stream().filter(e -> e.number() > exercise.number()).findFirst();
    }

    /** The reference solution's directory for {@code exercise}: the same package, under solutions/. */
    public Path solutionDirectory(Exercise exercise) {
        return root.resolve(SOLUTIONS).resolve(exercise.directory().getFileName());
    }

    /** {@code path} relative to the repository root, for printing. */
    public String relative(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }
}
