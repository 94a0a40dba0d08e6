package dev.gopatterns.exercises.singleflight;

import java.io.IOException;
import java.util.Objects;

/**
 * Exercise `singleflight`: a lookup in front of a slow backend that coalesces duplicate requests with a
 * {@code SingleFlight}.
 *
 * <p>The rules of {@code get(key)}:
 * <ol>
 *   <li>While a fetch for {@code key} is running, another call for {@code key} does not fetch: it waits for that
 *       fetch and returns its value.
 *   <li>If that fetch fails, every call that shared it throws its failure, the same exception, as it was thrown.
 *   <li>Calls for different keys never wait for each other.
 *   <li>Nothing is kept: once a fetch has ended (with a value or a failure), the next call for the key fetches again.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check singleflight}
 */
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
    // TODO: one SingleFlight<String, String>, shared by every call

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The value of {@code key} from the backend. Concurrent calls for the same key share one fetch, and its value
     * or its failure; a call after that fetch has ended fetches again.
     */
    public String get(String key) throws IOException, InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: get: return flights.run(key, () -> backend.fetch(key)).value(), and rethrow what run throws"
                        + " as it is (IOException, InterruptedException, RuntimeException)");
    }
}
