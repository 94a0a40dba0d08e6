package dev.gopatterns.exercises;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * A step of an exercise test run in a virtual thread of its own, so the test can wait for it with a limit and
 * fail in its own words when the learner's code hangs, instead of hanging with it.
 *
 * <pre>{@code
 * List<String> got = Background.within(ONE_SECOND, "collect", () -> Generator.collect(in),
 *         () -> "collect did not return within 1 s: does the generator close its channel?");
 * }</pre>
 *
 * A step that does not finish in time is interrupted and given one more second to end, and the failure says
 * whether it did: code that ignores interrupts cannot be stopped, and the learner should know. Closing a
 * {@code Background} does the same for a step still running, so a test never leaves one behind.
 *
 * <p>Memory consistency effects: actions of the step happen-before {@link #await} returns its result.
 *
 * @param <T> what the step returns
 */
public final class Background<T> implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(1);

    private final FutureTask<T> task;
    private final Thread thread;

    private Background(String name, Callable<T> step) {
        this.task = new FutureTask<>(Objects.requireNonNull(step, "step"));
        this.thread = Thread.ofVirtual().name(name).start(task);
    }

    /** Starts {@code step} in a new virtual thread named {@code name}. */
    public static <T> Background<T> start(String name, Callable<T> step) {
        return new Background<>(name, step);
    }

    /** Runs {@code step} in the background and returns {@link #await its result}, waiting at most {@code limit}. */
    public static <T> T within(Duration limit, String name, Callable<T> step, Supplier<String> ifStillRunning)
            throws Exception {
        try (Background<T> background = start(name, step)) {
            return background.await(limit, ifStillRunning);
        }
    }

    /**
     * The step's result, waiting at most {@code limit}. What the step threw is rethrown as it is (so a TODO in a
     * stub reads as one).
     *
     * @throws AssertionFailedError with {@code ifStillRunning}'s message if the step has not finished in time
     */
    public T await(Duration limit, Supplier<String> ifStillRunning) throws Exception {
        try {
            return task.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Exception cause -> throw cause;
                case Error cause -> throw cause;
                case null, default -> throw e;
            }
        } catch (TimeoutException e) {
            boolean stopped = stop();
            throw new AssertionFailedError(ifStillRunning.get() + (stopped ? ""
                    : ". It did not even stop when interrupted: is an InterruptedException caught and ignored?"));
        }
    }

    /** Whether the step has finished, normally or not. */
    public boolean isDone() {
        return task.isDone();
    }

    /**
     * Waits until the step has finished, or its thread has stayed blocked over five looks 10 ms apart: then it
     * waits for something only the test can give. A thread that blocks for a moment on its way (a lock) is not
     * blocked five looks in a row.
     *
     * @throws AssertionFailedError with {@code ifSpinning}'s message if the thread neither finished nor stayed
     *     blocked within 5 s: it spins
     */
    public void awaitDoneOrBlocked(Supplier<String> ifSpinning) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int blockedLooks = 0;
        while (!isDone() && blockedLooks < 5) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionFailedError(ifSpinning.get());
            }
            Thread.State s = thread.getState();
            blockedLooks = (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) ? blockedLooks + 1 : 0;
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** The step's thread. */
    public Thread thread() {
        return thread;
    }

    /** Interrupts the step if it is still running and gives it a second to end. */
    @Override
    public void close() {
        if (!task.isDone()) {
            stop();
        }
    }

    /** Interrupts the thread and waits up to a second for it to end; true if it did. */
    private boolean stop() {
        thread.interrupt();
        try {
            return thread.join(GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag
            return false;
        }
    }
}
