package dev.gopatterns.exercises;

import dev.gopatterns.testkit.Await;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Waits until another thread has brought about a state, as testkit's {@link Await#until} does (without sleeping,
 * failing after 5 s), but makes the failure message only when the wait fails. So the numbers a message reports
 * (units held, fetches running, calls made) are those of the moment the test gave up, not of the moment it began
 * to wait.
 *
 * <pre>{@code
 * Eventually.until(() -> active.get() >= 2,
 *         () -> "2 fetches to be running at once (" + active.get() + " were)");
 * }</pre>
 */
public final class Eventually {

    private Eventually() {}

    /** Returns as soon as {@code condition} holds; fails with "waited 5 s for: " and {@code what} if it does not. */
    public static void until(BooleanSupplier condition, Supplier<String> what) {
        try {
            Await.until("the state the test waits for", condition);
        } catch (AssertionFailedError timedOut) {
            throw new AssertionFailedError("waited 5 s for: " + what.get());
        }
    }
}
