package dev.gopatterns.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/**
 * Waits for a condition that another thread will make true, such as "the receiver is now parked in the channel's
 * queue". This is how tests order events without sleeping: they wait for the state itself, not for a guess at how
 * long it takes to get there. The wait yields the processor between checks and fails after 5 s.
 */
public final class Await {

    private static final Duration LIMIT = Duration.ofSeconds(5);

    private Await() {}

    /** Returns as soon as {@code condition} holds; fails naming {@code what} if it does not within 5 s. */
    public static void until(String what, BooleanSupplier condition) {
        until(() -> what, condition);
    }

    /**
     * {@link #until(String, BooleanSupplier)} whose failure message is built when the wait fails, so numbers in it
     * describe the state at that moment, not at the start of the wait.
     */
    public static void until(java.util.function.Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int spins = 0;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionFailedError("waited " + LIMIT.toSeconds() + " s for: " + what.get());
            }
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Returns once {@code thread} is parked or waiting (state WAITING or TIMED_WAITING). */
    public static void blocked(Thread thread) {
        until(thread.getName() + " to block", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }
}
