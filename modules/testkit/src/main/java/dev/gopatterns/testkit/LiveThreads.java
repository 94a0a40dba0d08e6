package dev.gopatterns.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The threads, virtual ones included, that were started after a mark and are still running code of a given class.
 * It is what a test asserts with when a leaked thread is the mistake it must name: {@link ThreadLeakCheck} says
 * that something leaked; this says <em>which stage</em> did, and where it is parked, so the test can fail with the
 * rule that stage broke.
 *
 * <pre>{@code
 * LiveThreads threads = LiveThreads.mark();
 * ReceiveChannel<Integer> out = Merge.merge(ctx, a, b);
 * ...
 * List<LiveThreads.Live> left = threads.runningCodeOf(Merge.class); // empty once every forwarder has ended
 * }</pre>
 *
 * <p>A thread is found by its frames (a full thread dump, as {@link Thread#getAllStackTraces()} does not see virtual
 * threads), so it counts while it is in, or parked under, a method of the class or of a nested or lambda class of
 * it. Taking a dump costs a few milliseconds: this is for assertions, not for loops that must be fast.
 */
public final class LiveThreads {

    /** One live thread: its id, name, state as the dump shows it ({@code WAITING}, {@code RUNNABLE}) and frames. */
    public record Live(long id, String name, boolean virtual, String state, List<String> frames) {

        /** Whether the thread is parked or waiting: blocked on a channel, a lock, a condition. */
        public boolean parked() {
            return state.equals("WAITING") || state.equals("TIMED_WAITING");
        }

        /**
         * The thread and its top frames, one per line, for a failure message. The JDK's own parking frames on top
         * are left out, so the first frame shown is the call that blocks (a channel's send, say) and the next ones
         * are the code that made it.
         */
        public String describe() {
            int first = 0;
            while (first < frames.size() - 1 && frames.get(first).startsWith("java.base/")) {
                first++;
            }
            return new ThreadDump.Entry(id, name, virtual, state, frames.subList(first, frames.size())).describe(8);
        }
    }

    private final long mark;

    private LiveThreads(long mark) {
        this.mark = mark;
    }

    /** Marks now: only threads started after this call are reported. */
    public static LiveThreads mark() {
        return new LiveThreads(ThreadLeakCheck.nextThreadId());
    }

    /**
     * The threads started since the mark that are alive and have a frame in {@code type} (or a class nested in it,
     * lambdas included), the calling thread excepted.
     */
    public List<Live> runningCodeOf(Class<?> type) {
        String name = type.getName();
        List<Live> found = new ArrayList<>();
        for (ThreadDump.Entry e : ThreadDump.take().threads()) {
            if (e.tid() <= mark || e.tid() == Thread.currentThread().threadId()) {
                continue;
            }
            if (e.frames().stream().anyMatch(f -> inClass(f, name))) {
                found.add(new Live(e.tid(), e.name(), e.virtual(), e.state() == null ? "" : e.state(), e.frames()));
            }
        }
        return found;
    }

    /** Whether a dump frame ({@code [loader//]pkg.Class.method(File.java:12)}) is in {@code className} or nested. */
    static boolean inClass(String frame, String className) {
        int paren = frame.indexOf('(');
        String f = frame.substring(frame.lastIndexOf('/', paren < 0 ? frame.length() : paren) + 1);
        return f.startsWith(className + ".") || f.startsWith(className + "$");
    }
}
