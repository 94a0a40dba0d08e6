package dev.gopatterns.flawed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.gopatterns.learn.ExerciseLoader;
import dev.gopatterns.testkit.ThreadLeakCheck.AllowThreadLeaks;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Exercise tests are judged by the wrong solutions they reject. Each directory under {@code src/flawed/java}
 * holds one flawed solution of one exercise: a mistake learners really make, written as a learner would, with the
 * same class name as the reference solution. Its header comment says what the mistake is and which words the
 * exercise's tests must fail with:
 *
 * <pre>
 * /*
 *  * Mistake: each worker closes the results channel when its own range ends.
 *  * Verdict: results channel closed by each worker
 *  *&#47;
 * </pre>
 *
 * <p>For each fixture this test compiles it on its own (the fixtures of one exercise share class names, so they
 * cannot share a compilation) into a temporary directory, against the solutions and the exercise tests; loads
 * the exercise's test classes in a class loader where the fixture's classes shadow the solution's; and runs
 * them, one test at a time in the tests' own order, with the JUnit Platform Launcher. The fixture is rejected as
 * expected once a test fails with a message that contains the verdict; the remaining tests are not run, which
 * keeps a fixture to a few seconds. A fixture that every test lets through is a defect of the exercise's tests,
 * and fails the build naming the fixture and its mistake; so does a fixture rejected only for other reasons.
 *
 * <p>A hung fixture is stopped by the exercise tests' own guards ({@code HangTimeout}, {@code Background}). Flawed
 * pools leak threads on purpose (that is what some of them are caught for), so this test allows leaks: what is
 * judged is the verdict of the exercise's own leak check.
 */
@DisplayName("flawed solutions: the exercise tests reject every one, for the right reason")
@AllowThreadLeaks(because = "the flawed solutions leak threads on purpose; the exercise tests' leak check judges them")
class FlawedSolutionsTest {

    private static final Path FIXTURES = Path.of("src", "flawed", "java");

    /** Where each fixture is compiled, in a directory of its own; JUnit deletes it after the last one. */
    @TempDir
    static Path scratch;
    private static final Path MAIN_CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    private static final Pattern MISTAKE = Pattern.compile("^\\s*\\*\\s*Mistake:\\s*(.+)$", Pattern.MULTILINE);
    private static final Pattern VERDICT = Pattern.compile("^\\s*\\*\\s*Verdict:\\s*(.+)$", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern EXERCISE = Pattern.compile("\\.exercises\\.(\\w+)$");

    /** One flawed solution: a directory of sources, the package they replace classes in, the mistake, the verdict. */
    record Fixture(Path directory, String packageName, String mistake, String verdict) {

        String name() {
            return directory.getFileName().toString();
        }

        String exercise() {
            Matcher m = EXERCISE.matcher(packageName);
            return m.find() ? m.group(1) : packageName;
        }

        static Fixture read(Path directory) throws IOException {
            List<Path> sources = sources(directory);
            if (sources.isEmpty()) {
                throw new IllegalStateException("flawed solution " + directory + " holds no .java file");
            }
            String text = Files.readString(sources.getFirst());
            return new Fixture(directory, find(PACKAGE, text, directory, "package declaration"),
                    find(MISTAKE, text, directory, "' * Mistake: ...' line"),
                    find(VERDICT, text, directory, "' * Verdict: ...' line"));
        }

        private static String find(Pattern p, String text, Path where, String what) {
            Matcher m = p.matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("flawed solution " + where + " has no " + what
                        + " in the header comment of its first source file");
            }
            return m.group(1).strip();
        }
    }

