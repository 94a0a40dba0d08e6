package dev.gopatterns.learn;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ./learn bench N} and {@code ./learn stress N}: the exercise measured and shaken, on the learner's own code.
 *
 * <p>An exercise's JMH benchmarks live in {@code exercises/src/bench/java/dev/gopatterns/exercises/<name>/} and its
 * jcstress tests in {@code exercises/src/stress/java/...}. Both are compiled here, with the annotation processors
 * that generate their harness, once against the learner's code and (for bench) once against the reference
 * solution, each into a directory of its own under {@code .learn/}; then JMH or jcstress runs in a JVM of its own
 * with that directory first on the class path (their forks inherit it). The build compiles the same sources
 * against the reference solutions, so they cannot rot; CI runs both commands on the reference.
 */
final class Workbench {

    static final Path BENCH = Path.of("exercises/src/bench/java/dev/gopatterns/exercises");
    static final Path STRESS = Path.of("exercises/src/stress/java/dev/gopatterns/exercises");

    /** Rounds of the exercise's own tests before jcstress: a race that fails one run in twenty shows up here. */
    static final int ROUNDS = 10;
    static final int FULL_ROUNDS = 50;

    /** JMH settings of a default (short) run: about ten seconds per benchmark and side. */
    private static final java.util.regex.Pattern TALLY = java.util.regex.Pattern.compile(
            "Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs");

    private static final List<String> SHORT_JMH = List.of("-f", "1", "-wi", "2", "-w", "500ms", "-i", "3", "-r",
            "500ms");

    private final Track track;
    private final PrintStream out;
    private final Style style;
    private final Learn.Runner tests;

    /** @param tests runs the exercise's tests, on the same side (learner's or reference) as this command */
    Workbench(Track track, PrintStream out, Style style, Learn.Runner tests) {
        this.track = track;
        this.out = out;
        this.style = style;
        this.tests = tests;
    }

    // ----------------------------------------------------------------------------------------------- bench

    int bench(Exercise e, boolean full, boolean solution) throws IOException {
        List<Path> benchmarks = ExerciseBuild.javaFiles(track.root().resolve(BENCH).resolve(e.slug()), true);
        if (benchmarks.isEmpty()) {
            out.println(e.name() + " has no benchmark. These exercises have one: " + withSources(BENCH) + ".");
            return Learn.USAGE;
        }
        out.println(style.strong(e.name()) + style.quiet(solution ? "  (benchmark smoke: the reference against itself)"
                : "  (your code against the reference solution)"));
        out.println(style.quiet(full ? "JMH with the benchmarks' own settings (forks, iterations): this takes a while."
                : "Short JMH settings (1 fork, 2 warm-up and 3 measured iterations of 0.5 s): a first look, not a"
                        + " figure to publish. --full runs the benchmarks' own settings."));
        out.println();
        if (!solution && !passes(e)) {
            return Learn.TESTS_FAIL;
        }
        Map<String, Row> yours = measure(e, benchmarks, full, solution, solution ? "reference (1st run)" : "yours");
        if (yours == null) {
            return Learn.TESTS_FAIL;
        }
        Map<String, Row> reference = measure(e, benchmarks, full, true, solution ? "reference (2nd run)" : "reference");
        if (reference == null) {
            return Learn.SETUP;
        }
        out.println();
        printComparison(yours, reference, solution);
        return Learn.OK;
    }

    /** Whether the learner's code passes its tests; if not, says so: a benchmark of broken code means nothing. */
    private boolean passes(Exercise e) {
        List<TestResult> results = tests.run(e.packageName(), r -> {});
        Status status = results.isEmpty() ? Status.FAILING : Status.of(results);
        if (status == Status.DONE) {
            return true;
        }
        out.println(style.bad(Style.FAIL + " " + e.name() + " is " + status.label() + ": bench measures code that"
                + " passes its tests."));
        out.println("  check     ./learn check " + e.number());
        return false;
    }

