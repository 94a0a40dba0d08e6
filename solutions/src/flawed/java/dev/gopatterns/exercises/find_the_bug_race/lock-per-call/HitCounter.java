/*
 * Flawed solution of exercise `find_the_bug_race` (a half-fixed HitCounter).
 * Mistake: hit makes its own ReentrantLock and locks it: every call has a lock of its own, so no call ever waits for another, and two hits still read the same count (Go: a sync.Mutex declared inside the function instead of in the struct).
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
import java.util.concurrent.locks.ReentrantLock;

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
        ReentrantLock mu = new ReentrantLock();
        mu.lock(); // the fix: no other hit between this read and the write below
        try {
            long n = counts.getOrDefault(page, 0L) + 1;
            store.save(page, n); // write-through: the store is never behind what we count
            counts.put(page, n);
            return n;
        } finally {
            mu.unlock();
        }
    }

    /** How many hits {@code page} has had. */
    public long count(String page) {
        ReentrantLock mu = new ReentrantLock();
        mu.lock(); // a plain read of a HashMap another thread writes may see a stale count, or worse
        try {
            return counts.getOrDefault(page, 0L);
        } finally {
            mu.unlock();
        }
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
