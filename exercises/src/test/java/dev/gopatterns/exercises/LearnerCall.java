package dev.gopatterns.exercises;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * One call of the learner's code, run in a daemon <em>platform</em> thread of its own, so that the test can judge
 * how it waits while it waits, and can abandon it if it ignores interrupts.
 *
 * <p>Why a platform thread: a virtual thread that spins is never preempted, so a spinning call that ignores its
 * interrupt keeps one of the few carrier threads for good, and every later check of the class, whose threads need
 * a carrier, fails for a reason that has nothing to do with it (on a 2-core machine, two such calls stop them all).
 * A platform thread that spins costs a share of a core; the later checks still run and say what they check. And a
 * platform thread's state and CPU time can be read, which is how {@link #awaitParked} tells a blocked call from a
 * spinning or polling one.
 *
 * <p>{@link #close()} ends the call: it interrupts it, and if that does not end it within a second it runs the
 * releases the test registered ({@link #releaseWith}: close the channel, move the clock past every deadline), which
 * end a loop that never looks at its interrupt but does look at the channel or the clock. A call that survives even
 * that is abandoned, and named in the failures of the later checks ({@link #stillRunning()}).
 *
 * <p>Memory consistency effects: actions of the call happen-before {@link #await} returns its result.
 */
public final class LearnerCall<T> implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Calls that did not end even when released, in this test class: their threads still run. */
    private static final List<Thread> ABANDONED = new CopyOnWriteArrayList<>();

    private final FutureTask<T> task;
    private final Thread thread;
    private final List<Runnable> releases = new CopyOnWriteArrayList<>();
    private volatile boolean started;

    private LearnerCall(String name, Callable<T> call) {
        Objects.requireNonNull(call, "call");
        this.task = new FutureTask<>(() -> {
            started = true;
            return call.call();
        });
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(task);
        thread.start();
    }

    /** Starts {@code call} in a new daemon platform thread named {@code name}. */
    public static <T> LearnerCall<T> start(String name, Callable<T> call) {
        return new LearnerCall<>(name, call);
    }

    /** Runs {@code call} and returns {@link #await its result}, waiting at most {@code limit}. */
    public static <T> T within(Duration limit, String name, Callable<T> call, Supplier<String> ifStillRunning)
            throws Exception {
        try (LearnerCall<T> c = start(name, call)) {
            return c.await(limit, ifStillRunning);
        }
    }

    /** Adds what {@link #close()} does to a call that ignored its interrupt: close a channel, advance a clock. */
    public LearnerCall<T> releaseWith(Runnable... release) {
        releases.addAll(List.of(release));
        return this;
    }

    public Thread thread() {
        return thread;
    }

    public boolean isDone() {
        return task.isDone();
    }

    /**
     * The call's result, waiting at most {@code limit}; what it threw is rethrown as it is (so a TODO in a stub
     * reads as one).
     *
     * @throws AssertionFailedError with {@code ifStillRunning}'s message if the call has not returned in time
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
            throw new AssertionFailedError(ifStillRunning.get() + stillRunning());
        }
    }

    /** How the call's thread was found while the test waited for it to block. */
    public enum Seen {
        /** Parked without a timeout, and the test's own condition held: blocked, as a channel wait is. */
        PARKED,
        /** Parked without a timeout, but the test's condition never held: blocked on something else. */
        PARKED_ELSEWHERE,
        /** Mostly in timed waits (a sleep, a park with a timeout): waking up again and again to look. */
        POLLING,
        /** Mostly running: a loop that never waits. */
        SPINNING,
        /** The call returned or threw. */
        DONE
    }

    /** What {@link #awaitParked} saw: the verdict, and the numbers for the failure message. */
    public record Waiting(Seen seen, int runningSamples, int timedSamples, long cpuMillis) {}

    /**
     * Waits, for at most {@code limit}, until the call's thread is parked without a timeout (state WAITING) while
     * {@code blockedOn} holds, and says what it saw: a blocking call gets there in microseconds; a spinning one is
     * seen running, a polling one in timed waits, for the whole of {@code limit}.
     */
    public Waiting awaitParked(Duration limit, BooleanSupplier blockedOn) {
        long cpuBefore = cpuNanos();
        long deadline = System.nanoTime() + limit.toNanos();
        int running = 0;
        int timed = 0;
        int waitingElsewhere = 0;
        for (int spins = 0; ; spins++) {
            if (task.isDone()) {
                return new Waiting(Seen.DONE, running, timed, 0);
            }
            Thread.State state = thread.getState();
            if (started) {
                switch (state) {
                    case WAITING -> {
                        if (blockedOn.getAsBoolean() && thread.getState() == Thread.State.WAITING) {
                            return new Waiting(Seen.PARKED, running, timed, 0);
                        }
                        waitingElsewhere++;
                    }
                    case TIMED_WAITING -> timed++;
                    case RUNNABLE -> running++;
                    default -> { }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                long cpu = (cpuNanos() - cpuBefore) / 1_000_000;
                Seen seen = running >= timed && running >= waitingElsewhere ? Seen.SPINNING
                        : timed >= waitingElsewhere ? Seen.POLLING : Seen.PARKED_ELSEWHERE;
                return new Waiting(seen, running, timed, cpu);
            }
            if (spins % 100 == 99) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** The CPU time the call's thread has used, in nanoseconds (0 where the JVM cannot measure it). */
    public long cpuNanos() {
        long t = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
        return Math.max(t, 0);
    }

    /** Interrupts the call and waits up to a second for it to end; true if it did. */
    public boolean interruptAndJoin() throws InterruptedException {
        thread.interrupt();
        return thread.join(GRACE);
    }

    /**
     * Ends the call if it is still running: interrupts it, then, if it ignored that, runs the releases; a call that
     * survives both is abandoned (its thread is a daemon and only costs processor time).
     */
    @Override
    public void close() {
        if (task.isDone() && !thread.isAlive()) {
            return;
        }
        try {
            if (interruptAndJoin()) {
                return;
            }
            for (Runnable release : releases) {
                try {
                    release.run();
                } catch (RuntimeException alreadyReleased) {
                    // e.g. the channel was closed already: the release is best effort
                }
            }
            if (!thread.join(GRACE)) {
                ABANDONED.add(thread);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag
        }
    }

    /**
     * A note for a failure message, naming the calls of earlier checks that ignored every attempt to end them and
     * still run: their thread takes processor time from this check. Empty when there are none.
     */
    public static String stillRunning() {
        List<String> alive = new ArrayList<>();
        for (Thread t : ABANDONED) {
            if (t.isAlive()) {
                alive.add("\"" + t.getName() + "\"");
            }
        }
        return alive.isEmpty() ? "" : ". (Note: " + alive.size() + " call(s) of earlier checks, " + alive
                + ", ignored their interrupt and could not be stopped; they still use the processor, so fix the"
                + " first failing check first)";
    }
}
