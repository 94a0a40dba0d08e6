import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Fails the build when jcstress skipped a test it was asked to run.
 *
 * <p>jcstress exits 0 in two cases where it ran less than it was asked to:
 * <ul>
 *   <li>{@code FATAL: No matching tests}: the {@code -t} regular expression matches no test;
 *   <li>{@code No scheduling is possible, these tests would not run}: a test has more {@code @Actor}s than the
 *       machine has CPUs. jcstress never oversubscribes, so on the project's two-CPU machines a three-actor test is
 *       dropped with that one line in the log, and would never fail.
 * </ul>
 * This program compares the tests compiled into the jar ({@code META-INF/TestList}) that match {@code -t} with the
 * tests that have a page in the report, and exits 1 naming every test that has none.
 *
 * <p>Run by the {@code stress} profile of pom.xml after jcstress, with the JDK's source launcher:
 * {@code java CheckEveryTestRan.java TESTLIST REPORT_DIR [jcstress arguments...]}.
 */
public final class CheckEveryTestRan {

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java CheckEveryTestRan.java TESTLIST REPORT_DIR [jcstress arguments...]");
            System.exit(2);
        }
        Path testList = Path.of(args[0]);
        Path report = Path.of(args[1]);
        Pattern selected = Pattern.compile(filterOf(List.of(args).subList(2, args.length)));

        TreeSet<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(testList)) {
            String name = testName(line);
            if (name != null && selected.matcher(name).find()) { // -t matches anywhere in the name, as jcstress does
                expected.add(name);
            }
        }
        if (expected.isEmpty()) {
            fail("jcstress ran no test: no test in " + testList + " matches -t '" + selected + "'");
        }
        TreeSet<String> skipped = new TreeSet<>();
        for (String name : expected) {
            if (!Files.exists(report.resolve(name + ".html"))) {
                skipped.add(name);
            }
        }
        if (!skipped.isEmpty()) {
            fail("jcstress did not run " + skipped.size() + " of the " + expected.size() + " selected tests:\n  "
                    + String.join("\n  ", skipped) + "\n"
                    + "A test is skipped when it has more @Actor methods than this machine has CPUs ("
                    + Runtime.getRuntime().availableProcessors() + " here); look for 'No scheduling is possible' in"
                    + " the log above. Keep every test to at most two actors (see modules/jcstress/README.md).");
        }
        System.out.println("jcstress ran all " + expected.size() + " selected tests.");
    }

    /** The value of {@code -t} among the jcstress arguments; every test if there is none. */
    private static String filterOf(List<String> jcstressArgs) {
        int i = jcstressArgs.indexOf("-t");
        return i >= 0 && i + 1 < jcstressArgs.size() ? jcstressArgs.get(i + 1) : ".*";
    }

    /**
     * The test class named by one line of META-INF/TestList, or null. A line is {@code JCTEST} followed by
     * length-prefixed strings ({@code <length>S<chars>}); the first is the test's class name.
     */
    private static String testName(String line) {
        if (!line.startsWith("JCTEST")) {
            return null;
        }
        int s = line.indexOf('S', 6);
        if (s < 0) {
            return null;
        }
        int length = Integer.parseInt(line.substring(6, s));
        return line.substring(s + 1, s + 1 + length);
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
