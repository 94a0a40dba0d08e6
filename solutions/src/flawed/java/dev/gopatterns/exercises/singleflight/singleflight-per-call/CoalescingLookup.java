/*
 * Flawed solution of exercise `singleflight`.
 * Mistake: get makes a new SingleFlight for each call, so each call is the leader of a flight of its own and nothing is shared.
 * Verdict: concurrent calls for one key must share one fetch
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

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    public String get(String key) throws IOException, InterruptedException {
        SingleFlight<String, String> flights = new SingleFlight<>();
        try {
            return flights.run(key, () -> backend.fetch(key)).value();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the backend threw an exception it does not declare", e);
        }
    }
}
