package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a learner reads: the commands run over a two-exercise track, with canned test results. */
@DisplayName("Learn: the output of each command, and its exit code")
class LearnTest {

    static final String ONE = Track.PACKAGE + ".one";
    static final String TWO = Track.PACKAGE + ".two";
    static final UnsupportedOperationException TODO =
            new UnsupportedOperationException("TODO: exercise 2 — write it");

    @TempDir
    Path root;
    final Map<String, List<TestResult>> results = new HashMap<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @BeforeEach
    void twoExercises() throws Exception {
        TrackTest.exercise(root, "one", "One");
        TrackTest.exercise(root, "two", "Two");
        TrackTest.trackFile(root, "[first] First: the first tier\none\ntwo <- one\n");
    }

    private int run(Command command) throws Exception {
        Learn learn = new Learn(Track.at(root), new PrintStream(bytes, true, StandardCharsets.UTF_8), Style.plain(),
                HintProgress.at(root), (pkg, onResult) -> {
                    List<TestResult> rs = results.getOrDefault(pkg, List.of());
                    rs.forEach(onResult);
                    return rs;
                }, 100);
        return learn.run(command);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Command.Check check(int n) {
        return new Command.Check(Optional.of(Integer.toString(n)), false, false);
    }

    @Test
    @DisplayName("list shows each exercise's status and what to do next")
    void list() throws Exception {
        results.put(ONE, List.of(TestResult.passed("a"), TestResult.passed("b")));
        results.put(TWO, List.of(TestResult.passed("a"), TestResult.failed("b", new AssertionError("no"))));

        assertThat(run(new Command.ListExercises(false))).isEqualTo(Learn.OK);

        assertThat(output()).contains(
                "   1  One  ✓ done\n",
                "   2  Two  ✗ failing (1 of 2 tests pass)\n",
                "next      ./learn check 2");
    }

    @Test
    @DisplayName("list marks a failing find-the-bug exercise as one, since it fails as shipped")
    void listFindTheBug() throws Exception {
        java.nio.file.Files.writeString(root.resolve(TrackTest.PACKAGE_DIR).resolve("two").resolve("README.md"),
                "# Exercise 2 — Two\n\n> **Concept:** two\n>\n> **Find the bug:** it leaks\n");
        results.put(ONE, List.of(TestResult.passed("a")));
        results.put(TWO, List.of(TestResult.passed("a"), TestResult.failed("b", new AssertionError("THREAD LEAK"))));

        run(new Command.ListExercises(false));

        assertThat(output()).contains("   2  Two  ✗ failing (1 of 2 tests pass; find the bugs)\n",
                "next      ./learn check 2");
    }

    @Test
    @DisplayName("list of a track not yet begun sends the learner to read exercise 1")
    void listNotStarted() throws Exception {
        results.put(ONE, List.of(TestResult.failed("a", TODO)));
        results.put(TWO, List.of(TestResult.failed("a", TODO)));

        run(new Command.ListExercises(false));

        assertThat(output()).contains("   1  One  · not started", "next      ./learn show 1");
    }

    @Test
    @DisplayName("a failing check prints ✓ and ✗ per test, the broken rule, where to edit, and exits 1")
    void checkFailing() throws Exception {
        results.put(TWO, List.of(TestResult.passed("values arrive in order"),
                TestResult.failed("the channel is closed", new AssertionError("[the generator must close its channel]"
                        + " \nExpecting Closed")).took(Duration.ofMillis(1500))));

        assertThat(run(check(2))).isEqualTo(Learn.TESTS_FAIL);

        assertThat(output()).contains(
                "Exercise 2 · Two\n",
                "  ✓ values arrive in order\n",
                "  ✗ the channel is closed (1.5 s)\n"
                        + "      the generator must close its channel\n"
                        + "      Expecting Closed\n",
                "✗ 1 of 2 tests fail.",
                "edit      exercises/src/main/java/dev/gopatterns/exercises/two/Stub.java",
                "stuck?    ./learn hint 2   (0 of 2 hints seen)");
    }

    @Test
    @DisplayName("a passing check says so, points to the reference solution and the next exercise, and exits 0")
    void checkDone() throws Exception {
        results.put(ONE, List.of(TestResult.passed("a"), TestResult.passed("b")));

        assertThat(run(check(1))).isEqualTo(Learn.OK);

        assertThat(output()).contains("✓ Exercise 1 · One is done: all 2 tests pass.",
                "compare   solutions/src/main/java/dev/gopatterns/exercises/one/", "next      ./learn show 2");
    }

    @Test
    @DisplayName("a check of an untouched stub says 'not started', and shows a repeated TODO only once")
    void checkNotStarted() throws Exception {
        results.put(TWO, List.of(TestResult.failed("a", TODO), TestResult.failed("b", TODO)));

        assertThat(run(check(2))).isEqualTo(Learn.TESTS_FAIL);

        assertThat(output()).contains(
                "  ✗ a\n      not written yet: TODO: exercise 2 — write it\n",
                "  ✗ b\n      not written yet (the same TODO as above)\n",
                "· Exercise 2 · Two is not started: every test stops at a TODO in the stub.",
                "read      ./learn show 2");
    }

    @Test
    @DisplayName("check without a number passes over the exercises that are done and checks the first that is not")
    void checkFirstUnsolved() throws Exception {
        results.put(ONE, List.of(TestResult.passed("a")));
        results.put(TWO, List.of(TestResult.failed("b", new AssertionError("no"))));

        assertThat(run(new Command.Check(Optional.empty(), false, false))).isEqualTo(Learn.TESTS_FAIL);

        assertThat(output()).startsWith("✓ Exercise 1 · One: done\n\nExercise 2 · Two\nTwo in one line\n")
                .contains("  ✗ b\n      no\n");
    }

    @Test
    @DisplayName("check without a number, with everything done, says so and exits 0")
    void checkAllDone() throws Exception {
        results.put(ONE, List.of(TestResult.passed("a")));
        results.put(TWO, List.of(TestResult.passed("b")));

        assertThat(run(new Command.Check(Optional.empty(), false, false))).isEqualTo(Learn.OK);

        assertThat(output()).contains("All 2 exercises are done.");
    }

    @Test
    @DisplayName("an exercise without tests is a broken track, not a failing learner: exit 3")
    void noTests() throws Exception {
        assertThat(run(check(1))).isEqualTo(Learn.SETUP);

        assertThat(output()).contains("No tests found for Exercise 1 · One");
    }

    @Test
    @DisplayName("a reference solution that fails is reported as a bug in the track")
    void failingSolution() throws Exception {
        results.put(ONE, List.of(TestResult.failed("a", new AssertionError("no"))));

        assertThat(run(new Command.Check(Optional.of("1"), true, false))).isEqualTo(Learn.TESTS_FAIL);

        assertThat(output()).contains("(reference solution)", "this is a bug in the track");
    }

    @Test
    @DisplayName("hint hands out the next unseen hint, remembers it, and after the last one points to the solution")
    void hints() throws Exception {
        run(new Command.Hint("2", OptionalInt.empty()));
        assertThat(output()).contains("Exercise 2 · Two — hint 1 of 2", "  first", "next      ./learn hint 2");

        bytes.reset();
        run(new Command.Hint("2", OptionalInt.empty()));
        assertThat(output()).contains("hint 2 of 2", "  second",
                "solution  solutions/src/main/java/dev/gopatterns/exercises/two/");

        bytes.reset();
        run(new Command.Hint("2", OptionalInt.empty()));
        assertThat(output()).contains("You have seen all 2 hints of Exercise 2 · Two.", "./learn hint 2 K");

        bytes.reset();
        run(new Command.Hint("2", OptionalInt.of(1)));
        assertThat(output()).contains("hint 1 of 2", "  first");
    }

    @Test
    @DisplayName("asking for a hint or an exercise that does not exist is a usage error naming what does")
    void noSuchThing() {
        assertThatThrownBy(() -> run(new Command.Hint("2", OptionalInt.of(3))))
                .isInstanceOf(UsageException.class).hasMessageContaining("has 2 hints; there is no hint 3");
        assertThatThrownBy(() -> run(new Command.Show("7")))
                .isInstanceOf(UsageException.class).hasMessage(
                        "there is no exercise 7; the exercises are 1 to 2 (./learn list shows them, with their names)");
    }

    @Test
    @DisplayName("show prints the README")
    void show() throws Exception {
        assertThat(run(new Command.Show("1"))).isEqualTo(Learn.OK);

        assertThat(output()).startsWith("# Exercise — One\n").contains("## Hints");
    }

    @Test
    @DisplayName("help explains every command")
    void help() throws Exception {
        run(new Command.Help());

        assertThat(output()).contains("./learn show N", "./learn check [N]", "./learn hint N [K]", "--solution",
                "./learn demo", "--rate N", "--mode block|reject");
    }

    @Test
    @Timeout(10)
    @DisplayName("demo runs a short rate-limited pool, shows the monitor's lines and checks itself: exit 0")
    void demo() throws Exception {
        RateLimitDemo.Options o = new RateLimitDemo.Options(40, 4, 4, 4, 24, Optional.empty(),
                Duration.ofMillis(20), 0.5, 80, RateLimitDemo.Backpressure.BLOCK, Optional.of(false));

        assertThat(run(new Command.Demo(o))).isEqualTo(Learn.OK);

        assertThat(output()).contains("Rate-limited worker pool", "limiter.Wait(ctx)", "done in ",
                "24 jobs (24 ok, 0 failed, 0 cancelled)", "  busiest ", "  queue     at most ",
                "✓ The rate held and the queue stayed bounded.", "./learn demo --mode reject");
    }

    @Test
    @DisplayName("with colour on, marks are painted; with it off, the output is plain text")
    void colour() throws Exception {
        results.put(ONE, List.of(TestResult.passed("a")));
        Learn coloured = new Learn(Track.at(root), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new Style(true), HintProgress.at(root), (pkg, onResult) -> {
                    List<TestResult> rs = results.getOrDefault(pkg, List.of());
                    rs.forEach(onResult);
                    return rs;
                }, 100);

        coloured.run(check(1));

        assertThat(output()).contains("\u001b[32m✓\u001b[0m a");
    }
}
