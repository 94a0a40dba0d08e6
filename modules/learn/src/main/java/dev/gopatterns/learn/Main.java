package dev.gopatterns.learn;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The entry point behind {@code ./learn}: parses the words, carries out the command, and exits with
 * 0 (tests pass, or nothing to judge), 1 (tests fail), 2 (the words are not a command) or 3 (the track is broken).
 *
 * <p>Maven runs it (so it gets JDK 25 from the toolchain and the exercises' test class path), and Maven turns a
 * non-zero exit into a build failure with a screenful of noise. So the exec plugin accepts every exit code, and the
 * code travels back to ./learn through the file named by {@code $LEARN_STATUS_FILE}.
 *
 * <p>It ends with {@link System#exit}: a learner's half-done exercise may leave a non-daemon thread running, and
 * the runner must not hang on it after reporting.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code;
        try {
            Command command = Command.parse(List.of(args));
            Track track = Track.at(Track.findRoot());
            ExerciseBuild build = new ExerciseBuild(track, solution(command));
            code = new Learn(track, out, Style.fromEnvironment(), HintProgress.at(track.root()), build::run,
                    columns(), !"0".equals(System.getenv("LEARN_CACHE"))).run(command);
        } catch (UsageException e) {
            out.println("./learn: " + e.getMessage());
            out.println("Try ./learn help");
            code = Learn.USAGE;
        } catch (IOException e) {
            out.println("./learn: " + e.getMessage());
            code = Learn.SETUP;
        }
        out.flush();
        reportStatus(code);
        reportLaunch();
        System.exit(code);
    }

    /** Whether the command runs the reference solutions' tests rather than the learner's. */
    private static boolean solution(Command command) {
        return switch (command) {
            case Command.ListExercises c -> c.solution();
            case Command.Check c -> c.solution();
            case Command.Bench c -> c.solution();
            case Command.Stress c -> c.solution();
            default -> false;
        };
    }

    /** The terminal's width, passed by ./learn as {@code $LEARN_COLUMNS}; 110 if unknown. */
    static int columns() {
        String env = System.getenv("LEARN_COLUMNS");
        try {
            return env == null || env.isBlank() ? 110 : Math.min(160, Integer.parseInt(env.strip()));
        } catch (NumberFormatException e) {
            return 110;
        }
    }

    /**
     * Writes how this JVM was started (its {@code java.home}, then its class path) to {@code $LEARN_LAUNCH_FILE}:
     * while no source has changed since, ./learn starts the runner with them directly, without Maven (a check of
     * an unchanged exercise then costs a JVM start and its tests, not a build).
     */
    private static void reportLaunch() {
        String file = System.getenv("LEARN_LAUNCH_FILE");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Path tmp = Path.of(file + ".tmp");
            Files.writeString(tmp, System.getProperty("java.home") + "\n" + System.getProperty("java.class.path")
                    + "\n");
            Files.move(tmp, Path.of(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("./learn: could not write the launch file " + file + " (the next command will use"
                    + " Maven again): " + e.getMessage());
        }
    }

    private static void reportStatus(int code) {
        String file = System.getenv("LEARN_STATUS_FILE");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), Integer.toString(code));
        } catch (IOException e) {
            System.err.println("./learn: could not write the exit status to " + file + ": " + e.getMessage());
        }
    }
}
