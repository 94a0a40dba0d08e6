package dev.gopatterns.learn;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles one exercise on its own and runs its tests: the learner's stub (or, with {@code --solution}, the
 * reference solution), the exercise's tests and the tests' shared helpers, with javac in this JVM, into
 * {@code .learn/classes/<exercises|solutions>/<name>/}; then the tests from there, in a class loader of their own.
 *
 * <p>Two things follow. A compile error in one exercise is that exercise's failure only: every other exercise
 * still compiles and runs, because none is compiled with another. And a check after an edit costs javac on a
 * handful of files, not a Maven build of every exercise. The compiled classes are kept with the
 * {@link ResultCache#key hash} of what went into them, so an unchanged exercise is not compiled again.
 *
 * <p>The classes of {@code dev.gopatterns.exercises} come only from the exercise's own output, never from the
 * class path this JVM was started with (which may hold an older build of them); everything else (the library,
 * the testkit, JUnit, AssertJ) comes from that class path.
 */
final class ExerciseBuild {

    static final String EXERCISES_PACKAGE = "dev.gopatterns.exercises.";

    /** What javac said about code that does not compile: a failure of the whole exercise, before any test. */
    static final class CompileFailure extends AssertionError {
        private final int errors;

        CompileFailure(int errors, String diagnostics) {
            super(diagnostics);
            this.errors = errors;
        }

        int errors() {
            return errors;
        }
    }

    /** The name under which a compile failure is reported, in place of the tests that could not run. */
    static final String COMPILES = "the code compiles";

    private final Track track;
    private final boolean solution;
    private final ResultCache keys;

    ExerciseBuild(Track track, boolean solution) {
        this.track = track;
        this.solution = solution;
        this.keys = new ResultCache(track.root(), solution);
    }

    /** {@link Learn.Runner}: compiles the exercise of {@code packageName} if needed, then runs its tests. */
    List<TestResult> run(String packageName, Consumer<? super TestResult> onResult) {
        if (!packageName.startsWith(EXERCISES_PACKAGE)) {
            throw new IllegalArgumentException("not an exercise's package: " + packageName);
        }
        String slug = packageName.substring(EXERCISES_PACKAGE.length());
        Path out = output(slug);
        try {
            compile(slug, out);
        } catch (CompileFailure failure) {
            TestResult r = TestResult.failed(COMPILES, failure);
            onResult.accept(r);
            return List.of(r);
        } catch (IOException e) {
            throw new UncheckedIOException("could not compile " + slug + " into " + out, e);
        }
        try (URLClassLoader loader = new ExerciseLoader("exercise", List.of(out),
                Thread.currentThread().getContextClassLoader())) {
            return TestRunner.run(out, packageName, loader, onResult);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path output(String slug) {
        return track.root().resolve(".learn").resolve("classes").resolve(solution ? "solutions" : "exercises")
                .resolve(slug);
    }

    /**
     * Compiles the exercise into {@code out}, unless {@code out} already holds a build of exactly these sources
     * (its stamp file holds their hash).
     *
     * @throws CompileFailure with javac's errors, paths relative to the repository, if it does not compile
     */
    void compile(String slug, Path out) throws IOException {
        Path root = track.root();
        Path code = code(slug);
        Path tests = root.resolve(ResultCache.EXERCISES_TEST).resolve(slug);
        Exercise exercise = track.exercises().stream().filter(e -> e.slug().equals(slug)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exercise named " + slug + " in the track"));
        String key = keys.key(exercise);
        Path stamp = out.resolveSibling(slug + ".key");
        if (Files.isDirectory(out) && Files.exists(stamp) && Files.readString(stamp).strip().equals(key)) {
            return;
        }
        Files.deleteIfExists(stamp);
        List<Path> sources = new ArrayList<>();
        sources.addAll(javaFiles(code, true));
        sources.addAll(javaFiles(tests, true));
        sources.addAll(javaFiles(root.resolve(ResultCache.EXERCISES_TEST), false)); // the shared test helpers
        javac(sources, out, false);
        Files.writeString(stamp, key + "\n");
    }

    /** The learner's code of the exercise, or the reference solution's with {@code --solution}. */
    Path code(String slug) {
        return track.root().resolve(solution ? ResultCache.SOLUTIONS_MAIN : ResultCache.EXERCISES_MAIN).resolve(slug);
    }

    /**
     * Compiles {@code sources} into {@code out} (emptied first), against the library's class path; with
     * {@code processors}, the annotation processors on it run (JMH's and jcstress's generate their harness).
     *
     * @throws CompileFailure with javac's errors, paths relative to the repository, if they do not compile
     */
    void javac(List<Path> sources, Path out, boolean processors) throws IOException {
        deleteTree(out);
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("this Java (" + System.getProperty("java.home") + ") has no compiler: the"
                    + " runner needs a JDK 25, not a JRE");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", out.toString(), "-classpath", libraryClassPath(),
                    "--release", Integer.toString(Runtime.version().feature()), processors ? "-proc:full" : "-proc:none",
                    "-nowarn", "-encoding", "UTF-8", "-Xmaxerrs", "20");
            StringWriter ignored = new StringWriter();
            ok = javac.getTask(ignored, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
        }
        if (!ok) {
            deleteTree(out);
            List<Diagnostic<? extends JavaFileObject>> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
            throw new CompileFailure(errors.size(), describe(errors));
        }
    }

    /** javac's errors as {@code path:line:column: message}, each with its source line and a caret. */
    private String describe(List<Diagnostic<? extends JavaFileObject>> errors) {
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size() == 1 ? "it does not compile: javac found 1 error" : "it does not compile: javac"
                + " found " + errors.size() + " errors").append(" (no test can run until it does)");
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            sb.append('\n');
            String where = d.getSource() == null ? "" : track.relative(Path.of(d.getSource().toUri()));
            if (!where.isEmpty()) {
                sb.append(where).append(':').append(d.getLineNumber()).append(':').append(d.getColumnNumber())
                        .append(": ");
            }
            sb.append(d.getMessage(Locale.ROOT).lines().findFirst().orElse(""));
            if (d.getSource() != null && d.getLineNumber() > 0) {
                try {
                    List<String> lines = Files.readAllLines(Path.of(d.getSource().toUri()));
                    String line = lines.get((int) d.getLineNumber() - 1);
                    sb.append("\n    ").append(line.strip());
                    int indent = line.length() - line.stripLeading().length();
                    long caret = Math.max(0, d.getColumnNumber() - 1 - indent);
                    sb.append("\n    ").append(" ".repeat((int) caret)).append('^');
                } catch (IOException | IndexOutOfBoundsException ignored) {
                    // the position alone will do
                }
            }
        }
        return sb.toString();
    }

    /** This JVM's class path without any build of the exercises or solutions (theirs come from their sources). */
    static String libraryClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !isExerciseBuild(entry))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean isExerciseBuild(String entry) {
        Path p = Path.of(entry).normalize();
        int n = p.getNameCount();
        return n >= 3 && p.getName(n - 2).toString().equals("target")
                && (p.getName(n - 3).toString().equals("exercises") || p.getName(n - 3).toString().equals("solutions"));
    }

    static List<Path> javaFiles(Path dir, boolean deep) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
