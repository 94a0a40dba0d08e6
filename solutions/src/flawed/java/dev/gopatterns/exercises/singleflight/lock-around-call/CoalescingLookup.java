/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: get holds one lock around the whole fetch, so that duplicates cannot run at once: every other call, for any key, waits for it.
 * Verdict: a call for another key must not wait
 */
package dev.gopatterns.exercises.singleflight;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

public final class CoalescingLookup {

    /**
     * The slow source of the values (in production a database or a service; in the tests a fake that can hold a
     * fetch).
     */
    public interface Backend {
        /** Fetches the value of {@code key}. May block, may fail. */
        String fetch(String key) throws IOException, InterruptedException;
    }

    private final Backend backend;
    private final ReentrantLock lock = new ReentrantLock(); // one fetch at a time: no duplicates

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public String get(String key) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            return backend.fetch(key);
        } finally {
            lock.unlock();
        }
    }
}
