package dev.gopatterns.exercises.singleflight;

import dev.gopatterns.sync.SingleFlight;
import java.io.IOException;
import java.util.Objects;

/**
 * Exercise `singleflight`, solved: a lookup in front of a slow backend that coalesces duplicate requests. While a
 * fetch for a key is running, further calls for that key wait for it and get its value or its failure; calls for
 * other keys go on; and once it has ended, the next call for the key fetches again.
 *
 * <p>Why it is correct: one {@link SingleFlight} field is shared by every call (a group made per call would share
 * nothing). It holds a flight per key only while the flight runs, and runs the fetch outside its lock, so a slow
 * key holds up no other key. It rethrows the flight's failure, the same instance, to every caller; {@code get}
 * passes it on as it is, since the backend can throw only {@code IOException}, {@code InterruptedException} and
 * unchecked exceptions. Nothing is cached: the flight is removed when it ends.
 *
 * <p>How to run: {@code ./learn check singleflight --solution}
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
    private final SingleFlight<String, String> flights = new SingleFlight<>(); // one group for every call

    public CoalescingLookup(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * The value of {@code key} from the backend. Concurrent calls for the same key share one fetch, and its value
     * or its failure; a call after that fetch has ended fetches again.
     */
    public String get(String key) throws IOException, InterruptedException {
        try {
            return flights.run(key, () -> backend.fetch(key)).value();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e; // the flight's failure, the same instance for every caller
        } catch (Exception e) {
            throw new IllegalStateException("the backend threw an exception it does not declare", e);
        }
    }
}