    @TestFactory
    @DisplayName("every flawed solution fails the exercise's tests, with its verdict")
    Stream<DynamicTest> everyFlawedSolutionIsRejected() throws IOException {
        List<Fixture> fixtures = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(FIXTURES)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                // A fixture directory holds sources and is named like a mistake (a Java package name has no '-').
                if (!sources(dir).isEmpty() && dir.getFileName().toString().contains("-")) {
                    fixtures.add(Fixture.read(dir));
                }
            }
        }
        assertThat(fixtures).as("flawed solutions under %s", FIXTURES.toAbsolutePath()).isNotEmpty();
        return fixtures.stream().map(f -> DynamicTest.dynamicTest(
                f.exercise() + " / " + f.name() + " is rejected: " + f.verdict(), () -> judge(f)));
    }

    private static void judge(Fixture fixture) throws Exception {
        Path classes = Files.createTempDirectory(scratch, fixture.name() + "-"); // JUnit deletes scratch
        compile(fixture, classes);
        List<Failure> failures = new ArrayList<>();
        int passed = run(fixture, classes, failures);
        String seen = failures.isEmpty() ? "" : failures.stream()
                .map(f -> "  - " + f.test() + ": " + firstLines(f.message()))
                .reduce("", (a, b) -> a + "\n" + b);
        assertThat(failures).as("test-suite defect: the flawed solution %s of %s (%s) passed every test"
                + " (%d): the tests must reject it, failing with \"%s\". Strengthen the tests",
                fixture.name(), fixture.exercise(), fixture.mistake(), passed, fixture.verdict()).isNotEmpty();
        assertThat(failures).as("the flawed solution %s of %s (%s) was rejected, but by no failure that says"
                + " \"%s\"; the failures were:%s", fixture.name(), fixture.exercise(), fixture.mistake(),
                fixture.verdict(), seen)
                .anyMatch(f -> f.message().contains(fixture.verdict()));
    }

    // ------------------------------------------------------------------------------------------ compile

    private static void compile(Fixture fixture, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK with javac (javax.tools) runs the tests").isNotNull();
        String classPath = MAIN_CLASSES.toAbsolutePath() + java.io.File.pathSeparator
                + TEST_CLASSES.toAbsolutePath() + java.io.File.pathSeparator + System.getProperty("java.class.path");
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", classPath,
                "--release", Integer.toString(Runtime.version().feature()), "-proc:none", "-nowarn",
                "-encoding", "UTF-8"));
        sources(fixture.directory()).forEach(p -> args.add(p.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, args.toArray(String[]::new));
        assertThat(rc).as("the flawed solution %s does not compile:\n%s", fixture.directory(),
                errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    // ---------------------------------------------------------------------------------------------- run

    /** A failed test and everything its failure says (messages of the whole cause chain, suppressed included). */
    record Failure(String test, String message) {}

    /**
     * Runs the exercise's tests against the fixture, one at a time, until one fails with the verdict.
     *
     * @return how many tests passed
     */
    private static int run(Fixture fixture, Path fixtureClasses, List<Failure> failures) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (ExerciseLoader loader = new ExerciseLoader("flawed-solution",
                List.of(fixtureClasses, TEST_CLASSES, MAIN_CLASSES), previous)) { // the fixture's classes first
            Thread.currentThread().setContextClassLoader(loader);
            Launcher launcher = LauncherFactory.create();
            List<Class<?>> testClasses = testClasses(fixture.packageName(), loader);
            assertThat(testClasses).as("test classes of %s", fixture.packageName()).isNotEmpty();
            TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request()
                    .selectors(testClasses.stream().map(c -> selectClass(c)).toList()).build());
            List<TestIdentifier> tests = new ArrayList<>();
            plan.getRoots().forEach(root -> collectTests(plan, root, tests));
            int passed = 0;
            for (TestIdentifier test : tests) {
                Listener listener = new Listener();
                launcher.execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectUniqueId(test.getUniqueId())).build(), listener);
                passed += listener.passed;
                failures.addAll(listener.failures);
                if (listener.failures.stream().anyMatch(f -> f.message().contains(fixture.verdict()))) {
                    break;
                }
            }
            return passed;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static void collectTests(TestPlan plan, TestIdentifier id, List<TestIdentifier> tests) {
        if (id.isTest()) {
            tests.add(id);
        }
        plan.getChildren(id).forEach(child -> collectTests(plan, child, tests));
    }

    private static List<Class<?>> testClasses(String packageName, ClassLoader loader) throws Exception {
        Path dir = TEST_CLASSES.resolve(packageName.replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith("Test.class") && !file.contains("$")) {
                    classes.add(loader.loadClass(packageName + "." + file.substring(0, file.length() - 6)));
                }
            }
        }
        return classes;
    }

    /** Collects what the tests of one execution did. */
    private static final class Listener implements TestExecutionListener {
        int passed;
        final List<Failure> failures = new ArrayList<>();

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> passed += id.isTest() ? 1 : 0;
                case FAILED -> failures.add(new Failure(id.getDisplayName(),
                        result.getThrowable().map(FlawedSolutionsTest::everything).orElse("(no exception)")));
                case ABORTED -> { }
            }
        }
    }

    /** The messages of {@code t}, its causes and its suppressed exceptions. */
    static String everything(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new LinkedHashSet<>();
        append(t, sb, seen);
        return sb.toString();
    }

    private static void append(Throwable t, StringBuilder sb, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        sb.append(t).append('\n');
        append(t.getCause(), sb, seen);
        for (Throwable s : t.getSuppressed()) {
            append(s, sb, seen);
        }
    }

    private static String firstLines(String message) {
        List<String> lines = message.lines().limit(4).toList();
        return String.join(" / ", lines);
    }

    // ------------------------------------------------------------------------------------------- files

    private static List<Path> sources(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
