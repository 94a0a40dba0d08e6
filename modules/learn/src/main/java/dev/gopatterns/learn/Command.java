package dev.gopatterns.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One request to the runner, parsed from the words after {@code ./learn}:
 *
 * <pre>
 * ./learn [list] [--solution]              list the exercises and their status
 * ./learn check [N] [--solution] [-v]      run the tests of exercise N, or of the first one not done
 * ./learn hint N [K]                       show hint K of exercise N, or the next one not seen yet
 * ./learn show N                           print exercise N's README
 * ./learn map                              the course map: tiers, exercises, what each builds on
 * ./learn reset N [--yes]                  put exercise N's stub back as shipped (asks first: without --yes it
 *                                          only says what it would restore)
 * ./learn solution N [--force]             print exercise N's reference solution, once it passes
 * ./learn bench N [--full]                 exercise N's benchmark: your code against the reference, as a ratio
 * ./learn stress N [--full]                exercise N's tests many times over, then its jcstress tests
 * ./learn demo [rate-limit] [--rate N ...] run a demo: a rate-limited pool against a slow service
 * ./learn help                             explain all this
 * </pre>
 *
 * {@code --solution} runs the same tests against the reference solutions instead of the learner's code; {@code -v}
 * ({@code --verbose}) prints whole failure messages and stack traces instead of their first lines.
 */
public sealed interface Command {

    /** {@code ./learn list}: every exercise with its status. */
    record ListExercises(boolean solution) implements Command {}

    /** {@code ./learn check [N]}: one exercise's tests; without N, the first exercise that is not done. */
    record Check(Optional<String> exercise, boolean solution, boolean verbose) implements Command {}

    /** {@code ./learn hint N [K]}: hint K, or without K the first hint not seen yet. */
    record Hint(String exercise, OptionalInt hint) implements Command {}

    /** {@code ./learn show N}: the exercise's README. */
    record Show(String exercise) implements Command {}

    /** {@code ./learn map [--markdown]}: the course map, as text or as the Markdown of docs/course-map.md. */
    record CourseMap(boolean markdown) implements Command {}

    /** {@code ./learn reset N [--yes]}: restores the stub's files from git; without {@code yes}, says what it would do. */
    record Reset(String exercise, boolean yes) implements Command {}

    /** {@code ./learn solution N [--force]}: the reference solution, shown once the exercise passes (or forced). */
    record Solution(String exercise, boolean force) implements Command {}

    /**
     * {@code ./learn bench N [--full] [--solution]}: the exercise's JMH benchmarks on the learner's code and on the
     * reference solution, and the ratio; short JMH settings unless {@code full} (then the benchmark's own).
     * With {@code solution} the reference is measured twice (a smoke run of the benchmark itself).
     */
    record Bench(String exercise, boolean full, boolean solution) implements Command {}

    /**
     * {@code ./learn stress N [--full] [--solution]}: the exercise's tests many times over, then its jcstress tests,
     * on the learner's code (or the reference's, with {@code solution}); more rounds and jcstress's quick mode with
     * {@code full}.
     */
    record Stress(String exercise, boolean full, boolean solution) implements Command {}

    /** {@code ./learn demo [rate-limit] [options]}: the rate-limited pool demo ({@link RateLimitDemo}). */
    record Demo(RateLimitDemo.Options options) implements Command {}

    /** {@code ./learn help}. */
    record Help() implements Command {}

    /** Whether this command runs tests, and so needs the exercises compiled. */
    default boolean runsTests() {
        return this instanceof ListExercises || this instanceof Check || this instanceof Solution
                || this instanceof Bench || this instanceof Stress;
    }

