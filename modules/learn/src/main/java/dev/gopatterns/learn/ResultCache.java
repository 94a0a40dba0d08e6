package dev.gopatterns.learn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remembers each exercise's status by a hash of everything its tests depend on, so {@code ./learn} (the list)
 * re-runs only the exercises whose code changed. The hash covers the stub's (or solution's) files, the exercise's
 * tests, the tests' shared helpers, and the path, size and time of every library source; the cache lives in
 * {@code .learn/results/} and is safe to delete. Only statuses are cached: a check always runs the tests, so its
 * failures are always live.
 */
final class ResultCache {

    /** What the list shows for an exercise. */
    record Entry(Status status, int passed, int total) {}

    static final Path EXERCISES_MAIN = Path.of("exercises/src/main/java/dev/gopatterns/exercises");
    static final Path EXERCISES_TEST = Path.of("exercises/src/test/java/dev/gopatterns/exercises");
    static final Path SOLUTIONS_MAIN = Path.of("solutions/src/main/java/dev/gopatterns/exercises");

    private final Path root;
    private final Path dir;
    private final boolean solution;
    private String libraryKey;

    ResultCache(Path root, boolean solution) {
        this.root = root;
        this.solution = solution;
        this.dir = root.resolve(".learn").resolve("results").resolve(solution ? "solutions" : "exercises");
    }

    Optional<Entry> get(Exercise e) {
        try {
            return get(e, key(e));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    /** The entry remembered for the exercise's sources whose {@link #key} is {@code key}, if any. */
    Optional<Entry> get(Exercise e, String key) {
        Path file = dir.resolve(e.slug());
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(file);
            if (lines.size() != 4 || !lines.get(0).equals(key)) {
                return Optional.empty();
            }
            return Optional.of(new Entry(Status.valueOf(lines.get(1)), Integer.parseInt(lines.get(2)),
                    Integer.parseInt(lines.get(3))));
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty(); // a damaged entry is a miss
        }
    }

    void put(Exercise e, List<TestResult> results) {
        try {
            put(e, key(e), results);
        } catch (IOException ignored) {
            // no cache: the next list runs the tests again
        }
    }

    /**
     * Remembers {@code results} for the sources whose key is {@code key}. Take the key BEFORE the run: sources
     * saved while the tests ran then have another key, and are tested again, instead of inheriting the results
     * of the code before them.
     */
    void put(Exercise e, String key, List<TestResult> results) {
        if (results.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(e.slug() + ".tmp");
            Files.writeString(tmp, key + "\n" + Status.of(results) + "\n"
                    + results.stream().filter(TestResult::passed).count() + "\n" + results.size() + "\n");
            Files.move(tmp, dir.resolve(e.slug()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // no cache: the next list runs the tests again
        }
    }

    /** The hash of what the exercise's results depend on. */
    String key(Exercise e) throws IOException {
        MessageDigest sha = sha256();
        Path code = root.resolve(solution ? SOLUTIONS_MAIN : EXERCISES_MAIN).resolve(e.slug());
        for (Path dir : List.of(code, root.resolve(EXERCISES_TEST).resolve(e.slug()))) {
            hashContents(sha, dir, true);
        }
        hashContents(sha, root.resolve(EXERCISES_TEST), false); // the shared helpers beside the packages
        sha.update(libraryKey().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void hashContents(MessageDigest sha, Path dir, boolean deep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            }
        }
    }

    /** The library's sources by path, size and time: cheap to read, and any edit changes it. */
    private String libraryKey() throws IOException {
        if (libraryKey == null) {
            MessageDigest sha = sha256();
            try (Stream<Path> modules = Files.list(root.resolve("modules"))) {
                for (Path module : modules.sorted().toList()) {
                    Path src = module.resolve("src").resolve("main");
                    if (!Files.isDirectory(src)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(src)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            sha.update((root.relativize(f) + " " + Files.size(f) + " "
                                    + Files.getLastModifiedTime(f).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            libraryKey = HexFormat.of().formatHex(sha.digest());
        }
        return libraryKey;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
