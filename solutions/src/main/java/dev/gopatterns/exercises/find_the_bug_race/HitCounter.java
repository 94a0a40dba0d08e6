package dev.gopatterns.exercises.find_the_bug_race;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.sync.WaitGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exercise `find_the_bug_race`, fixed. The bug of the shipped version, and its fix:
 *
 * <p>{@code hit} reads the page's count, saves the new one, then writes it: a read-modify-write with a slow call in
 * the middle, on a plain {@code HashMap} shared by every handler. Two hits of one page at once both read the same
 * count, both save and write the same new one, and one hit is lost (and a {@code HashMap} written by two threads
 * at once may break outright). Fix: one lock, Go's {@code sync.Mutex}, held across the read, the save and the
 * write, so that the hits of a page take turns; {@code count} takes it too, so that it sees the last write.
 *
 * <p>Holding a lock across a call out (the save) is usually a smell: every other hit waits for it. Here it is the
 * rule: the saves of one page must not overlap, or an older count could land last. A lock per page would let
 * different pages save at once; one lock is the small fix.
 *
 * <p>How to run: {@code ./learn check find_the_bug_race --solution}
 */
public final class HitCounter {

    /** Where the counts are kept for good (in production a database; in the tests a fake that can hold a save). */
    public interface Store {
        /** Saves {@code count} as the number of hits of {@code page}. May block. */
        void save(String page, long count) throws InterruptedException;
    }

    private final Store store;
    private final ReentrantLock mu = new ReentrantLock(); // Go: mu sync.Mutex
    private final Map<String, Long> counts = new HashMap<>(); // guarded by mu

    public HitCounter(Store store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Counts one hit of {@code page}, saves the new count, and returns it. */
    public long hit(String page) throws InterruptedException {
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
