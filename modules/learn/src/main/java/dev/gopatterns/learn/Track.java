package dev.gopatterns.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The exercises of the learning track, in the order and tiers of the track file, {@code exercises/track.txt}.
 * An exercise's number is its position there: inserting or moving one is editing that file, and no package,
 * directory or README carries the number. Each exercise line names its package directory under
 * {@code exercises/src/main/java/dev/gopatterns/exercises/}, which holds the stub and its README.md; the tests are
 * in the same package under {@code src/test/java} and the reference solution under {@code solutions/}.
 *
 * <p>The file's syntax: {@code #} starts a comment; {@code [id] Title: what it covers} starts a tier; any other
 * line is an exercise's directory name, optionally followed by {@code <-} and the names of the exercises it builds
 * on (the course map draws them as arrows). Every mistake in it is an {@link IOException} naming the line and the
 * rule, so ./learn says what to fix rather than showing a partial track.
 */
public final class Track {

    /** The package every exercise package lives in. */
    public static final String PACKAGE = "dev.gopatterns.exercises";

    /** The track file, relative to the repository root. */
    public static final Path FILE = Path.of("exercises", "track.txt");

    private static final Path EXERCISES = Path.of("exercises", "src", "main", "java", "dev", "gopatterns", "exercises");
    private static final Path SOLUTIONS = Path.of("solutions", "src", "main", "java", "dev", "gopatterns", "exercises");
    private static final Pattern TIER = Pattern.compile("^\\[([a-z][a-z0-9_-]*)\\]\\s+([^:]+?)(?::\\s*(.*))?$");

    /**
     * A tier of the track: a group of exercises on one level, in order.
     *
     * @param id          a short name, as {@code basics}
     * @param title       as {@code Basics}
     * @param description what its exercises cover, in a line; may be empty
     * @param exercises   its exercises, in track order
     */
    public record Tier(String id, String title, String description, List<Exercise> exercises) {
        public Tier {
            exercises = List.copyOf(exercises);
        }
    }

    private final Path root;
    private final List<Exercise> exercises;
    private final List<Tier> tiers;
    private final Map<String, List<String>> needs;

    private Track(Path root, List<Tier> tiers, Map<String, List<String>> needs) {
        this.root = root;
        this.tiers = List.copyOf(tiers);
        this.exercises = tiers.stream().flatMap(t -> t.exercises().stream()).toList();
        this.needs = Map.copyOf(needs);
    }

    /**
     * Reads the track of the repository at {@code root}.
     *
     * @throws IOException if the track file is missing or breaks a rule (the message names the line), or an
     *                     exercise's README cannot be read
     */
    public static Track at(Path root) throws IOException {
        root = root.toAbsolutePath().normalize();
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no track file at " + FILE + ": it lists the exercises in order, one per line");
        }
        Path dir = root.resolve(EXERCISES);
        List<String> lines = Files.readAllLines(file);
        List<Tier> tiers = new ArrayList<>();
        Map<String, List<String>> needs = new LinkedHashMap<>();
        String[] tier = null;
        List<Exercise> inTier = new ArrayList<>();
        int number = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
            String where = FILE + ":" + (i + 1) + ": ";
            if (s.isEmpty()) {
                continue;
            }
            Matcher t = TIER.matcher(s);
            if (s.startsWith("[")) {
                if (!t.matches()) {
                    throw new IOException(where + "a tier line reads '[id] Title: what it covers', not '" + s + "'");
                }
                if (tier != null) {
                    tiers.add(new Tier(tier[0], tier[1], tier[2], inTier));
                }
                tier = new String[] {t.group(1), t.group(2).strip(), t.group(3) == null ? "" : t.group(3).strip()};
                inTier = new ArrayList<>();
                continue;
            }
            String[] parts = s.split("<-", -1);
            if (parts.length > 2) {
                throw new IOException(where + "one '<-' per line: the exercise, then what it builds on");
            }
            String name = parts[0].strip();
            if (!Exercise.DIRECTORY.matcher(name).matches()) {
                throw new IOException(where + "'" + name + "' is not an exercise directory name (lower case, digits"
                        + " and _, as worker_pool)");
            }
            if (tier == null) {
                throw new IOException(where + "exercise '" + name + "' comes before any tier: start with a line"
                        + " '[id] Title: what it covers'");
            }
            if (needs.containsKey(name)) {
                throw new IOException(where + "exercise '" + name + "' is listed twice");
            }
            List<String> before = parts.length == 2 ? List.of(parts[1].strip().split("[\\s,]+")) : List.of();
            for (String b : before) {
                if (!needs.containsKey(b)) {
                    throw new IOException(where + "'" + name + "' builds on '" + b + "', which is not an exercise"
                            + " listed above it: an exercise can only build on earlier ones");
                }
            }
            Path exercise = dir.resolve(name);
            if (!Files.isRegularFile(exercise.resolve("README.md"))) {
                throw new IOException(where + "exercise '" + name + "' has no " + EXERCISES.resolve(name)
                        + "/README.md");
            }
            needs.put(name, before.stream().filter(b -> !b.isEmpty()).toList());
            inTier.add(Exercise.read(exercise, PACKAGE, ++number));
        }
        if (tier != null) {
            tiers.add(new Tier(tier[0], tier[1], tier[2], inTier));
        }
        return new Track(root, tiers, needs);
    }

    /**
     * The exercise directories under exercises/ that have a README but are not in the track file: a track that
     * forgets one would hide it from every learner, so the build checks that this is empty.
     */
    public List<String> unlisted() throws IOException {
        try (Stream<Path> children = Files.list(root.resolve(EXERCISES))) {
            return children.filter(c -> Files.isRegularFile(c.resolve("README.md")))
                    .map(c -> c.getFileName().toString())
                    .filter(n -> !needs.containsKey(n))
                    .sorted()
                    .toList();
        }
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

    public List<Tier> tiers() {
        return tiers;
    }

    /** The exercises {@code exercise} builds on, as the track file lists them after {@code <-}. */
    public List<Exercise> needs(Exercise exercise) {
        return needs.getOrDefault(exercise.slug(), List.of()).stream().map(n -> exercise(n).orElseThrow()).toList();
    }

    /** The tier {@code exercise} is in. */
    public Tier tierOf(Exercise exercise) {
        return tiers.stream().filter(t -> t.exercises().contains(exercise)).findFirst().orElseThrow();
    }

    public Optional<Exercise> exercise(int number) {
        return exercises.stream().filter(e -> e.number() == number).findFirst();
    }

    /** The exercise named {@code slug} (its directory name; {@code -} may stand for {@code _}). */
    public Optional<Exercise> exercise(String slug) {
        String name = slug.replace('-', '_');
        return exercises.stream().filter(e -> e.slug().equals(name)).findFirst();
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
