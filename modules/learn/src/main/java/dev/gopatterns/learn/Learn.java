package dev.gopatterns.learn;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.pool.PoolMonitor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Carries out a {@link Command}: the words and layout a learner sees. Every command ends by saying what to do
 * next. Exit codes: {@link #OK}, {@link #TESTS_FAIL}, {@link #USAGE}, {@link #SETUP}.
 */
final class Learn {

    static final int OK = 0;
    static final int TESTS_FAIL = 1;
    static final int USAGE = 2;
    static final int SETUP = 3;

    /** Runs the tests of a package; {@link TestRunner#run} outside the runner's own tests. */
    @FunctionalInterface
    interface Runner {
        List<TestResult> run(String packageName, Consumer<? super TestResult> onResult);
    }

    /** A test that takes this long shows its time: a learner should see where the seconds went. */
    static final Duration SLOW = Duration.ofMillis(500);

    private final Track track;
    private final PrintStream out;
    private final Style style;
    private final HintProgress hints;
    private final Runner runner;
    private final int width;
    private final boolean caching;

    /** @param width the terminal's width in columns; failure messages are wrapped to it */
    Learn(Track track, PrintStream out, Style style, HintProgress hints, Runner runner, int width) {
        this(track, out, style, hints, runner, width, false);
    }

    /** @param caching whether the list may take an unchanged exercise's status from {@link ResultCache} */
    Learn(Track track, PrintStream out, Style style, HintProgress hints, Runner runner, int width, boolean caching) {
        this.caching = caching;
        this.track = track;
        this.out = out;
        this.style = style;
        this.hints = hints;
        this.runner = runner;
        this.width = Math.max(60, width);
    }

    int run(Command command) throws IOException, UsageException {
        if (command instanceof Command.Demo demo) {
            return demo(demo.options()); // needs no exercises
        }
        if (track.exercises().isEmpty()) {
            out.println("No exercises found under " + track.relative(track.root().resolve("exercises")) + ".");
            return SETUP;
        }
        return switch (command) {
            case Command.ListExercises c -> list(c.solution());
            case Command.Check c -> c.exercise().isPresent()
                    ? check(exercise(c.exercise().get()), c.solution(), c.verbose())
                    : checkFirstUnsolved(c.solution(), c.verbose());
            case Command.Hint c -> hint(exercise(c.exercise()), c.hint());
            case Command.Show c -> show(exercise(c.exercise()));
            case Command.CourseMap c -> courseMap(c.markdown());
            case Command.Reset c -> reset(exercise(c.exercise()), c.yes());
            case Command.Solution c -> solution(exercise(c.exercise()), c.force());
            case Command.Bench c -> new Workbench(track, out, style, runner)
                    .bench(exercise(c.exercise()), c.full(), c.solution());
            case Command.Stress c -> new Workbench(track, out, style, runner)
                    .stress(exercise(c.exercise()), c.full(), c.solution());
            case Command.Help c -> help();
            case Command.Demo c -> demo(c.options());
        };
    }

    // ------------------------------------------------------------------------------------------------ list

    private int list(boolean solution) throws IOException {
        String whose = solution ? style.quiet("  (reference solutions)") : "";
        out.println(style.strong("gopatterns learning track") + whose);
        out.println();
        int titleWidth = track.exercises().stream().mapToInt(e -> e.title().length()).max().orElse(0);
        Exercise next = null;
        Status nextStatus = null;
        int done = 0;
        for (Track.Tier tier : track.tiers()) {
            out.println(style.strong(tier.title()) + (tier.description().isEmpty() ? ""
                    : style.quiet(": " + tier.description())));
            for (Exercise e : tier.exercises()) {
                String row = String.format("  %2d  %-" + titleWidth + "s  ", e.number(), e.title());
                ResultCache.Entry entry = statusOf(e, solution);
                if (entry == null) {
                    out.println(row + style.bad(Style.FAIL + " no tests found"));
                    continue;
                }
                Status status = entry.status();
                if (status == Status.DONE) {
                    done++;
                }
                out.println(row + style.mark(status) + " " + status.label() + detail(e, entry));
                out.flush();
                if (next == null && status != Status.DONE) {
                    next = e;
                    nextStatus = status;
                }
            }
            out.println();
        }
        out.println(progress(done, track.exercises().size()));
        out.println();
        if (next == null) {
            out.println(style.good("All " + track.exercises().size() + " exercises are done.")
                    + (solution ? "" : " Compare yours with solutions/, then try changing one and breaking it."));
        } else if (nextStatus == Status.NOT_STARTED) {
            out.println(step("next", "./learn show " + next.number() + "   then edit, then ./learn check "
                    + next.number()));
        } else {
            out.println(step("next", "./learn check " + next.number()));
        }
        return OK;
    }

    /** "9/24 done  ████████░░░░░░░░░░░░░░░░  38%": the bar is 24 cells wide whatever the length of the track. */
    private String progress(int done, int total) {
        int cells = 24;
        int full = total == 0 ? 0 : (int) Math.round(cells * (double) done / total);
        String bar = style.good("█".repeat(full)) + style.quiet("░".repeat(cells - full));
        return "  " + style.strong(done + "/" + total + " done") + "  " + bar + "  "
                + (total == 0 ? 0 : Math.round(100.0 * done / total)) + "%";
    }

    private static String detail(Exercise e, ResultCache.Entry entry) {
        if (entry.status() != Status.FAILING) {
            return "";
        }
        // A find-the-bug stub fails as shipped: say so, or "failing" reads as if the learner had broken it.
        return " (" + entry.passed() + " of " + entry.total() + " tests pass"
                + (e.findTheBug() ? "; find the bugs" : "") + ")";
    }

    /**
     * The exercise's status: from the cache when nothing it depends on has changed, otherwise by running its
     * tests (and remembering the answer); null if it has no tests.
     */
    private ResultCache.Entry statusOf(Exercise e, boolean solution) throws IOException {
        ResultCache cache = caching ? new ResultCache(track.root(), solution) : null;
        String key = cache == null ? null : cache.key(e); // before the run: see ResultCache.put
        if (cache != null) {
            Optional<ResultCache.Entry> hit = cache.get(e, key);
            if (hit.isPresent()) {
                return hit.get();
            }
        }
        List<TestResult> results = runner.run(e.packageName(), r -> {});
        if (cache != null) {
            cache.put(e, key, results);
        }
        return results.isEmpty() ? null : new ResultCache.Entry(Status.of(results),
                (int) results.stream().filter(TestResult::passed).count(), results.size());
    }

    /** The key of the exercise's sources as they are now, to {@link #remember} a run under; null without a cache. */
    private String keyBeforeRun(Exercise e, boolean solution) throws IOException {
        return caching ? new ResultCache(track.root(), solution).key(e) : null;
    }

    private void remember(Exercise e, boolean solution, String key, List<TestResult> results) {
        if (caching) {
            new ResultCache(track.root(), solution).put(e, key, results);
        }
    }

    // ----------------------------------------------------------------------------------------------- check

    private int check(Exercise e, boolean solution, boolean verbose) throws IOException {
        reportChecked(e);
        printHeader(e, solution);
        Set<String> todosShown = new HashSet<>();
        String key = keyBeforeRun(e, solution);
        List<TestResult> results = runner.run(e.packageName(), r -> printResult(r, e, verbose, todosShown));
        remember(e, solution, key, results);
        return summarize(e, results, solution);
    }

    private int checkFirstUnsolved(boolean solution, boolean verbose) throws IOException {
        boolean anyDone = false;
        for (Exercise e : track.exercises()) {
            String key = keyBeforeRun(e, solution);
            Optional<ResultCache.Entry> cached = caching ? new ResultCache(track.root(), solution).get(e, key)
                    : Optional.empty();
            if (cached.isPresent() && cached.get().status() == Status.DONE) {
                out.println(style.good(Style.PASS) + " " + e.name() + ": done");
                anyDone = true;
                continue;
            }
            List<TestResult> results = runner.run(e.packageName(), r -> {});
            remember(e, solution, key, results);
            if (!results.isEmpty() && Status.of(results) == Status.DONE) {
                out.println(style.good(Style.PASS) + " " + e.name() + ": done");
                anyDone = true;
                continue;
            }
            if (anyDone) {
                out.println();
            }
            reportChecked(e);
            printHeader(e, solution);
            Set<String> todosShown = new HashSet<>();
            results.forEach(r -> printResult(r, e, verbose, todosShown));
            return summarize(e, results, solution);
        }
        out.println();
        out.println(style.good("All " + track.exercises().size() + " exercises are done."));
        return OK;
    }

    /**
     * Tells ./learn watch which exercise was checked (its name, in {@code $LEARN_CURRENT_FILE}), so it knows whose
     * files to watch; nothing without that variable.
     */
    private static void reportChecked(Exercise e) {
        String file = System.getenv("LEARN_CURRENT_FILE");
        if (file != null && !file.isBlank()) {
            try {
                java.nio.file.Files.writeString(Path.of(file), e.slug());
            } catch (IOException ignored) {
                // watch then re-checks the first exercise not done, which is this one
            }
        }
    }

    private void printHeader(Exercise e, boolean solution) {
        Path dir = solution ? track.solutionDirectory(e) : e.directory();
        out.println(style.strong(e.name()) + (solution ? style.quiet("  (reference solution)") : ""));
        if (!e.concept().isEmpty()) {
            FailureText.wrap(e.concept(), width).forEach(line -> out.println(style.quiet(line)));
        }
        out.println(style.quiet(track.relative(dir) + "/"));
        out.println();
    }

    /**
     * Prints one test's line and, for a failure, why. A TODO already shown for this exercise is not repeated:
     * a stub's one TODO typically stops every test.
     */
    private void printResult(TestResult r, Exercise e, boolean verbose, Set<String> todosShown) {
        String took = r.elapsed().compareTo(SLOW) >= 0
                ? style.quiet(String.format(" (%.1f s)", r.elapsed().toMillis() / 1000.0)) : "";
        switch (r.outcome()) {
            case PASSED -> out.println("  " + style.good(Style.PASS) + " " + r.name() + took);
            case SKIPPED -> out.println("  " + style.quiet(Style.TODO + " " + r.name() + " (skipped)"));
            case FAILED -> {
                out.println("  " + style.bad(Style.FAIL) + " " + r.name() + took);
                Optional<String> todo = r.todoMessage();
                if (!verbose && todo.isPresent() && !todosShown.add(todo.get())) {
                    out.println("      " + style.quiet("not written yet (the same TODO as above)"));
                    break;
                }
                for (String line : FailureText.describe(r.failure(), e.packageName(), verbose)) {
                    if (line.isEmpty()) {
                        out.println();
                        continue;
                    }
                    for (String part : verbose ? List.of(line) : FailureText.wrap(line, width - 6)) {
                        out.println("      " + part);
                    }
                }
            }
        }
        out.flush();
    }

    private int summarize(Exercise e, List<TestResult> results, boolean solution) throws IOException {
        out.println();
        if (results.isEmpty()) {
            out.println(style.bad("No tests found for " + e.name() + " (package " + e.packageName() + ")."));
            out.println("The tests are compiled from exercises/src/test/java/" + e.packageName().replace('.', '/')
                    + "/; if that directory is empty, the exercise is incomplete.");
            return SETUP;
        }
        if (results.size() == 1 && results.getFirst().failure() instanceof ExerciseBuild.CompileFailure) {
            out.println(style.bad(Style.FAIL + " " + e.name() + " does not compile, so none of its tests ran."
                    + " The other exercises are not affected."));
            printSources(e, "edit");
            out.println(step("check", "./learn check " + e.number()));
            return TESTS_FAIL;
        }
        long failed = results.stream().filter(TestResult::failed).count();
        Status status = Status.of(results);
        switch (status) {
            case DONE -> {
                out.println(style.good(Style.PASS + " " + e.name() + " is done: all " + countOf(results)
                        + " pass."));
                if (!solution) {
                    out.println(step("compare", track.relative(track.solutionDirectory(e)) + "/"));
                }
                Optional<Exercise> next = track.next(e);
                out.println(next.isPresent()
                        ? step("next", "./learn show " + next.get().number())
                        : step("next", "that was the last exercise. Well done."));
            }
            case NOT_STARTED -> {
                out.println(style.quiet(Style.TODO) + " " + e.name()
                        + " is not started: every test stops at a TODO in the stub.");
                out.println(step("read", "./learn show " + e.number()));
                printSources(e, "edit");
                out.println(step("check", "./learn check " + e.number()));
            }
            case FAILING -> {
                out.println(style.bad(Style.FAIL + " " + failed + " of " + countOf(results) + " fail."));
                if (solution) {
                    out.println("The reference solution should pass: this is a bug in the track, not in your code.");
                    return TESTS_FAIL;
                }
                printSources(e, "edit");
                out.println(step("read", "./learn show " + e.number()));
                int seen = hints.seen(e.slug());
                int total = e.hints().size();
                if (total > 0) {
                    out.println(step("stuck?", "./learn hint " + e.number()
                            + style.quiet("   (" + seen + " of " + total + " hints seen)")));
                }
            }
        }
        return status == Status.DONE ? OK : TESTS_FAIL;
    }

    private static String countOf(List<TestResult> results) {
        return results.size() == 1 ? "1 test" : results.size() + " tests";
    }

    private void printSources(Exercise e, String label) throws IOException {
        for (Path source : e.sources()) {
            out.println(step(label, track.relative(source)));
        }
    }

    // ------------------------------------------------------------------------------------------ hint, show

    private int hint(Exercise e, OptionalInt requested) throws IOException, UsageException {
        List<String> all = e.hints();
        if (all.isEmpty()) {
            out.println(e.name() + " has no hints.");
            return OK;
        }
        int seen = hints.seen(e.slug());
        int k;
        if (requested.isPresent()) {
            k = requested.getAsInt();
            if (k > all.size()) {
                throw new UsageException(e.name() + " has " + all.size() + " hints; there is no hint " + k);
            }
        } else if (seen >= all.size()) {
            out.println("You have seen all " + all.size() + " hints of " + e.name() + ".");
            out.println(step("again", "./learn hint " + e.number() + " K" + style.quiet("   (K from 1 to "
                    + all.size() + ")")));
            out.println(step("solution", track.relative(track.solutionDirectory(e)) + "/"
                    + style.quiet("   (read it, close it, then write yours)")));
            return OK;
        } else {
            k = seen + 1;
        }
        hints.record(e.slug(), k);
        out.println(style.strong(e.name() + " — hint " + k + " of " + all.size()));
        out.println();
        all.get(k - 1).lines().forEach(line -> out.println(line.isEmpty() ? "" : "  " + line));
        out.println();
        out.println(step("check", "./learn check " + e.number()));
        if (k < all.size()) {
            out.println(step("next", "./learn hint " + e.number() + style.quiet("   (hint " + (k + 1) + " of "
                    + all.size() + ")")));
        } else {
            out.println(step("solution", track.relative(track.solutionDirectory(e)) + "/"
                    + style.quiet("   (that was the last hint; if you are still stuck, read it, close it, then"
                    + " write yours)")));
        }
        return OK;
    }

    private int show(Exercise e) {
        out.print(e.readme().endsWith("\n") ? e.readme() : e.readme() + "\n");
        return OK;
    }

    // ----------------------------------------------------------------------------------- map, reset, solution

    private int courseMap(boolean markdown) {
        if (markdown) {
            out.print(CourseMap.markdown(track));
            return OK;
        }
        out.println(style.strong("gopatterns course map") + style.quiet("   (← what an exercise builds on;"
                + " docs/course-map.md draws it)"));
        out.println();
        CourseMap.text(track, style).forEach(out::println);
        out.println(step("next", "./learn" + style.quiet("   (where you are on it)")));
        return OK;
    }

    /**
     * Puts the stub's files back as the repository's last commit has them ({@code git show HEAD:path}), keeping
     * every other exercise's work. Without {@code yes} it only lists what it would restore: the runner cannot ask
     * through Maven, so the asking is the command line.
     */
    private int reset(Exercise e, boolean yes) throws IOException {
        String dir = track.relative(e.directory());
        List<String> shipped = git("ls-tree", "--name-only", "HEAD", dir + "/").lines()
                .filter(f -> f.endsWith(".java")).toList();
        if (shipped.isEmpty()) {
            out.println("./learn: git has no stub for " + e.name() + " at HEAD (" + dir + "/): nothing to restore from.");
            return SETUP;
        }
        List<String> changed = new ArrayList<>();
        for (String file : shipped) {
            Path path = track.root().resolve(file);
            String original = git("show", "HEAD:" + file);
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.readString(path).equals(original)) {
                changed.add(file);
                if (yes) {
                    java.nio.file.Files.writeString(path, original);
                }
            }
        }
        List<String> extra = new ArrayList<>();
        for (Path source : e.sources()) {
            String rel = track.relative(source);
            if (!shipped.contains(rel)) {
                extra.add(rel);
            }
        }
        if (changed.isEmpty()) {
            out.println(e.name() + ": the stub is as shipped; nothing to reset.");
        } else if (yes) {
            out.println(style.strong(e.name() + ": the stub is back as shipped.") + " Restored:");
            changed.forEach(f -> out.println("  " + f));
        } else {
            out.println(style.strong(e.name() + ": reset would put these back as shipped, losing your changes:"));
            changed.forEach(f -> out.println("  " + f));
            out.println();
            out.println(step("to do it", "./learn reset " + e.slug() + " --yes"));
        }
        extra.forEach(f -> out.println(style.quiet("  kept " + f + " (yours: not part of the stub)")));
        if (yes || changed.isEmpty()) {
            out.println(step("next", "./learn show " + e.slug()));
        }
        return OK;
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", track.root().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + stderr.strip()
                        + " (reset restores the stub from git, so it needs the repository's .git)");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git");
        }
        return stdout;
    }

    /** The reference solution, once the learner's own passes: reading it first would spoil the exercise. */
    private int solution(Exercise e, boolean force) throws IOException {
        if (!force) {
            List<TestResult> results = runner.run(e.packageName(), r -> {});
            Status status = results.isEmpty() ? Status.FAILING : Status.of(results);
            if (status != Status.DONE) {
                out.println(e.name() + " is " + status.label() + ": the reference solution is shown once yours passes.");
                out.println(step("check", "./learn check " + e.slug()));
                out.println(step("stuck?", "./learn hint " + e.slug()));
                out.println(step("anyway", "./learn solution " + e.slug() + " --force"
                        + style.quiet("   (read it, close it, then write yours)")));
                return TESTS_FAIL;
            }
        }
        Path dir = track.solutionDirectory(e);
        List<Path> files;
        try (var list = java.nio.file.Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        out.println(style.strong(e.name() + ": the reference solution") + style.quiet("   " + track.relative(dir) + "/"));
        for (Path f : files) {
            out.println();
            out.println(style.quiet("── " + track.relative(f) + " " + "─".repeat(Math.max(3, width - 4
                    - track.relative(f).length()))));
            out.print(java.nio.file.Files.readString(f));
        }
        out.println();
        Optional<Exercise> next = track.next(e);
        out.println(next.isPresent() ? step("next", "./learn show " + next.get().slug())
                : step("next", "that was the last exercise. Well done."));
        return OK;
    }

    // ------------------------------------------------------------------------------------------------ demo

    /** The rate-limited pool demo, on the system clock; {@link #TESTS_FAIL} if it caught the pool misbehaving. */
    private int demo(RateLimitDemo.Options options) {
        out.println(style.strong("Rate-limited worker pool against a slow service"));
        FailureText.wrap(options.describe(), width - 2).forEach(line -> out.println(style.quiet("  " + line)));
        out.println(style.quiet("  Go: limiter := rate.NewLimiter(" + RateLimitDemo.num(options.rate()) + ", "
                + options.burst() + "); jobs := make(chan Job, " + options.queue() + ")"));
        out.println(style.quiet("      " + options.workers() + " workers, each: for j := range jobs {"
                + " limiter.Wait(ctx); call(j) }"));
        out.println();
        RateLimitDemo.Report report;
        try {
            report = RateLimitDemo.run(options, Clock.system(), out,
                    options.inPlace().orElseGet(PoolMonitor::onTerminal));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("./learn: the demo was interrupted");
            return SETUP;
        }
        out.println();
        RateLimitDemo.describe(options, report, style).forEach(out::println);
        out.println();
        List<String> problems = RateLimitDemo.problems(options, report);
        if (problems.isEmpty()) {
            out.println(style.good(Style.PASS + " The rate held and the queue stayed bounded."));
        } else {
            problems.forEach(p -> out.println(style.bad(Style.FAIL + " " + p)));
        }
        out.println(step("try", options.mode() == RateLimitDemo.Backpressure.BLOCK
                ? "./learn demo --mode reject" + style.quiet("   (rejections instead of a blocked producer)")
                : "./learn demo --mode block" + style.quiet("   (a blocked producer instead of rejections)")));
        out.println(step("or", "./learn demo --rate 50 --burst 20 --workers 4" + style.quiet("   (./learn help"
                + " lists the options)")));
        return problems.isEmpty() ? OK : TESTS_FAIL;
    }

    private int help() {
        out.println(HELP);
        return OK;
    }

    static final String HELP = """
            ./learn: the gopatterns learning track

              ./learn                  list the exercises and where you are with each (same as ./learn list)
              ./learn show N           read exercise N: the task, the Go version, what the tests check
              ./learn check [N]        run exercise N's tests; without N, the first exercise not done yet
              ./learn hint N [K]       the next hint for exercise N, one at a time (or hint K again)
              ./learn watch            check the exercise you are on each time you save it, and move on when it
                                       passes (q or Ctrl-C quits)
              ./learn map              the course map: the tiers, and what each exercise builds on
              ./learn solution N       the reference solution of exercise N, once yours passes (--force: now)
              ./learn reset N          put exercise N's stub back as shipped (says what it would restore;
                                       --yes restores it); your other exercises are kept
              ./learn bench N          exercise N's JMH benchmark on your code and on the reference solution,
                                       and how fast yours is beside it (short settings; --full: the real ones)
              ./learn stress N         exercise N's tests many times over, then its jcstress tests, on your
                                       code (--full: more rounds, jcstress's quick mode)
              ./learn demo             a rate-limited worker pool against a slow service, watched live (~8 s)
              ./learn help             this text

            N is an exercise's number or its name (./learn check 2, ./learn check generator).

            Options
              -v, --verbose            with check: whole failure messages and stack traces
              --solution               with list, check, bench or stress: the reference solutions instead
              --full                   with bench or stress: the long, thorough settings

            Demo options (./learn demo [rate-limit] [options]; --name=value works too)
              --rate N                 the limit, jobs started per second (20)
              --burst B                how many may start at once, the limiter's bucket (5)
              --workers W              the pool's workers (8)
              --queue Q                the pool's queue capacity (20)
              --jobs N | --seconds S   how many jobs the producer offers (150), or for how long
              --offer N                how many jobs per second the producer tries to submit (twice the rate)
              --service-ms M           the simulated service's latency (200), varied by --jitter P percent (50)
              --mode block|reject      submit, which waits for room (block), or trySubmit, which is refused
              --in-place | --plain     rewrite the monitor's line in place, or a line per second (default:
                                       in place on a terminal)

            How it works
              Each exercise is a Java package under exercises/src/main/java/dev/gopatterns/exercises/: a stub whose
              methods throw UnsupportedOperationException("TODO: ..."), and a README. Replace the TODOs, then run
              ./learn check N until every test passes. Each exercise is compiled on its own (into .learn/classes),
              so one that does not compile does not stop the others. The reference solutions in solutions/ have the same class
              names and pass the same tests: look at them when you are done, or truly stuck.
              Hints you have seen are remembered in .learn/ (delete it to start over).
              The build needs a JDK 25 installed (it finds it by itself; the default java may be older).""";

    // --------------------------------------------------------------------------------------------- helpers

    /** The exercise a word names: its number ("2") or its directory's name ("generator"), as {@link Command} parsed it. */
    private Exercise exercise(String word) throws UsageException {
        Optional<Exercise> found = word.chars().allMatch(Character::isDigit)
                ? track.exercise(Integer.parseInt(word)) : track.exercise(word);
        return found.orElseThrow(() -> new UsageException("there is no exercise " + word
                + "; the exercises are " + numbers() + " (./learn list shows them, with their names)"));
    }

    private String numbers() {
        List<Integer> ns = new ArrayList<>();
        track.exercises().forEach(e -> ns.add(e.number()));
        return ns.size() == 1 ? "only " + ns.getFirst() : ns.getFirst() + " to " + ns.getLast();
    }

    /** "  label     text": the what-to-do-next lines that end every command. */
    private String step(String label, String text) {
        return "  " + style.quiet(String.format("%-9s", label)) + " " + text;
    }
}
