package dev.gopatterns.exercises.find_the_bug_race;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exercise `find_the_bug_race`: find the bug. This hit counter was written for one thread, then shared by several,
 * and it seems to work: serve some requests, and the counts come out right. Its tests fail nonetheless. Read
 * README.md for the symptoms, then fix the code so that every rule below holds; the fix is small.
 *
 * <p>The rules of a {@code HitCounter}, which any number of threads may call at once:
 * <ol>
 *   <li>Every {@link #hit} counts: {@code n} hits on a page, from any threads, make its count {@code n}, and each
 *       of them returns a different count, 1 to {@code n}.
 *   <li>Write-through: each hit saves the page's new count in the {@link Store} before it returns, and the store
 *       ends with the last count: the saves of one page are never out of order.
 *   <li>{@link #serve} returns when every request has been counted, and leaves no thread behind.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check find_the_bug_race}
 */
public final class HitCounter {

    /** Where the counts are kept for good (in production a database; in the tests a fake that can hold a save). */
    public interface Store {
        /** Saves {@code count} as the number of hits of {@code page}. May block. */
        void save(String page, long count) throws InterruptedException;
    }

    private final Store store;
    private final Map<String, Long> counts = new HashMap<>();

    public HitCounter(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Counts one hit of {@code page}, saves the new count, and returns it. */
    public long hit(String page) throws InterruptedException {
        long n = counts.getOrDefault(page, 0L) + 1;
        store.save(page, n); // write-through: the store is never behind what we count
        counts.put(page, n);
        return n;
    }

    /** How many hits {@code page} has had. */
    public long count(String page) {
        return counts.getOrDefault(page, 0L);
    }

    /**
     * Serves every request (a page name) on {@code handlers} threads that share one counter, as a web server's
     * handlers would, and returns the counter once every request has been counted.
     *
     * @throws IllegalArgumentException if {@code handlers < 1}
     */
    public static HitCounter serve(int handlers, List<String> requests, Store store) throws InterruptedException {
        if (handlers < 1) {
            throw new IllegalArgumentException("handlers must be >= 1, was " + handlers);
        }
        HitCounter counter = new HitCounter(store);
        Channel<String> queue = Channel.make(requests.size());
        for (String page : requests) {
            queue.send(page);
        }
        queue.close();
        WaitGroup wg = new WaitGroup();
        for (int h = 0; h < handlers; h++) {
            wg.go(() -> {
                try {
                    for (String page : queue) {
                        counter.hit(page);
                    }
                } catch (InterruptedException | UncheckedInterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        wg.await();
        return counter;
    }
}
