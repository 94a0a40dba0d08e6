/*
 * Flawed solution of exercise `find_the_bug_race` (a half-fixed HitCounter).
 * Mistake: the map is made volatile (and replaced by a fresh copy on each hit, so that no thread ever sees one half-written): every thread sees the latest map, but a hit is still read, save, write, and two hits that read the same map both write a copy with the same new count; volatile makes a read or a write visible, not a read-modify-write atomic.
 * Verdict: a lost update
 */
package dev.gopatterns.exercises.find_the_bug_race;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

public final class HitCounter {

    /** Where the counts are kept for good (in production a database; in the tests a fake that can hold a save). */
    public interface Store {
        /** Saves {@code count} as the number of hits of {@code page}. May block. */
        void save(String page, long count) throws InterruptedException;
    }

    private final Store store;
    private volatile Map<String, Long> counts = Map.of(); // volatile: every thread sees the latest map

    public HitCounter(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Counts one hit of {@code page}, saves the new count, and returns it. */
    public long hit(String page) throws InterruptedException {
        long n = counts.getOrDefault(page, 0L) + 1;
        store.save(page, n); // write-through: the store is never behind what we count
        Map<String, Long> next = new HashMap<>(counts); // never change a map another thread may read
        next.put(page, n);
        counts = next;
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
