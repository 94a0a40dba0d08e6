package dev.gopatterns.learn;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a test failure into the few lines a learner needs: the assertion's message (which, in these exercises,
 * names the broken rule in plain words), or the exception the learner's code threw and the line it came from.
 * Never a wall of stack frames, unless asked for with {@code --verbose}.
 */
final class FailureText {

    /** At most this many lines of a message are shown without {@code --verbose}. */
    static final int MAX_LINES = 8;

    private FailureText() {}

    /**
     * The lines that explain {@code failure}, without indentation.
     *
     * @param exercisePackage the package of the exercise under test: a stack frame there is the learner's code
     *                        (or the test, for a file named {@code *Test.java})
     * @param verbose         the whole message and the whole stack trace
     */
    static List<String> describe(Throwable failure, String exercisePackage, boolean verbose) {
        if (failure == null) {
            return List.of("failed without saying why");
        }
        if (failure instanceof ExerciseBuild.CompileFailure) {
            return failure.getMessage().lines().toList(); // javac's errors, all of them, and no stack trace
        }
        if (verbose) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            return trace.toString().lines().map(String::stripTrailing).toList();
        }
        UnsupportedOperationException todo = TestResult.todo(failure);
        if (todo != null) {
            return List.of("not written yet: " + todo.getMessage());
        }
        List<String> lines = new ArrayList<>();
        if (failure instanceof AssertionError) {
            lines.addAll(limit(messageLines(failure.getMessage())));
            Throwable root = rootCause(failure);
            if (root != failure && !(root instanceof AssertionError)) {
                String where = learnerFrame(root, exercisePackage);
                if (where != null) {
                    lines.add("(" + root.getClass().getSimpleName() + " " + where + ")");
                }
            }
            return lines;
        }
        Throwable shown = unwrap(failure);
        lines.add("threw " + headline(shown));
        String where = learnerFrame(shown, exercisePackage);
        if (where != null) {
            lines.add("  " + where);
        }
        Throwable root = rootCause(shown);
        if (root != shown) {
            lines.add("caused by " + headline(root));
            String rootWhere = learnerFrame(root, exercisePackage);
            if (rootWhere != null && !rootWhere.equals(where)) {
                lines.add("  " + rootWhere);
            }
        }
        return lines;
    }

    /**
     * Breaks {@code line} at spaces into lines of at most {@code width} characters (a longer word stays whole);
     * continuation lines keep the line's own leading indentation.
     */
    static List<String> wrap(String line, int width) {
        if (line.length() <= width) {
            return List.of(line);
        }
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder(indent);
        for (String word : line.strip().split(" +")) {
            if (current.length() > indent.length() && current.length() + 1 + word.length() > width) {
                lines.add(current.toString());
                current = new StringBuilder(indent);
            }
            if (current.length() > indent.length()) {
                current.append(' ');
            }
            current.append(word);
        }
        lines.add(current.toString());
        return lines;
    }

    /** "ChannelClosedException: send on closed channel", with the first line of the message only. */
    static String headline(Throwable t) {
        String message = t.getMessage();
        String name = t.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return name;
        }
        return name + ": " + message.lines().findFirst().orElse("").strip();
    }

    /**
     * A message's lines, with AssertJ's {@code [description]} brackets removed from the first line, trailing
     * blanks trimmed and runs of blank lines folded into one.
     */
    static List<String> messageLines(String message) {
        if (message == null || message.isBlank()) {
            return List.of("a test assertion failed (it gave no message)");
        }
        List<String> lines = new ArrayList<>();
        for (String line : message.strip().lines().toList()) {
            String s = line.stripTrailing();
            if (lines.isEmpty() && s.startsWith("[") && s.endsWith("]")) {
                s = s.substring(1, s.length() - 1).strip();
            }
            if (s.isEmpty() && (lines.isEmpty() || lines.getLast().isEmpty())) {
                continue;
            }
            lines.add(s);
        }
        return lines;
    }

    private static List<String> limit(List<String> lines) {
        if (lines.size() <= MAX_LINES) {
            return lines;
        }
        List<String> shown = new ArrayList<>(lines.subList(0, MAX_LINES));
        shown.add("… " + (lines.size() - MAX_LINES) + " more lines (add --verbose to see them)");
        return shown;
    }

    /** Strips the wrappers that only say "it happened in another thread" or "it happened reflectively". */
    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * Where {@code t} was thrown, as "at PingPong.play(PingPong.java:42)": the first frame in the exercise's
     * package that is not a test, else the first frame in a test, else {@code null}.
     */
    static String learnerFrame(Throwable t, String exercisePackage) {
        StackTraceElement inTest = null;
        for (StackTraceElement f : t.getStackTrace()) {
            if (!f.getClassName().startsWith(exercisePackage + ".")) {
                continue;
            }
            boolean isTest = f.getFileName() != null && f.getFileName().endsWith("Test.java");
            if (!isTest) {
                return "at " + shortFrame(f);
            }
            if (inTest == null) {
                inTest = f;
            }
        }
        return inTest == null ? null : "in the test, at " + shortFrame(inTest);
    }

    private static String shortFrame(StackTraceElement f) {
        String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
        String method = f.getMethodName().startsWith("lambda$") ? "lambda" : f.getMethodName();
        String file = f.getFileName() == null ? "unknown source"
                : f.getLineNumber() > 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
        return cls + "." + method + "(" + file + ")";
    }
}
