package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Command.parse: the words after ./learn")
class CommandTest {

    private static Command parse(String line) throws UsageException {
        return Command.parse(line.isBlank() ? List.of() : List.of(line.strip().split(" +")));
    }

    @Test
    @DisplayName("no words lists the exercises")
    void noWordsIsList() throws Exception {
        assertThat(parse("")).isEqualTo(new Command.ListExercises(false));
        assertThat(parse("list --solution")).isEqualTo(new Command.ListExercises(true));
    }

    @Test
    @DisplayName("check takes an optional exercise number, --solution and --verbose, in any order")
    void check() throws Exception {
        assertThat(parse("check")).isEqualTo(new Command.Check(Optional.empty(), false, false));
        assertThat(parse("check 2")).isEqualTo(new Command.Check(Optional.of("2"), false, false));
        assertThat(parse("check --solution 2 -v")).isEqualTo(new Command.Check(Optional.of("2"), true, true));
        assertThat(parse("check 3 --verbose")).isEqualTo(new Command.Check(Optional.of("3"), false, true));
    }

    @ParameterizedTest(name = "\"{0}\" is exercise 2")
    @CsvSource({"2", "02", "ex02", "ex2"})
    @DisplayName("an exercise number may be written 2, 02 or ex02")
    void exerciseNumberForms(String word) throws Exception {
        assertThat(parse("show " + word)).isEqualTo(new Command.Show("2"));
    }

    @ParameterizedTest(name = "\"{0}\" is the exercise named generator")
    @CsvSource({"generator", "Generator", "find-the-bug", "find_the_bug"})
    @DisplayName("an exercise may be named by its directory, in any case, with - for _")
    void exerciseNames(String word) throws Exception {
        assertThat(parse("check " + word)).isEqualTo(new Command.Check(
                Optional.of(word.toLowerCase(java.util.Locale.ROOT).replace('-', '_')), false, false));
    }

    @Test
    @DisplayName("bench and stress take one exercise, --full and --solution")
    void benchAndStress() throws Exception {
        assertThat(parse("bench merge")).isEqualTo(new Command.Bench("merge", false, false));
        assertThat(parse("bench 2 --full --solution")).isEqualTo(new Command.Bench("2", true, true));
        assertThat(parse("stress find-the-bug-race")).isEqualTo(new Command.Stress("find_the_bug_race", false, false));
        assertThat(parse("stress 3 --full")).isEqualTo(new Command.Stress("3", true, false));
        assertThat(parse("bench 1").runsTests()).isTrue();
    }

    @Test
    @DisplayName("hint takes an exercise number and an optional hint number")
    void hint() throws Exception {
        assertThat(parse("hint 2")).isEqualTo(new Command.Hint("2", OptionalInt.empty()));
        assertThat(parse("hint 2 3")).isEqualTo(new Command.Hint("2", OptionalInt.of(3)));
    }

    @Test
    @DisplayName("help, -h and --help all ask for help")
    void help() throws Exception {
        assertThat(parse("help")).isEqualTo(new Command.Help());
        assertThat(parse("-h")).isEqualTo(new Command.Help());
        assertThat(parse("check --help")).isEqualTo(new Command.Help());
    }

    @Test
    @DisplayName("list and check run tests; show, hint and help do not")
    void runsTests() throws Exception {
        assertThat(parse("list").runsTests()).isTrue();
        assertThat(parse("check 1").runsTests()).isTrue();
        assertThat(parse("show 1").runsTests()).isFalse();
        assertThat(parse("hint 1").runsTests()).isFalse();
        assertThat(parse("help").runsTests()).isFalse();
        assertThat(parse("demo").runsTests()).isFalse();
    }

    @Test
    @DisplayName("demo, with or without its name, runs the rate-limit demo with the defaults")
    void demoDefaults() throws Exception {
        Command.Demo expected = new Command.Demo(RateLimitDemo.Options.defaults());
        assertThat(parse("demo")).isEqualTo(expected);
        assertThat(parse("demo rate-limit")).isEqualTo(expected);
        assertThat(RateLimitDemo.Options.defaults()).satisfies(o -> {
            assertThat(o.offer()).as("the producer offers faster than the limit").isGreaterThan(o.rate());
            assertThat(o.workers() / (o.service().toMillis() / 1000.0)).as("the workers could go faster than the"
                    + " limit, so the limiter is what binds").isGreaterThan(o.rate());
        });
    }

    @Test
    @DisplayName("demo takes every option as --name value or --name=value, in any order; --offer defaults to twice"
            + " the rate")
    void demoOptions() throws Exception {
        Command c = parse("demo rate-limit --rate 50 --burst=10 --workers 3 --queue 0 --seconds 1.5 --service-ms 40"
                + " --jitter 0 --mode reject --plain");
        assertThat(c).isEqualTo(new Command.Demo(new RateLimitDemo.Options(50, 10, 3, 0, 150,
                Optional.of(Duration.ofMillis(1500)), Duration.ofMillis(40), 0, 100,
                RateLimitDemo.Backpressure.REJECT, Optional.of(false))));
        assertThat(parse("demo --jobs 7 --offer 9.5 --in-place --mode=block")).isEqualTo(new Command.Demo(
                new RateLimitDemo.Options(20, 5, 8, 20, 7, Optional.empty(), Duration.ofMillis(200), 0.5, 9.5,
                        RateLimitDemo.Backpressure.BLOCK, Optional.of(true))));
        assertThat(parse("demo --rate 20 --help")).isEqualTo(new Command.Help());
    }

    @ParameterizedTest(name = "\"{0}\" fails with: {1}")
    @CsvSource(delimiter = '|', value = {
            "frobnicate       | unknown command 'frobnicate'",
            "check --fast     | unknown option '--fast'",
            "check Two!       | 'Two!' is not an exercise number or name",
            "check 0          | there is no exercise 0",
            "check 1 2        | too many words after 'check'",
            "hint             | hint needs an exercise number",
            "hint 1 0         | there is no hint 0",
            "hint 1 x         | 'x' is not a hint number",
            "show             | show needs one exercise number",
            "show 1 2         | show needs one exercise number",
            "hint 1 --solution| --solution only applies to list, check, bench and stress",
            "check 1 --full   | --full only applies to bench and stress",
            "bench            | bench needs one exercise",
            "stress 1 2       | stress needs one exercise",
            "list -v          | --verbose only applies to check",
            "check 99999      | '99999' is not an exercise number",
            "demo fast        | unknown demo 'fast'; the demos are: rate-limit",
            "demo --rate      | --rate needs a value, as in: ./learn demo --rate 20",
            "demo --rate 0    | --rate must be > 0, was 0",
            "demo --rate x    | --rate takes a number, was 'x'",
            "demo --workers 0 | --workers must be >= 1, was 0",
            "demo --queue -1  | --queue must be >= 0, was -1",
            "demo --jitter 101| --jitter is a percentage from 0 to 100, was 101",
            "demo --mode later| --mode is block (submit waits) or reject (trySubmit refuses), was 'later'",
            "demo --jobs 5 --seconds 2| --jobs and --seconds both say when the producer stops",
            "demo --fast      | unknown demo option '--fast'",
            "demo --plain=yes | --plain takes no value",
            "demo rate-limit x| unexpected word 'x'",
            "-v demo          | --verbose does not apply to demo",
    })
    @DisplayName("words that are not a command are refused with a message that says what is wrong")
    void usageErrors(String line, String message) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(UsageException.class).hasMessageContaining(message.strip());
    }
}
