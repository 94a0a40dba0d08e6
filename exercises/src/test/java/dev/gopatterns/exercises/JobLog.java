package dev.gopatterns.exercises;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs of the worker-pool exercises, played by the test: each job writes down when it starts and
 * ends, in which thread it ran, and what its context said when it ended; a job the test {@linkplain #hold holds}
 * waits until the test {@linkplain #release releases} it (or its context ends), and a job the test marks as
 * {@linkplain #fail failing} throws. So a test orders events by waiting for them ("3 jobs are running"), never by
 * sleeping.
 *
 * <pre>{@code
 * try (JobLog log = new JobLog()) {
 *     log.hold("a", "b");
 *     ... start the pool with work = log::run ...
 *     log.awaitRunning(2, "both workers busy");
 *     log.release("a");
 * } // releases every job still held
 * }</pre>
 *
 * <p>Memory consistency effects: what a job did before it ended happens-before a test that sees it in
 * {@link #finished()}.
 */
public final class JobLog implements AutoCloseable {

    /** What a failing job throws. */
    public static final class JobFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public JobFailed(String job) {
            super("job '" + job + "' failed (the test told it to)");
        }
    }

    /** How a job ended: the thread it ran in, and its context's error at that moment, if it had one. */
    public record End(Thread thread, Optional<ContextException> contextError) {}

    private final Map<String, Channel<Void>> gates = new ConcurrentHashMap<>();
    private final Map<String, Channel<Void>> cleanups = new ConcurrentHashMap<>();
    private final Set<String> cleaning = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final Map<String, End> ends = new ConcurrentHashMap<>();
    /** Guarded by itself. */
    private final List<String> started = new ArrayList<>();
    /** Guarded by {@link #started}. */
    private final List<String> finished = new ArrayList<>();
    /** Jobs running now, and the most there ever were at once. */
    public final AtomicInteger active = new AtomicInteger();
    public final AtomicInteger maxActive = new AtomicInteger();

    /** These jobs wait, when they run, until released. */
    public void hold(String... jobs) {
        for (String job : jobs) {
            gates.putIfAbsent(job, Channel.make(0));
        }
    }

    /**
     * These jobs, if held and stopped by the end of their context, take time to stop: they wait, "cleaning up",
     * until the test {@linkplain #releaseCleanup releases} them, and only then throw the context's error. So a
     * test can see whether a shutdown waits for the jobs it cancelled.
     */
    public void holdCleanup(String... jobs) {
        for (String job : jobs) {
            cleanups.putIfAbsent(job, Channel.make(0));
        }
    }

    /** Lets a job that is cleaning up end. Idempotent. */
    public void releaseCleanup(String job) {
        Channel<Void> gate = cleanups.get(job);
        if (gate != null) {
            try {
                gate.close();
            } catch (RuntimeException alreadyClosed) {
                // released before: nothing to do
            }
        }
    }

    /** The jobs that saw their context end and are cleaning up now. */
    public Set<String> cleaning() {
        return Set.copyOf(cleaning);
    }

    /** These jobs throw {@link JobFailed} when they run (after being released, if held). */
    public void fail(String... jobs) {
        failing.addAll(List.of(jobs));
    }

    /** Lets a held job go on. Idempotent. */
    public void release(String job) {
        Channel<Void> gate = gates.get(job);
        if (gate != null) {
            try {
                gate.close();
            } catch (RuntimeException alreadyClosed) {
                // released before: nothing to do
            }
        }
    }

    /** The job's body, with no context: returns the job's name in upper case. */
    public String run(String job) throws InterruptedException, JobFailed {
        return run(null, job);
    }

    /** {@link #run(String)} for a {@code Function}: an interrupt becomes an unchecked exception, flag kept. */
    public String runUnchecked(String job) {
        try {
            return run(null, job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("job '" + job + "' was interrupted", e);
        } catch (JobFailed e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The job's body: a held job waits until released or until {@code ctx} (if any) ends, then throws the
     * context's error; a failing job throws {@link JobFailed}; otherwise it returns its name in upper case.
     */
    public String run(Context ctx, String job) throws InterruptedException, JobFailed {
        threads.put(job, Thread.currentThread());
        // Written down before it is counted, and counted ended only after: whoever sees `active` reach n (in
        // awaitRunning) then finds those n jobs in running(), and whoever sees a job's end finds it finished.
        synchronized (started) {
            started.add(job);
        }
        int now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
        try {
            Channel<Void> gate = gates.get(job);
            if (gate != null) {
                boolean released;
                if (ctx == null) {
                    gate.receiveOrClosed(); // returns once the test closes the gate
                    released = true;
                } else {
                    released = Select.select(gate.onReceiveOrClosed(r -> true), ctx.onDone(() -> false));
                }
                if (!released) {
                    Channel<Void> cleanup = cleanups.get(job);
                    if (cleanup != null) {
                        cleaning.add(job);
                        try {
                            cleanup.receiveOrClosed(); // stopping takes until the test says
                        } finally {
                            cleaning.remove(job);
                        }
                    }
                    throw ctx.err().orElseThrow();
                }
            }
            if (failing.contains(job)) {
                throw new JobFailed(job);
            }
            return job.toUpperCase();
        } finally {
            active.decrementAndGet();
            synchronized (started) {
                finished.add(job);
            }
            ends.put(job, new End(Thread.currentThread(), ctx == null ? Optional.empty() : ctx.err()));
        }
    }

    /** The jobs that have started, in the order they did. */
    public List<String> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /** The jobs that have ended (returned or thrown), in the order they did. */
    public List<String> finished() {
        synchronized (started) {
            return List.copyOf(finished);
        }
    }

    /** The jobs that have started and not ended, oldest first. */
    public List<String> running() {
        synchronized (started) {
            return started.stream().filter(j -> !finished.contains(j)).toList();
        }
    }

    /** The thread job {@code job} ran in; fails if it never started. */
    public Thread thread(String job) {
        Thread t = threads.get(job);
        if (t == null) {
            throw new AssertionError("job '" + job + "' never started");
        }
        return t;
    }

    /** How job {@code job} ended, if it has. */
    public Optional<End> end(String job) {
        return Optional.ofNullable(ends.get(job));
    }

    /** Waits until at least {@code count} jobs are running at once; fails saying {@code why}. */
    public void awaitRunning(int count, String why) {
        Eventually.until(() -> active.get() >= count, () -> count + " jobs to be running at once (" + active.get()
                + " were; started so far: " + started() + "): " + why);
    }

    /** Waits until job {@code job} has ended. */
    public void awaitFinished(String job, String why) {
        Eventually.until(() -> ends.containsKey(job), () -> "job '" + job + "' to end: " + why);
    }

    /**
     * Whether the thread that ran {@code job} has ended within {@code limit}: a worker that has nothing left to
     * do must end, not wait forever.
     */
    public boolean threadEnds(String job, Duration limit) throws InterruptedException {
        Thread t = thread(job);
        return t.join(limit);
    }

    /** Releases every job still held or cleaning up, so nothing the test started waits for it any more. */
    @Override
    public void close() {
        gates.keySet().forEach(this::release);
        cleanups.keySet().forEach(this::releaseCleanup);
    }
}
