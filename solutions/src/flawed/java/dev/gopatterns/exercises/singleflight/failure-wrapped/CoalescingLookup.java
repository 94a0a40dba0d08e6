/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: get wraps whatever SingleFlight.run throws in a RuntimeException, to get rid of the checked Exception: the callers get a wrapper, not the fetch's failure.
 * Verdict: not a wrapper
 */
package dev.gopatterns.exercises.singleflight;

import dev.gopatterns.sync.SingleFlight;
import java.io.IOException;
import java.util.Objects;

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
    private final SingleFlight<String, String> flights = new SingleFlight<>();

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public String get(String key) throws IOException, InterruptedException {
        try {
            return flights.run(key, () -> backend.fetch(key)).value();
        } catch (Exception e) {
            throw new RuntimeException("lookup of " + key + " failed", e);
        }
    }
}
