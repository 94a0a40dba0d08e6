package dev.gopatterns.testkit;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snapshot of every thread in the JVM, virtual threads included, taken with
 * {@link HotSpotDiagnosticMXBean#dumpThreads} ({@link Thread#getAllStackTraces()} does not see virtual threads).
 */
record ThreadDump(String text, List<Entry> threads) {

    /** One thread of the dump. {@code frames} are the {@code at ...} lines without the prefix. */
    record Entry(long tid, String name, boolean virtual, String state, List<String> frames) {

        /** True if some frame is outside the JDK, i.e. the thread is running (or parked in) user code. */
        boolean runsUserCode() {
            for (String f : frames) {
                String frame = f.contains("/") ? f.substring(f.indexOf('/') + 1) : f;
                if (!(frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                        || frame.startsWith("com.sun."))) {
                    return true;
                }
            }
            return false;
        }

        /** Parked, waiting or blocked: the thread cannot move until something else acts. */
        boolean asleep() {
            return !state.equals("RUNNABLE");
        }

        /**
         * What the thread waits on, in Go's words where there are some ({@code chan receive}, {@code select},
         * {@code sync.WaitGroup.Wait}, ...): read from the innermost frame of this project's library, else of the JDK.
         */
        String waitReason() {
            for (String f : frames) {
                String frame = f.contains("/") ? f.substring(f.indexOf('/') + 1) : f;
                if (!frame.startsWith("dev.gopatterns.") || frame.startsWith("dev.gopatterns.exercises.")
                        || frame.startsWith("dev.gopatterns.testkit.")) {
                    continue;
                }
                String method = frame.contains("(") ? frame.substring(0, frame.indexOf('(')) : frame;
                String[] parts = method.split("\\.");
                String type = parts.length >= 2 ? parts[parts.length - 2] : method;
                String name = parts[parts.length - 1];
                if (type.startsWith("Select")) {
                    return "select";
                }
                if (name.startsWith("receive") || name.equals("range") || name.equals("forEach")) {
                    return "chan receive (" + type + ")";
                }
                if (name.startsWith("send")) {
                    return "chan send (" + type + ")";
                }
                return type + "." + name;
            }
            if (!asleep()) {
                return "running";
            }
            for (String f : frames) {
                if (f.contains("Thread.join") || f.contains("Thread.sleep") || f.contains("CountDownLatch.await")
                        || f.contains("Object.wait") || f.contains("Future.get")) {
                    String method = f.substring(0, f.indexOf('('));
                    return method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1);
                }
            }
            return state.toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The innermost frame in {@code packageName} that is not a test class ({@code *Test}): the line of the
         * learner's code the thread is at, as {@code PingPong.java:42 (play)}; null if none.
         */
        String userFrame(String packageName) {
            for (String f : frames) {
                String frame = f.contains("/") ? f.substring(f.indexOf('/') + 1) : f;
                if (!frame.startsWith(packageName + ".") || !frame.contains("(")) {
                    continue;
                }
                String method = frame.substring(0, frame.indexOf('('));
                String type = method.substring(0, method.lastIndexOf('.'));
                String simple = type.substring(type.lastIndexOf('.') + 1);
                if (simple.replaceAll("\\$.*", "").endsWith("Test")) {
                    continue;
                }
                String where = frame.substring(frame.indexOf('(') + 1, frame.lastIndexOf(')'));
                return where + " (" + simple + "." + method.substring(method.lastIndexOf('.') + 1) + ")";
            }
            return null;
        }

        String describe(int maxFrames) {
            StringBuilder sb = new StringBuilder();
            sb.append("  \"").append(name.isEmpty() ? "<unnamed>" : name).append("\" #").append(tid)
                    .append(virtual ? " virtual " : " ").append(state).append('\n');
            int n = Math.min(maxFrames, frames.size());
            for (int i = 0; i < n; i++) {
                sb.append("      at ").append(frames.get(i)).append('\n');
            }
            if (frames.size() > n) {
                sb.append("      ... ").append(frames.size() - n).append(" more\n");
            }
            return sb.toString();
        }
    }

    private static final Pattern HEADER = Pattern.compile("^#(\\d+) \"(.*)\" (virtual )?(\\S+)(?: .*)?$");

    static ThreadDump take() {
        try {
            Path file = Files.createTempFile("gopatterns-threads-", ".txt");
            try {
                Files.delete(file); // dumpThreads refuses to overwrite
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                return parse(Files.readString(file));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not take a thread dump", e);
        }
    }

    static ThreadDump parse(String text) {
        List<Entry> threads = new ArrayList<>();
        long tid = -1;
        String name = null;
        boolean virtual = false;
        String state = null;
        List<String> frames = null;
        for (String line : text.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                if (frames != null) {
                    threads.add(new Entry(tid, name, virtual, state, List.copyOf(frames)));
                }
                tid = Long.parseLong(m.group(1));
                name = m.group(2);
                virtual = m.group(3) != null;
                state = m.group(4);
                frames = new ArrayList<>();
            } else if (frames != null && line.startsWith("    at ")) {
                frames.add(line.substring("    at ".length()));
            }
        }
        if (frames != null) {
            threads.add(new Entry(tid, name, virtual, state, List.copyOf(frames)));
        }
        return new ThreadDump(text, List.copyOf(threads));
    }

    /** Writes the full dump under target/hang-dumps (or the temp dir) and returns the path. */
    Path save(String label) {
        try {
            Path dir = Path.of("target");
            dir = Files.isDirectory(dir) ? dir.resolve("hang-dumps") : Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(dir);
            Path file = dir.resolve(label.replaceAll("[^A-Za-z0-9._-]+", "_") + "-" + System.nanoTime() + ".txt");
            Files.writeString(file, text);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
