/*
 * Flawed solution of exercise `find_the_bug_deadlock` (a half-fixed LinkChecker).
 * Mistake: the reading moved into a thread of its own so the senders never block, but checkAll waits only for the senders: once they have sent, it returns while the reader is still reporting, and the last results come after checkAll has returned, or never (Go: go func() { for r := range results { ... } }() with no wait for it).
 * Verdict: returned before every result was reported
 */
package dev.gopatterns.exercises.find_the_bug_deadlock;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.List;

/**
 * Exercise `find_the_bug_deadlock`: find the bug. This batch job checks a list of links, one thread per link, and
 * reports what each one answered. It works on the batches it was tried on; its tests fail nonetheless. Read
 * README.md for the symptoms, then fix the code so that every rule below holds; the fix is small.
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
        Thread.ofVirtual().name("reads the results").start(() -> {
            try {
                for (Result r : results) {
                    report.add(r.url(), r.status());
                }
            } catch (InterruptedException | UncheckedInterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
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
        wg.await(); // every result has been sent, and so read
        results.close();
    }
}