    /**
     * Parses the words after {@code ./learn}. No words means {@code list}.
     *
     * @throws UsageException naming what is wrong, in words a learner can act on
     */
    static Command parse(List<String> args) throws UsageException {
        boolean solution = false;
        boolean verbose = false;
        boolean yes = false;
        boolean force = false;
        boolean markdown = false;
        boolean full = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("demo") && words.isEmpty()) {
                // The demo has options of its own (--rate 20): the rest of the words are its.
                List<String> rest = args.subList(i + 1, args.size());
                if (rest.contains("-h") || rest.contains("--help")) {
                    return new Help();
                }
                if (solution || verbose) {
                    throw new UsageException((solution ? "--solution" : "--verbose") + " does not apply to demo");
                }
                return new Demo(RateLimitDemo.parse(rest));
            }
            switch (arg) {
                case "--solution", "--solutions" -> solution = true;
                case "-v", "--verbose" -> verbose = true;
                case "-y", "--yes" -> yes = true;
                case "-f", "--force" -> force = true;
                case "--markdown" -> markdown = true;
                case "--full" -> full = true;
                case "-h", "--help" -> words.addFirst("help");
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    words.add(arg);
                }
            }
        }
        String name = words.isEmpty() ? "list" : words.getFirst();
        List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
        Command command = switch (name) {
            case "list", "ls", "status" -> {
                expectAtMost(name, rest, 0);
                yield new ListExercises(solution);
            }
            case "check", "test" -> {
                expectAtMost(name, rest, 1);
                yield new Check(rest.isEmpty() ? Optional.empty() : Optional.of(exercise(rest.getFirst())),
                        solution, verbose);
            }
            case "hint" -> {
                if (rest.isEmpty()) {
                    throw new UsageException("hint needs an exercise number, as in: ./learn hint 2");
                }
                expectAtMost(name, rest, 2);
                yield new Hint(exercise(rest.get(0)),
                        rest.size() == 2 ? OptionalInt.of(hintNumber(rest.get(1))) : OptionalInt.empty());
            }
            case "show", "read" -> {
                if (rest.size() != 1) {
                    throw new UsageException("show needs one exercise number, as in: ./learn show 2");
                }
                yield new Show(exercise(rest.getFirst()));
            }
            case "map" -> {
                expectAtMost(name, rest, 0);
                yield new CourseMap(markdown);
            }
            case "reset" -> {
                if (rest.size() != 1) {
                    throw new UsageException("reset needs one exercise, as in: ./learn reset 2 (or ./learn reset"
                            + " generator)");
                }
                yield new Reset(exercise(rest.getFirst()), yes);
            }
            case "solution" -> {
                if (rest.size() != 1) {
                    throw new UsageException("solution needs one exercise, as in: ./learn solution 2");
                }
                yield new Solution(exercise(rest.getFirst()), force);
            }
            case "bench", "stress" -> {
                if (rest.size() != 1) {
                    throw new UsageException(name + " needs one exercise, as in: ./learn " + name + " merge");
                }
                yield name.equals("bench") ? new Bench(exercise(rest.getFirst()), full, solution)
                        : new Stress(exercise(rest.getFirst()), full, solution);
            }
            case "help" -> new Help();
            default -> throw new UsageException("unknown command '" + name + "'");
        };
        if (solution && !(command instanceof ListExercises || command instanceof Check || command instanceof Bench
                || command instanceof Stress)) {
            throw new UsageException("--solution only applies to list, check, bench and stress");
        }
        if (full && !(command instanceof Bench || command instanceof Stress)) {
            throw new UsageException("--full only applies to bench and stress");
        }
        if (yes && !(command instanceof Reset)) {
            throw new UsageException("--yes only applies to reset");
        }
        if (force && !(command instanceof Solution)) {
            throw new UsageException("--force only applies to solution");
        }
        if (markdown && !(command instanceof CourseMap)) {
            throw new UsageException("--markdown only applies to map");
        }
        if (verbose && !(command instanceof Check)) {
            throw new UsageException("--verbose only applies to check");
        }
        return command;
    }

    private static void expectAtMost(String command, List<String> rest, int max) throws UsageException {
        if (rest.size() > max) {
            throw new UsageException("too many words after '" + command + "': " + String.join(" ", rest));
        }
    }

    /**
     * An exercise, by number or by name: "2", "02" and "ex02" all mean exercise 2, and its directory's name
     * ("generator") means it too, wherever the track puts it. Returned as a number without leading zeros, or the
     * name in lower case; {@link Learn} looks it up in the track.
     */
    static String exercise(String word) throws UsageException {
        String digits = word.matches("ex\\d+") ? word.substring(2) : word;
        if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
            int n = positive(digits);
            if (n < 0) {
                throw new UsageException("'" + word + "' is not an exercise number; write it as in: ./learn check 2");
            }
            if (n == 0) {
                throw new UsageException("there is no exercise 0: they are numbered from 1");
            }
            return Integer.toString(n);
        }
        String name = word.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new UsageException("'" + word + "' is not an exercise number or name; write it as in:"
                    + " ./learn check 2, or ./learn check generator");
        }
        return name;
    }

    private static int hintNumber(String word) throws UsageException {
        int k = positive(word);
        if (k < 0) {
            throw new UsageException("'" + word + "' is not a hint number; write it as in: ./learn hint 2 1");
        }
        if (k == 0) {
            throw new UsageException("there is no hint 0: they are numbered from 1");
        }
        return k;
    }

    /** The value of a word of 1 to 4 decimal digits, or -1 if it is not one. */
    private static int positive(String digits) {
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(digits);
    }
}
