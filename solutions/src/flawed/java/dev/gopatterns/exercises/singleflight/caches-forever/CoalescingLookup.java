/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: get uses ConcurrentHashMap.computeIfAbsent, which runs one fetch per key while the others wait, but keeps the value for ever: later calls never see fresh data.
 * Verdict: nothing may be cached
 */
package dev.gopatterns.exercises.singleflight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, String> values = new ConcurrentHashMap<>();

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public String get(String key) throws IOException, InterruptedException {
        try {
            return values.computeIfAbsent(key, k -> {
                try {
                    return backend.fetch(k);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
