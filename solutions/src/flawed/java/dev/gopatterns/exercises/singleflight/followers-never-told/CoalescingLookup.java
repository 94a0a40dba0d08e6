/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: a hand-made map of futures, where the leader completes the future with the value but, when the fetch fails, only removes it and throws: the calls waiting on it are never told and wait for ever.
 * Verdict: every caller of the flight must get its failure
 */
package dev.gopatterns.exercises.singleflight;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

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
    private final Map<String, CompletableFuture<String>> flights = new ConcurrentHashMap<>();

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public String get(String key) throws IOException, InterruptedException {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.get(); // join the flight in progress
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case IOException io -> throw io;
                    case RuntimeException re -> throw re;
                    default -> throw new IllegalStateException(e.getCause());
                }
            }
        }
        try {
            String value = backend.fetch(key);
            mine.complete(value); // hand the value to the waiting calls
            return value;
        } finally {
            flights.remove(key); // the next call fetches again
        }
    }
}
