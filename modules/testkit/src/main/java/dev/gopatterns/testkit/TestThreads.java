package dev.gopatterns.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Threads a test starts and is sure to join. {@link #close()} waits for every thread, then rethrows the first
 * failure (the others suppressed), so an exception in a helper thread fails the test instead of vanishing.
 *
 * <pre>{@code
 * try (TestThreads threads = TestThreads.virtual()) {
 *     Future<String> received = threads.submit("receiver", ch::receive);
 *     ch.send("hello");
 *     assertThat(received.get()).isEqualTo("hello");
 * } // joined here
 * }</pre>
 */
public final class TestThreads implements AutoCloseable {

    /** Runs a task that may throw. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final boolean virtual;
    private final Duration joinLimit;
    private final List<Thread> threads = new ArrayList<>();
    private final List<FutureTask<?>> tasks = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private TestThreads(boolean virtual, Duration joinLimit) {
        this.virtual = virtual;
        this.joinLimit = joinLimit;
    }

    /** Platform threads, joined for at most 10 s at close. */
    public static TestThreads platform() {
        return new TestThreads(false, Duration.ofSeconds(10));
    }

    /** Virtual threads, joined for at most 10 s at close. */
    public static TestThreads virtual() {
        return new TestThreads(true, Duration.ofSeconds(10));
    }

    /** Platform or virtual threads. */
    public static TestThreads of(boolean virtual) {
        return new TestThreads(virtual, Duration.ofSeconds(10));
    }

    /** Starts {@code task} in a new thread named {@code name}. */
    public synchronized <T> Future<T> submit(String name, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = (virtual ? Thread.ofVirtual() : Thread.ofPlatform()).name(name).unstarted(f);
        threads.add(t);
        tasks.add(f);
        names.add(name);
        t.start();
        return f;
    }

    /** Starts {@code task} in a new thread named {@code name}. */
    public Future<Void> start(String name, Task task) {
        Objects.requireNonNull(task, "task");
        return submit(name, () -> {
            task.run();
            return null;
        });
    }

    /**
     * Starts {@code task}, expecting it to end by throwing {@code expected}; the future yields that exception. If
     * the task returns normally, or throws something else, the future fails saying so (and so does {@link #close}).
     */
    public <E extends Throwable> Future<E> submitExpecting(String name, Class<E> expected, Task task) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(task, "task");
        return submit(name, () -> {
            try {
                task.run();
            } catch (Throwable t) {
                if (expected.isInstance(t)) {
                    return expected.cast(t);
                }
                throw new AssertionError("'" + name + "' was expected to throw " + expected.getSimpleName()
                        + " but threw " + t, t);
            }
            throw new AssertionError("'" + name + "' was expected to throw " + expected.getSimpleName()
                    + " but returned normally");
        });
    }

    /** The threads started so far (for interrupting them). */
    public synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }

    /**
     * Joins every thread, then fails if one is still running (after interrupting it) or one threw. If the test
     * thread is interrupted while joining, the interrupt is re-asserted and the test fails: nothing is left running
     * unnoticed.
     */
    @Override
    public void close() {
        List<Thread> ts;
        List<FutureTask<?>> fs;
        List<String> ns;
        synchronized (this) {
            ts = List.copyOf(threads);
            fs = List.copyOf(tasks);
            ns = List.copyOf(names);
        }
        long deadline = System.nanoTime() + joinLimit.toNanos();
        List<String> stuck = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            Thread t = ts.get(i);
            // Loop on the thread's state, not on join's return: just after start(), a platform thread can briefly
            // look not-yet-alive to join(), which then returns at once.
            while (t.getState() != Thread.State.TERMINATED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                boolean ended;
                try {
                    ended = t.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while joining test thread '" + ns.get(i) + "'", e);
                }
                if (!ended) {
                    Thread.yield();
                }
            }
            if (t.getState() != Thread.State.TERMINATED) {
                stuck.add(ns.get(i));
                t.interrupt();
            }
        }
        AssertionError failure = null;
        if (!stuck.isEmpty()) {
            failure = new AssertionError("threads still running " + joinLimit.toSeconds() + " s after the test "
                    + "body ended (interrupted now): " + stuck + ". Each must end on its own: close its channel or"
                    + " send what it waits for.");
        }
        for (int i = 0; i < fs.size(); i++) {
            FutureTask<?> f = fs.get(i);
            if (!f.isDone()) {
                continue;
            }
            try {
                f.get(); // done: does not block
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                AssertionError ae = new AssertionError("thread '" + ns.get(i) + "' failed: " + e.getCause(),
                        e.getCause());
                if (failure == null) {
                    failure = ae;
                } else {
                    failure.addSuppressed(ae);
                }
            } catch (java.util.concurrent.CancellationException ignoredCancelled) {
                // cancelled by the test on purpose: nothing to report
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
