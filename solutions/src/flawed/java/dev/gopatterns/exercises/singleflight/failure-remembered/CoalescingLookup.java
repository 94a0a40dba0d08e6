/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: a hand-made map of futures, where the leader removes its flight only when the fetch succeeds: a failed flight stays, and every later call gets its old failure.
 * Verdict: a failure must not be remembered
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
            mine.complete(value);
            flights.remove(key); // done: the next call fetches again
            return value;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e); // the waiting calls get it too
            throw e;
        }
    }
}