    /** One benchmark's score on one side. */
    record Row(String benchmark, String mode, String params, double score, double error, String unit) {

        /** Higher is better for throughput; lower for the time modes (avgt, sample, ss). */
        boolean higherIsBetter() {
            return mode.equals("thrpt");
        }

        String shown() {
            String err = Double.isNaN(error) ? "" : " ± " + number(error);
            return number(score) + err + " " + unit;
        }
    }

    private Map<String, Row> measure(Exercise e, List<Path> benchmarks, boolean full, boolean reference,
            String side) throws IOException {
        ExerciseBuild build = new ExerciseBuild(track, reference);
        Path classes = track.root().resolve(".learn/bench").resolve(reference ? "reference" : "yours")
                .resolve(e.slug());
        List<Path> sources = new ArrayList<>(ExerciseBuild.javaFiles(build.code(e.slug()), true));
        sources.addAll(benchmarks);
        try {
            build.javac(sources, classes, true);
        } catch (ExerciseBuild.CompileFailure failure) {
            out.println(style.bad(Style.FAIL + " the benchmark does not compile against " + side + " code:"));
            failure.getMessage().lines().forEach(line -> out.println("      " + line));
            return null;
        }
        Path csv = classes.resolveSibling(e.slug() + ".csv");
        Path log = classes.resolveSibling(e.slug() + ".log");
        Files.deleteIfExists(csv);
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classes + File.pathSeparator
                + ExerciseBuild.libraryClassPath(), "org.openjdk.jmh.Main",
                "dev\\.gopatterns\\.exercises\\." + e.slug() + "\\."));
        if (!full) {
            command.addAll(SHORT_JMH);
        }
        command.addAll(List.of("-foe", "true", "-rf", "csv", "-rff", csv.toString()));
        out.print("  " + pad(side, 20));
        out.flush();
        int rc = run(command, log, full, line -> {
            if (line.startsWith("# Benchmark:")) {
                String name = line.substring(line.lastIndexOf('.', line.lastIndexOf('.') - 1) + 1).strip();
                out.print(" " + name);
            } else if (line.startsWith("Iteration ") || line.startsWith("# Warmup Iteration")) {
                out.print(".");
            }
            out.flush();
        });
        out.println();
        if (rc != 0 || !Files.exists(csv)) {
            out.println(style.bad(Style.FAIL + " JMH stopped (exit " + rc + ") while measuring " + side + " code; its"
                    + " output is in " + track.relative(log)));
            tail(log, 12).forEach(line -> out.println("      " + line));
            return null;
        }
        return readCsv(csv);
    }

    private void printComparison(Map<String, Row> yours, Map<String, Row> reference, boolean solution) {
        String mine = solution ? "1st run" : "yours";
        String theirs = solution ? "2nd run" : "reference";
        out.println("  " + pad("benchmark", 34) + pad(mine, 26) + pad(theirs, 26) + "ratio");
        for (Map.Entry<String, Row> entry : yours.entrySet()) {
            Row y = entry.getValue();
            Row r = reference.get(entry.getKey());
            String label = y.benchmark() + (y.params().isEmpty() ? "" : " " + y.params());
            if (r == null) {
                out.println("  " + pad(label, 34) + pad(y.shown(), 26) + pad("(not measured)", 26));
                continue;
            }
            double speed = y.higherIsBetter() ? y.score() / r.score() : r.score() / y.score();
            String verdict = String.format(Locale.ROOT, "%.2f× the %s's speed", speed, solution ? "2nd run"
                    : "reference");
            String coloured = speed >= 0.9 ? style.good(verdict) : speed >= 0.5 ? verdict : style.bad(verdict);
            out.println("  " + pad(label, 34) + pad(y.shown(), 26) + pad(r.shown(), 26) + coloured);
        }
        out.println();
        out.println(style.quiet("Above 1 is faster than the reference. The ± is JMH's 99.9% error: ratios within it"
                + " are a draw. Raw results: .learn/bench/{yours,reference}/*.csv"));
    }

    static Map<String, Row> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        Map<String, Row> rows = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = splitCsv(lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = splitCsv(line);
            if (cells.size() < 7) {
                continue;
            }
            String full = cells.get(0);
            int cut = full.lastIndexOf('.', full.lastIndexOf('.') - 1);
            StringBuilder params = new StringBuilder();
            for (int i = 7; i < cells.size() && i < header.size(); i++) {
                String name = header.get(i).replaceFirst("^Param: ", "");
                params.append(params.isEmpty() ? "" : " ").append(name).append('=').append(cells.get(i));
            }
            Row row = new Row(full.substring(cut + 1), cells.get(1), params.toString(), parse(cells.get(4)),
                    parse(cells.get(5)), cells.get(6));
            rows.put(row.benchmark() + " " + row.mode() + " " + row.params(), row);
        }
        return rows;
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------------------------------------- stress

    int stress(Exercise e, boolean full, boolean solution) throws IOException {
        int rounds = full ? FULL_ROUNDS : ROUNDS;
        out.println(style.strong(e.name()) + style.quiet(solution ? "  (the reference solution)" : "  (your code)"));
        out.println(style.quiet("Its tests " + rounds + " times over, then its jcstress tests ("
                + (full ? "quick" : "sanity") + " mode" + (full ? "" : "; --full: " + FULL_ROUNDS
                        + " rounds and quick mode") + ")."));
        out.println();
        out.print("  " + pad("tests, " + rounds + " rounds", 22));
        out.flush();
        int passed = 0;
        boolean roundsFailed = false;
        for (int round = 1; round <= rounds; round++) {
            List<TestResult> results = tests.run(e.packageName(), r -> {});
            List<TestResult> failed = results.stream().filter(TestResult::failed).toList();
            if (results.isEmpty() || !failed.isEmpty()) {
                out.println();
                out.println(style.bad(Style.FAIL + " round " + round + " of " + rounds + ": " + (results.isEmpty()
                        ? "no tests ran" : failed.size() + " of " + results.size() + " fail")));
                for (TestResult f : failed) {
                    out.println("  " + style.bad(Style.FAIL) + " " + f.name());
                    FailureText.describe(f.failure(), e.packageName(), false)
                            .forEach(line -> out.println("      " + line));
                }
                out.println(round == 1 ? "  check     ./learn check " + e.number()
                        : "It passed " + (round - 1) + " round(s) first: a failure that comes and goes is a race.");
                if (results.isEmpty() || failed.stream().anyMatch(f -> f.todoMessage().isPresent())) {
                    return Learn.TESTS_FAIL; // not written yet: jcstress would only meet the same TODO
                }
                roundsFailed = true;
                break;
            }
            passed += results.size();
            out.print(".");
            out.flush();
        }
        if (!roundsFailed) {
            out.println(" " + style.good(Style.PASS + " all " + passed + " runs pass"));
        }
        List<Path> stressTests = ExerciseBuild.javaFiles(track.root().resolve(STRESS).resolve(e.slug()), true);
        if (stressTests.isEmpty()) {
            out.println(style.quiet("  " + e.name() + " has no jcstress tests. These exercises have them: "
                    + withSources(STRESS) + "."));
            return roundsFailed ? Learn.TESTS_FAIL : Learn.OK;
        }
        out.println();
        int verdict = jcstress(e, stressTests, full, solution);
        return roundsFailed ? Learn.TESTS_FAIL : verdict;
    }

    private int jcstress(Exercise e, List<Path> stressTests, boolean full, boolean solution) throws IOException {
        ExerciseBuild build = new ExerciseBuild(track, solution);
        Path classes = track.root().resolve(".learn/stress").resolve(solution ? "reference" : "yours")
                .resolve(e.slug());
        List<Path> sources = new ArrayList<>(ExerciseBuild.javaFiles(build.code(e.slug()), true));
        sources.addAll(stressTests);
        try {
            build.javac(sources, classes, true);
        } catch (ExerciseBuild.CompileFailure failure) {
            out.println(style.bad(Style.FAIL + " the jcstress tests do not compile against this code:"));
            failure.getMessage().lines().forEach(line -> out.println("      " + line));
            return Learn.TESTS_FAIL;
        }
        Path results = classes.resolveSibling(e.slug() + "-results");
        Path log = classes.resolveSibling(e.slug() + ".log");
        List<String> command = List.of(java(), "--enable-native-access=ALL-UNNAMED", "-cp",
                classes + File.pathSeparator + ExerciseBuild.libraryClassPath(), "org.openjdk.jcstress.Main",
                "-t", "dev\\.gopatterns\\.exercises\\." + e.slug() + "\\.", "-m", full ? "quick" : "sanity",
                "-r", results.toString());
        out.println("  jcstress " + style.quiet("(" + stressTests.size() + " test class"
                + (stressTests.size() == 1 ? "" : "es") + ", a few seconds each)"));
        // jcstress prints a running tally, "(Results: 14 planned; 9 passed, 0 failed, 0 soft errs, 0 hard errs)",
        // and at the end the tests whose outcomes were forbidden ("Failed tests:") or that crashed ("Error tests:").
        String[] last = {""};
        int rc = run(command, log, false, line -> {
            java.util.regex.Matcher m = TALLY.matcher(line);
            if (m.find() && !m.group().equals(last[0])) {
                last[0] = m.group();
                out.print(".");
                out.flush();
            }
        });
        out.println();
        java.util.regex.Matcher m = TALLY.matcher(last[0]);
        boolean tallied = m.find();
        int planned = tallied ? Integer.parseInt(m.group(1)) : 0;
        int passed = tallied ? Integer.parseInt(m.group(2)) : 0;
        int bad = tallied ? Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4))
                + Integer.parseInt(m.group(5)) : 0;
        if (rc == 0 && tallied && passed > 0 && passed == planned && bad == 0) {
            out.println("    " + style.good(Style.PASS + " " + passed + " of " + planned + " jcstress runs saw only"
                    + " the outcomes the rules allow"));
            out.println(style.good(Style.PASS + " " + e.name() + " holds under stress."));
            return Learn.OK;
        }
        out.println(style.bad(Style.FAIL + " jcstress " + (tallied ? "saw forbidden outcomes or errors: " + passed
                + " of " + planned + " runs passed" : "ran no test") + " (exit " + rc + ")."));
        List<String> lines = Files.readAllLines(log);
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("RUN RESULTS")) {
                from = i;
            }
        }
        List<String> report = from < 0 ? tail(log, 25) : lines.subList(from, Math.min(lines.size(), from + 40));
        report.stream().filter(line -> !line.isBlank()).forEach(line -> out.println("      " + line));
        out.println("  report    " + track.relative(results.resolve("index.html")));
        out.println("  output    " + track.relative(log));
        return Learn.TESTS_FAIL;
    }

    // ------------------------------------------------------------------------------------------- processes

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Runs {@code command} in the repository, its output (both streams) into {@code log} and, line by line, to
     * {@code onLine}, or straight to the terminal as well with {@code echo}.
     *
     * @return its exit code
     */
    private int run(List<String> command, Path log, boolean echo, Consumer<String> onLine) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(track.root().toFile()).redirectErrorStream(true)
                .start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer file = Files.newBufferedWriter(log)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                file.write(line);
                file.write('\n');
                if (echo) {
                    out.println(line);
                } else {
                    onLine.accept(line);
                }
            }
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static List<String> tail(Path file, int n) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private String withSources(Path tree) throws IOException {
        List<String> names = new ArrayList<>();
        for (Exercise x : track.exercises()) {
            if (!ExerciseBuild.javaFiles(track.root().resolve(tree).resolve(x.slug()), true).isEmpty()) {
                names.add(x.slug());
            }
        }
        return names.isEmpty() ? "none yet" : String.join(", ", names);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "?";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }
}
