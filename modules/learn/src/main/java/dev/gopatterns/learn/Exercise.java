package dev.gopatterns.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One exercise of the track, read from its package directory: {@code <slug>/} holds the stub sources and a
 * README.md; the tests live in the package of the same name under {@code src/test/java}. Its number is its position
 * in the track file ({@link Track}), not part of any name, so exercises can be reordered by editing that file.
 *
 * <p>What the runner takes from the README, so that the README stays the single place an exercise is described:
 * <ul>
 *   <li>the title, from the first heading, {@code # Exercise 2 — Generator and range} (the part after the dash);
 *   <li>the concept, from the line that starts with {@code **Concept:**};
 *   <li>the hints, from the numbered items ({@code 1.}, {@code 2.}, ...) of the {@code ## Hints} section;
 *   <li>whether it is a find-the-bug exercise, from a line that starts with {@code **Find the bug:**} (in a
 *       {@code >} quote or not): its stub ships as working-looking but wrong code, not as TODOs, so as shipped it
 *       is "failing", never "not started".
 * </ul>
 *
 * @param number      the exercise's number: its position in the track, from 1
 * @param slug        the name of its package directory, which ./learn accepts in place of the number
 * @param packageName the Java package of the stub, the tests and the reference solution
 * @param directory   the stub's package directory, holding README.md
 * @param title       a few words, for the list
 * @param concept     the idea the exercise teaches, in one line
 * @param hints       the hints, in order; each may span several lines
 * @param readme      the whole README text
 */
public record Exercise(int number, String slug, String packageName, Path directory, String title, String concept,
                       List<String> hints, String readme) {

    /** Package directories of exercises: a Java package name part in lower case, as {@code worker_pool}. */
    static final Pattern DIRECTORY = Pattern.compile("[a-z][a-z0-9_]*");

    /** The README line that marks a find-the-bug exercise starts with this. */
    static final String FIND_THE_BUG = "**Find the bug:**";

    private static final Pattern HINT_ITEM = Pattern.compile("^(\\d+)\\.\\s+(.*)$");

    public Exercise {
        hints = List.copyOf(hints);
    }

    /**
     * Reads the exercise in {@code directory}.
     *
     * @throws IOException              if its README cannot be read
     * @throws IllegalArgumentException if the directory name is not a lower-case package name part
     */
    static Exercise read(Path directory, String parentPackage, int number) throws IOException {
        String name = directory.getFileName().toString();
        if (!DIRECTORY.matcher(name).matches()) {
            throw new IllegalArgumentException("not an exercise directory (a lower-case package name such as"
                    + " worker_pool): " + directory);
        }
        String readme = Files.readString(directory.resolve("README.md"));
        return new Exercise(number, name, parentPackage + "." + name, directory,
                title(readme, name), concept(readme), hints(readme), readme);
    }

    /** The source files the learner edits: the {@code .java} files of the package directory. */
    public List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    /**
     * Whether this is a find-the-bug exercise: the stub is a working-looking but buggy program to fix, not TODOs to
     * fill in. As shipped, some of its tests fail, with the rules its bugs break.
     */
    public boolean findTheBug() {
        return findTheBug(readme);
    }

    static boolean findTheBug(String readme) {
        boolean inCode = false;
        for (String line : readme.lines().toList()) {
            String s = line.strip();
            if (s.startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && (s.startsWith(">") ? s.substring(1).strip() : s).startsWith(FIND_THE_BUG)) {
                return true;
            }
        }
        return false;
    }

    /** "Exercise 2 · Generator and range". */
    public String name() {
        return "Exercise " + number + " · " + title;
    }

    /**
     * The first heading, without an old-style {@code Exercise N — } prefix (the number is the track's, not the
     * README's); a colon inside a title stays ("Pipeline errors: retries ...").
     */
    static String title(String readme, String fallback) {
        for (String line : readme.lines().toList()) {
            if (line.startsWith("# ")) {
                return line.substring(2).strip().replaceFirst("^Exercise(\\s+\\d+)?\\s*(—|–|:)\\s*", "");
            }
        }
        return fallback;
    }

    /**
     * The text after {@code **Concept:**}, joined with its continuation lines: in a {@code >} quote, the quote's
     * following lines; otherwise the lines up to the next blank one.
     */
    static String concept(String readme) {
        List<String> lines = readme.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            boolean quoted = s.startsWith(">");
            if (quoted) {
                s = s.substring(1).strip();
            }
            if (!s.startsWith("**Concept:**")) {
                continue;
            }
            StringBuilder concept = new StringBuilder(s.substring("**Concept:**".length()).strip());
            for (int j = i + 1; j < lines.size(); j++) {
                String next = lines.get(j).strip();
                if (quoted && next.startsWith(">")) {
                    next = next.substring(1).strip();
                } else if (quoted) {
                    break;
                }
                if (next.isEmpty() || next.startsWith("#")) {
                    break;
                }
                concept.append(' ').append(next);
            }
            return concept.toString();
        }
        return "";
    }

    /**
     * The numbered items of the {@code ## Hints} section. An item runs until the next item, the next heading or
     * the end; its continuation lines lose up to three spaces of indentation, and blank lines inside it stay.
     */
    static List<String> hints(String readme) {
        List<String> hints = new ArrayList<>();
        StringBuilder current = null;
        boolean inHints = false;
        boolean inCode = false;
        for (String line : readme.lines().toList()) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
            }
            if (!inCode && line.startsWith("#")) {
                if (inHints) {
                    break;
                }
                inHints = line.matches("^##\\s+Hints\\s*$");
                continue;
            }
            if (!inHints) {
                continue;
            }
            Matcher item = inCode ? null : HINT_ITEM.matcher(line);
            if (item != null && item.matches()) {
                if (current != null) {
                    hints.add(current.toString().strip());
                }
                current = new StringBuilder(item.group(2));
            } else if (current != null) {
                current.append('\n').append(line.startsWith("   ") ? line.substring(3) : line.stripLeading());
            }
        }
        if (current != null) {
            hints.add(current.toString().strip());
        }
        return hints;
    }
}
