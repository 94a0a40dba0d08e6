package dev.gopatterns.exercises.find_the_bug_deadlock;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.List;

/**
 * Exercise `find_the_bug_deadlock`, the reference fix. The shipped code waited for every sender before it read a
 * result, so once the buffer was full every sender blocked on its send and the wait never ended. Here the caller
 * reads while the senders run, and a closer thread waits for them and then closes the channel; no buffer is needed.
 *
 * <p>The rules of {@link #checkAll}:
 * <ol>
 *   <li>Every link is checked once, and its result reported once: {@code n} links make {@code n} reports, for
 *       any {@code n} (ten today, thousands tomorrow).
 *   <li>Results are reported as they come: the report of one link never waits for the check of another.
 *   <li>{@code checkAll} returns once every result has been reported, and leaves no thread behind.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check find_the_bug_deadlock}
 */
public final class LinkChecker {

    /** Checks one link (in production an HTTP HEAD; in the tests a fake that can hold a check). */
    public interface Checker {
        /** What {@code url} answered, such as {@code "200 OK"}. May block. */
        String check(String url) throws InterruptedException;
    }

    /** Where results go (in production a log; in the tests a fake that writes them down and can hold one). */
    public interface Report {
        /** Records that {@code url} answered {@code status}. Called by one thread at a time. May block. */
        void add(String url, String status) throws InterruptedException;
    }

    /** One link's result. */
    public record Result(String url, String status) {}

    private LinkChecker() {}

    /** Checks every link of {@code urls} at once, one thread each, and reports each result to {@code report}. */
    public static void checkAll(List<String> urls, Checker checker, Report report) throws InterruptedException {
        Channel<Result> results = Channel.make(0);
        WaitGroup wg = new WaitGroup();
        for (String url : urls) {
            wg.go(() -> {
                try {
                    results.send(new Result(url, checker.check(url)));
                } catch (InterruptedException | UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        // The caller reads while the senders run; a closer waits for them, then closes, so the reading ends
        // exactly when the last result has been read. (Go: go func() { wg.Wait(); close(results) }().)
        Thread closer = Thread.ofVirtual().name("closes the results").start(() -> {
            try {
                wg.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the senders are still running: leave the channel open, the caller is being stopped too
            }
            results.close();
        });
        try {
            for (Result r : results) {
                report.add(r.url(), r.status());
            }
        } finally {
            closer.interrupt(); // a no-op once it has closed; unblocks it if the caller stopped early
            closer.join();
        }
    }
}
