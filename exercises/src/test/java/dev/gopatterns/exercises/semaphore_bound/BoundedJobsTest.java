package dev.gopatterns.exercises.semaphore_bound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.semaphore_bound.BoundedJobs.Job;
import dev.gopatterns.sync.Semaphore;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.HangTimeout;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `semaphore_bound`: what {@link BoundedJobs#runAll} must do, checked through jobs the test controls and the
 * {@link Semaphore} it hands in.
 *
 * <p>Each job writes down when it started and finished (on one shared sequence, so the order is exact) and adds
 * its weight to the units in flight while it runs. Most jobs run until the test lets them finish, so the test can
 * look at the state between steps: it waits until {@code runAll} has started every job the units allow (the
 * semaphore's own {@link Semaphore#held()} and {@link Semaphore#waiting()} say when), checks, and lets the oldest
 * job finish. No test sleeps; each call is given at most a second to end.
 *
 * <p>How to run: {@code ./learn check semaphore_bound}
 */
@HangTimeout(seconds = 8) // above Await's 5 s, so a run that never settles fails with Await's plain message
@DisplayName("Exercise `semaphore_bound`: bound parallelism with a weighted semaphore")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the order the README tells them
class BoundedJobsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("every job runs exactly once, runAll returns after the last has finished, and every unit comes"
            + " back")
    void everyJobRuns() throws Exception {
        try (Jobs j = new Jobs(4)) {
            long[] weights = {1, 3, 2, 4, 1, 1, 2, 3, 1, 2};
            for (int i = 0; i < weights.length; i++) {
                j.job("job-" + i, weights[i], false);
            }

            j.runToTheEnd();

            for (Run r : j.runs.values()) {
                assertThat(r.times.get()).as("job '%s' must run exactly once", r.name).isEqualTo(1);
            }
            assertThat(j.finishedWhenRunAllReturned).as("runAll returned before every job had finished: it must"
                    + " wait for the jobs it started (close the executor that runs them, or join their threads)")
                    .isEqualTo(weights.length);
            assertThat(j.units.held()).as("units were still held after every job had finished: a job must give"
                    + " back exactly what it took, units.release(weight), in a finally block").isZero();
        }
    }

    @Test
    @Order(2)
    @DisplayName("the units in flight never exceed the semaphore's size, and reach it when the jobs allow")
    void boundNeverExceeded() throws Exception {
        try (Jobs j = new Jobs(4)) {
            long[] weights = {2, 1, 3, 1, 1, 2, 4, 1};
            for (int i = 0; i < weights.length; i++) {
                j.job("job-" + i, weights[i], true);
            }
            try (Background<Void> call = j.start()) {
                j.driveToTheEnd(call);

                j.await(call);
            }
            assertThat(j.mostInFlight.get()).as("with 4 units and these weights, jobs must run side by side until"
                    + " 4 units are in use, but at most %d were: start each job in a thread of its own as soon as"
                    + " its units are acquired, and wait only at the end", j.mostInFlight.get()).isEqualTo(4);
            assertThat(j.finishedWhenRunAllReturned).as("runAll returned before every job had finished")
                    .isEqualTo(weights.length);
        }
    }

    @Test
    @Order(3)
    @DisplayName("under randomized weights and finishing orders, the units in flight never exceed the semaphore's"
            + " size")
    void boundUnderRandomSchedules() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            try (Jobs j = new Jobs(4)) {
                j.seed = seed;
                for (int i = 0; i < 12; i++) {
                    j.job("job-" + i, 1 + random.nextInt(4), true);
                }
                try (Background<Void> call = j.start()) {
                    j.driveToTheEnd(call, random); // lets a running job finish, picked at random, at each step

                    j.await(call);
                }
                assertThat(j.mostInFlight.get()).as("seed %d: at one moment jobs weighing %d units in all were"
                        + " running (counted by the jobs themselves as they started), but the semaphore has only 4:"
                        + " a job must hold its weight in units from before it starts until it has finished", seed,
                        j.mostInFlight.get()).isLessThanOrEqualTo(4);
                for (Run r : j.runs.values()) {
                    assertThat(r.times.get()).as("seed %d: job '%s' must run exactly once", seed, r.name)
                            .isEqualTo(1);
                }
                assertThat(j.units.held()).as("seed %d: every unit taken must come back", seed).isZero();
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("a big job is not starved: the small jobs listed after it wait until it has run")
    void bigJobNotStarved() throws Exception {
        try (Jobs j = new Jobs(4)) {
            j.job("small-1", 1, true);
            j.job("small-2", 1, true);
            j.job("small-3", 1, true);
            j.job("BIG", 4, true);
            j.job("small-4", 1, true);
            j.job("small-5", 1, true);
            try (Background<Void> call = j.start()) {
                j.driveToTheEnd(call);

                j.await(call);
            }
            Run big = j.runs.get("BIG");
            for (String small : List.of("small-1", "small-2", "small-3")) {
                assertThat(j.runs.get(small).finished).as("BIG (weight 4 of 4) started while %s, listed before it,"
                        + " was still running", small).isLessThan(big.started);
            }
            for (String small : List.of("small-4", "small-5")) {
                assertThat(j.runs.get(small).started).as("%s started before BIG had finished, though BIG is listed"
                        + " before it. A big job waiting for units must not be overtaken by small ones that happen"
                        + " to fit, or a stream of them could starve it forever: acquire in list order, and wait"
                        + " (units.acquire(ctx, weight)) rather than skip", small).isGreaterThan(big.finished);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("runAll waits for units parked in units.acquire, not polling")
    void waitingForUnitsIsParked() throws Exception {
        try (Jobs j = new Jobs(1)) {
            j.job("a", 1, true);
            j.job("b", 1, false);
            try (Background<Void> call = j.start()) {
                Eventually.until(() -> j.running("a") || call.isDone(), () -> "job 'a' to start (units held: "
                        + j.units.held() + " of 1)");
                j.failIfReturned(call, "job 'a' was still running, and job 'b' had not started");

                j.watchForPolling();
                Eventually.until(() -> call.isDone() || (j.units.waiting() == 1 && isBlocked(call.thread()))
                                || j.pollsForUnits(call),
                        () -> "runAll to wait for job 'b''s unit, which job 'a' holds. " + j.pollingOrStuck(call));
                j.failIfPolled();
                j.failIfReturned(call, "job 'a' was still running, and job 'b' had not started");

                j.finish("a");
                j.await(call);
            }
            assertThat(j.runs.get("b").times.get()).as("job 'b' must run once job 'a' has given its unit back")
                    .isEqualTo(1);
        }
    }

    @Test
    @Order(6)
    @DisplayName("a job heavier than the whole semaphore is refused before any job starts, with a message that"
            + " names the rule")
    void tooHeavyRefused() throws Exception {
        try (Jobs j = new Jobs(4)) {
            j.job("light", 1, false);
            j.job("huge", 5, false);
            try (Background<Void> call = j.start()) {
                j.await(call, () -> "runAll was still running 1 s later. Job 'huge' weighs 5 and there are only 4"
                        + " units, so acquiring its units can never succeed: it waits until the context ends. Check"
                        + " every job's weight before starting any, and refuse one heavier than units.size()");
                fail("runAll returned, but job 'huge' weighs 5 and there are only 4 units: it could never run"
                        + " (acquire would wait for it forever). Refuse it with IllegalArgumentException");
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as("the message must name the job and say why it is refused,"
                        + " as in \"job 'huge' weighs 5, more than the 4 units there are\"").contains("huge")
                        .contains("5").contains("4");
                assertThat(j.runs.get("light").times.get()).as("job 'light' ran, but a job list that can never"
                        + " finish must be refused before any job starts: check every weight first").isZero();
            }
        }
    }

    @Test
    @Order(7)
    @DisplayName("a job that throws an unchecked exception gives its units back, the jobs after it still run, and"
            + " runAll throws IllegalStateException naming it")
    void uncheckedFailureGivesTheUnitsBack() throws Exception {
        try (Jobs j = new Jobs(2)) {
            ArithmeticException bug = new ArithmeticException("/ by zero");
            j.job("fails", 2, true).throwsWhenDone = bug;
            j.job("after", 2, true);

            j.checkFailureIsReported(bug, () -> j.finish("fails"));
        }
    }

    @Test
    @Order(8)
    @DisplayName("a job interrupted while it runs, which lets the checked InterruptedException out, gives its units"
            + " back, the jobs after it still run, and runAll throws IllegalStateException naming it")
    void checkedFailureGivesTheUnitsBack() throws Exception {
        try (Jobs j = new Jobs(2)) {
            Run fails = j.job("fails", 2, true);
            fails.letsInterruptOut = true;
            j.job("after", 2, true);

            j.checkFailureIsReported(null, () -> {
                fails.thread.interrupt(); // the job's wait throws InterruptedException, and the job lets it out
                Await.until("job 'fails' to end once interrupted", () -> fails.finished != 0);
            });
            assertThat(fails.thrown).as("the test's own job must have ended with InterruptedException")
                    .isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    @Order(9)
    @DisplayName("when the context ends while runAll waits for units, it starts no more jobs, waits for those"
            + " running, and throws the context's error")
    void contextEndsTheWait() throws Exception {
        try (Jobs j = new Jobs(2)) {
            j.job("a", 2, true);
            j.job("b", 1, false);
            j.job("c", 1, false);
            try (Background<Void> call = j.start()) {
                Eventually.until(() -> (j.running("a") && j.units.waiting() >= 1) || call.isDone(), () -> "job"
                        + " 'a' to run and runAll to wait for the units of job 'b' (units held: " + j.units.held()
                        + " of 2, waiting for units: " + j.units.waiting() + "). Take each job's units from the"
                        + " semaphore runAll is given, units.acquire(ctx, weight), before you start the job");
                j.failIfReturned(call, "job 'a' was still running, and jobs 'b' and 'c' had not started");

                j.ctx.cancel();

                Eventually.until(() -> call.isDone() || (j.units.waiting() == 0 && isBlocked(call.thread())),
                        () -> "runAll to stop waiting for units once its context was cancelled (waiting for"
                        + " units: " + j.units.waiting() + "). Acquire with the context runAll is given:"
                        + " units.acquire(ctx, weight)");
                j.failIfReturned(call, "its context had been cancelled while job 'a' was still running: it must"
                        + " still wait for the jobs it started");
                j.checkNothingGivenBack("a", "the wait for job 'b''s units had been cancelled");
                j.finish("a");
                try {
                    j.await(call);
                    fail("runAll returned normally, but its context was cancelled before jobs 'b' and 'c' could"
                            + " start: it must throw the context's error");
                } catch (ContextCanceledException expected) {
                    // the rule holds: the context's error, after the running job had finished
                }
            }
            assertThat(j.runs.get("b").times.get() + j.runs.get("c").times.get()).as("jobs 'b' and 'c' must not"
                    + " start once the context has ended").isZero();
            assertThat(j.finishedWhenRunAllReturned).as("runAll must wait for job 'a' before it throws")
                    .isEqualTo(1);
            j.checkUnitsAllBack();
        }
    }

    @Test
    @Order(10)
    @DisplayName("when runAll's thread is interrupted while it waits for units, it starts no more jobs, waits for"
            + " those running, and throws InterruptedException")
    void interruptEndsTheWait() throws Exception {
        try (Jobs j = new Jobs(2)) {
            j.job("a", 2, true);
            j.job("b", 1, false);
            j.job("c", 1, false);
            try (Background<Void> call = j.start()) {
                Eventually.until(() -> (j.running("a") && j.units.waiting() >= 1) || call.isDone(), () -> "job"
                        + " 'a' to run and runAll to wait for the units of job 'b' (units held: " + j.units.held()
                        + " of 2, waiting for units: " + j.units.waiting() + ")");
                j.failIfReturned(call, "job 'a' was still running, and jobs 'b' and 'c' had not started");

                call.thread().interrupt();

                Eventually.until(() -> call.isDone() || (j.units.waiting() == 0 && isBlocked(call.thread())),
                        () -> "runAll to stop waiting for units once its thread was interrupted (waiting for"
                        + " units: " + j.units.waiting() + "). units.acquire throws InterruptedException: let it"
                        + " out, do not catch it and go on");
                if (!call.isDone()) {
                    j.checkNothingGivenBack("a", "runAll's wait for job 'b''s units had been interrupted");
                }
                j.finish("a");
                try {
                    j.await(call);
                    fail("runAll returned normally, but its thread was interrupted while it waited for the units of"
                            + " job 'b': it must throw InterruptedException (units.acquire does; do not catch it)");
                } catch (InterruptedException expected) {
                    // the rule holds: the interrupt reaches the caller
                }
            }
            assertThat(j.runs.get("b").times.get() + j.runs.get("c").times.get()).as("jobs 'b' and 'c' must not"
                    + " start once runAll's thread has been interrupted").isZero();
            assertThat(j.finishedWhenRunAllReturned).as("runAll must wait for job 'a' before it throws")
                    .isEqualTo(1);
            j.checkUnitsAllBack();
        }
    }

    @Test
    @Order(11)
    @DisplayName("with a context that has already ended, runAll starts nothing and throws the context's error")
    void contextAlreadyEnded() throws Exception {
        try (Jobs j = new Jobs(4)) {
            j.job("a", 1, false);
            j.ctx.cancel();
            try (Background<Void> call = j.start()) {
                j.await(call);
                fail("runAll returned normally, but its context had been cancelled before it was called: it must"
                        + " throw the context's error (units.acquire(ctx, weight) does)");
            } catch (ContextCanceledException expected) {
                assertThat(j.runs.get("a").times.get()).as("job 'a' must not run with a context that has ended")
                        .isZero();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Throws {@code t} as it is, checked or not, from code that does not declare it (a Runnable). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private static boolean isBlocked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** One job as the test saw it run. Times are positions on the jobs' shared sequence; 0 means "not yet". */
    static final class Run {
        final String name;
        final long weight;
        final boolean waitsToBeTold;
        final Channel<Void> go = Channel.unbuffered(); // closed by Jobs.finish
        final AtomicInteger times = new AtomicInteger();
        volatile long started;
        volatile long finished;
        volatile boolean told;
        volatile Thread thread;
        /** Thrown by the job once the test lets it finish; null for a job that returns normally. */
        volatile Throwable throwsWhenDone;
        /** Whether an interrupt while it waits ends the job with InterruptedException, rather than normally. */
        volatile boolean letsInterruptOut;
        /** What the job ended with, if it threw. */
        volatile Throwable thrown;

        Run(String name, long weight, boolean waitsToBeTold) {
            this.name = name;
            this.weight = weight;
            this.waitsToBeTold = waitsToBeTold;
        }
    }

    /**
     * The jobs, the semaphore and the context handed to runAll, and clean-up: on close it lets every job finish and
     * interrupts and joins any still running, so a test never leaves a thread behind, whatever runAll did.
     */
    static final class Jobs implements AutoCloseable {
        final Semaphore units;
        final CancellableContext ctx = Context.withCancel(Context.background());
        final Map<String, Run> runs = new LinkedHashMap<>();
        final AtomicLong sequence = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong mostInFlight = new AtomicLong();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        /** The jobs running, in the order they started. Guarded by itself. */
        final List<Run> running = new ArrayList<>();
        volatile int finishedWhenRunAllReturned = -1;

        /** How many looks, at least {@link #LOOK_APART_NANOS} apart, {@link #pollsForUnits} takes to judge. */
        static final int IDLE_LOOKS = 25;
        static final long LOOK_APART_NANOS = Duration.ofMillis(20).toNanos();
        // The watch of pollsForUnits: touched by the test's thread only.
        private long lastLook;
        private List<Long> lastMark;
        private int idleLooks;
        private String polled;

        Jobs(long size) {
            units = new Semaphore(size);
        }

        /** The seed of a randomized run, named in its failures; 0 if the run is not randomized. */
        volatile long seed;

        /** Adds a job; one that waits to be told runs until {@link #finish}. */
        Run job(String name, long weight, boolean waitsToBeTold) {
            Run r = new Run(name, weight, waitsToBeTold);
            runs.put(name, r);
            return r;
        }

        private Job asJob(Run r) {
            return new Job(r.name, r.weight, () -> {
                r.thread = Thread.currentThread();
                r.times.incrementAndGet();
                r.started = sequence.incrementAndGet();
                mostInFlight.accumulateAndGet(inFlight.addAndGet(r.weight), Math::max);
                synchronized (running) {
                    running.add(r);
                }
                started.incrementAndGet();
                try {
                    if (r.waitsToBeTold) {
                        r.go.receiveOrClosed(); // returns when the test closes go
                    }
                    if (r.throwsWhenDone != null) {
                        r.thrown = r.throwsWhenDone;
                        throw sneaky(r.throwsWhenDone);
                    }
                } catch (InterruptedException e) {
                    if (r.letsInterruptOut) {
                        r.thrown = e;
                        throw sneaky(e); // as a job written with a sneaky throw (or in Kotlin) would
                    }
                    Thread.currentThread().interrupt(); // the test is cleaning up: end the job, keep the flag
                } finally {
                    synchronized (running) {
                        running.remove(r);
                    }
                    inFlight.addAndGet(-r.weight);
                    finished.incrementAndGet(); // before r.finished, which finish() waits for: it then counts
                    r.finished = sequence.incrementAndGet();
                }
            });
        }

        /** Starts runAll in a thread of the test's own; notes how many jobs had finished when it returned. */
        Background<Void> start() {
            List<Job> jobs = runs.values().stream().map(this::asJob).toList();
            return Background.start("calls runAll", () -> {
                try {
                    BoundedJobs.runAll(ctx, units, jobs);
                } finally {
                    finishedWhenRunAllReturned = finished.get();
                }
                return null;
            });
        }

        /** Runs the jobs (none waits to be told) and waits for runAll to return. */
        void runToTheEnd() throws Exception {
            try (Background<Void> call = start()) {
                await(call);
            }
        }

        void await(Background<Void> call) throws Exception {
            await(call, () -> "runAll was still running 1 s after it could have finished (units held: "
                    + units.held() + " of " + units.size() + ", waiting for units: " + units.waiting() + ", jobs"
                    + " finished: " + finished.get() + " of " + runs.size() + "). Does every job give its units"
                    + " back, and does runAll wait for something that will never come?");
        }

        void await(Background<Void> call, Supplier<String> ifStillRunning) throws Exception {
            call.await(ONE_SECOND, ifStillRunning);
        }

        boolean running(String name) {
            synchronized (running) {
                return running.contains(runs.get(name));
            }
        }

        /** Lets job {@code name} finish, and waits until it has. */
        void finish(String name) {
            Run r = runs.get(name);
            if (!r.told) {
                r.told = true;
                r.go.close();
            }
            Await.until("job '" + name + "' to finish", () -> r.finished != 0);
        }

        /**
         * Until every job has finished: waits until runAll has started every job the units allow, checks the
         * bound, and lets the oldest running job finish.
         */
        void driveToTheEnd(Background<Void> call) throws Exception {
            driveToTheEnd(call, null);
        }

        /** {@link #driveToTheEnd(Background)}, letting a running job picked by {@code pick} finish at each step. */
        void driveToTheEnd(Background<Void> call, Random pick) throws Exception {
            while (finished.get() < runs.size()) {
                watchForPolling();
                Eventually.until(() -> call.isDone() || inFlight.get() > units.size() || settled()
                        || pollsForUnits(call), () -> "runAll"
                        + " to start every job the free units allow (units held: " + units.held() + " of "
                        + units.size() + ", waiting for units: " + units.waiting() + ", weight of the jobs"
                        + " running: " + inFlight.get() + ", jobs started: " + started.get() + " of " + runs.size()
                        + "). Take each job's units from the semaphore runAll is given, units.acquire(ctx,"
                        + " weight), then start the job at once in a thread of its own. " + pollingOrStuck(call));
                failIfPolled();
                failIfReturned(call, (runs.size() - finished.get()) + " of its jobs had not finished");
                checkBound();
                Run next;
                synchronized (running) {
                    next = pick == null ? running.getFirst() : running.get(pick.nextInt(running.size()));
                }
                finish(next.name);
            }
        }

        /** Fails if the jobs running weigh more than the semaphore's size, saying which rule that breaks. */
        private void checkBound() {
            long weight = inFlight.get();
            if (weight > units.size()) {
                fail((seed == 0 ? "" : "seed " + seed + ": ") + "jobs weighing " + weight + " units in all were"
                        + " running at once, but the semaphore has only " + units.size() + " (and held "
                        + units.held() + "): a job must hold its weight in units, units.acquire(ctx, job.weight()),"
                        + " from before it starts until it has finished. Release in the job's own thread, in a"
                        + " finally around its work, not in the loop that starts it");
            }
        }

        /**
         * Starts a new watch for {@link #pollsForUnits}, before a wait for runAll to start jobs or to wait for units.
         */
        void watchForPolling() {
            lastLook = 0;
            lastMark = null;
            idleLooks = 0;
            polled = null;
        }

        /**
         * Whether runAll has been seen polling for units instead of waiting for them: over {@value #IDLE_LOOKS}
         * looks at least 20 ms apart (half a second), it had not returned, the semaphore had no waiter, jobs were
         * left to start, and nothing moved (no job started or finished, no unit was taken or given back). A runAll
         * that waits in {@code units.acquire} is the semaphore's waiter within microseconds of finding the units
         * taken; only a loop of tryAcquire (spinning, or sleeping between tries), or a wait on something else,
         * stays so. Judged so, a poller is told in half a second, not after the 5 s an Eventually gives up at (and
         * the jobs are let go at once, so its test ends then too, not a grace second later). A correct runAll could
         * look so only if its thread got no processor for half a second while the test's thread looked 25 times.
         * Called by the test's thread only, in the condition of an Eventually; {@link #failIfPolled} then fails in
         * words.
         */
        boolean pollsForUnits(Background<Void> call) {
            long now = System.nanoTime();
            if (now - lastLook < LOOK_APART_NANOS) {
                return false;
            }
            lastLook = now;
            List<Long> mark = List.of((long) started.get(), (long) finished.get(), units.held());
            boolean idle = !call.isDone() && units.waiting() == 0 && started.get() < runs.size();
            if (!idle || !mark.equals(lastMark)) {
                lastMark = idle ? mark : null;
                idleLooks = 0;
                return false;
            }
            if (++idleLooks < IDLE_LOOKS) {
                return false;
            }
            String why = pollingOrStuck(call);
            if (why.isEmpty()) {
                return false; // it became a waiter, or returned, since the look began
            }
            polled = "for half a second runAll had jobs left to start (jobs started: " + started.get() + " of "
                    + runs.size() + ", units held: " + units.held() + " of " + units.size() + "), and neither"
                    + " started one nor returned. " + why;
            return true;
        }

        /**
         * Fails with what {@link #pollsForUnits} saw, if it saw runAll poll; first lets every job finish and ends
         * the context, so that runAll, which waits for its jobs, ends at once rather than after the test's grace.
         */
        void failIfPolled() {
            String why = polled;
            if (why != null) {
                letEverythingGo();
                fail(why);
            }
        }

        /**
         * Why runAll is not waiting in the semaphore when it should be: its thread polls, or waits on something
         * else. Empty if it is waiting there, or has returned.
         */
        String pollingOrStuck(Background<Void> call) {
            Thread.State state = call.thread().getState();
            if (call.isDone() || units.waiting() > 0 || started.get() == runs.size()) {
                return "";
            }
            return "The semaphore has no waiter, but runAll had not started every job, and its thread was " + state
                    + (isBlocked(call.thread()) ? " (parked, but not in the semaphore)" : " (running: spinning)")
                    + ": it polls instead of waiting in units.acquire(ctx, weight). A loop of tryAcquire, with or"
                    + " without a sleep, burns a processor and can be overtaken; acquire parks the thread and is"
                    + " woken, in its turn, when the units are free";
        }

        /**
         * Runs the failure scenario of jobs 'fails' (2 units, made to throw by {@code ending}) and 'after' (2 units)
         * on a semaphore of 2: the units of 'fails' must come back, 'after' must still run, and runAll must throw IllegalStateException naming 'fails', with what it threw as
         * the cause ({@code thrown}, or if null, whatever 'fails' ended with).
         */
        void checkFailureIsReported(Throwable thrown, Runnable ending) throws Exception {
            Run fails = runs.get("fails");
            Run after = runs.get("after");
            try (Background<Void> call = start()) {
                Eventually.until(() -> (running("fails") && units.waiting() >= 1) || call.isDone(), () -> "job"
                        + " 'fails' to run and runAll to wait for the units of job 'after' (units held: "
                        + units.held() + " of 2, waiting for units: " + units.waiting() + ")");
                failIfReturned(call, "job 'fails' was still running, and job 'after' had not started");

                ending.run();

                Supplier<String> lost = () -> "job 'fails' threw " + fails.thrown + " and ended, but its 2 units"
                        + " never came back (units held: " + units.held() + " of 2, waiting for units: "
                        + units.waiting() + "), so job 'after' waits for them for ever. A job that throws must"
                        + " still give its units back, or the semaphore shrinks for good: give the units back in a"
                        + " finally, units.release(weight), however the job ends (a catch of RuntimeException"
                        + " misses checked exceptions and errors)";
                // The job's thread ending is a settled state: if its units are still held then, they are lost (no
                // other job is running, and 'after' is the last one, so no other acquire can hold them).
                Eventually.until(() -> call.isDone() || after.started != 0 || (fails.thread != null
                        && !fails.thread.isAlive() && units.held() >= 2 && units.waiting() >= 1), lost);
                if (after.started == 0 && !call.isDone()) {
                    fail(lost.get());
                }
                failIfReturned(call, "job 'after' had not finished");

                finish("after");
                Throwable cause = thrown != null ? thrown : fails.thrown;
                try {
                    await(call);
                    fail("runAll returned normally, but job 'fails' threw " + cause + ": a job's failure must"
                            + " reach the caller. Once every job has finished, throw IllegalStateException naming"
                            + " the job, with what it threw as its cause (a submitted job's Future holds it)");
                } catch (UnsupportedOperationException todo) {
                    throw todo;
                } catch (Exception e) {
                    if (!(e instanceof IllegalStateException) || e.getMessage() == null
                            || !e.getMessage().contains("fails") || e.getCause() != cause) {
                        fail("runAll threw " + e + " (caused by " + e.getCause() + "), but when job 'fails' throws"
                                + " " + cause + ", a job's failure must reach the caller as IllegalStateException"
                                + " naming the job, with what it threw as its cause", e);
                    }
                }
            }
            for (String name : List.of("fails", "after")) {
                assertThat(runs.get(name).times.get()).as("job '%s' must run exactly once, though job 'fails'"
                        + " threw", name).isEqualTo(1);
            }
            assertThat(finishedWhenRunAllReturned).as("runAll must wait for every job before it throws")
                    .isEqualTo(2);
            checkUnitsAllBack();
        }

        /**
         * While job {@code name} still runs, after a failed acquire: the semaphore must still hold at least the
         * units of the jobs running. A failed acquire has taken nothing, so nothing may be given back for it.
         */
        void checkNothingGivenBack(String name, String when) {
            long held = units.held();
            long weight = inFlight.get();
            assertThat(held).as("job '%s' was still running and held %d units, but once %s the semaphore held only"
                    + " %d: units were given back that were never taken. When acquire throws it has taken nothing:"
                    + " call it before the try whose finally releases, never inside it", name, weight, when, held)
                    .isGreaterThanOrEqualTo(weight);
        }

        /** Every unit has come back: none is held, and a job of the semaphore's whole size still gets in. */
        void checkUnitsAllBack() throws Exception {
            assertThat(units.held()).as("every unit taken must come back, however the jobs and runAll ended:"
                    + " release in a finally, exactly the weight acquired").isZero();
            AtomicInteger ran = new AtomicInteger();
            Background.within(ONE_SECOND, "calls runAll again", () -> {
                BoundedJobs.runAll(Context.background(), units, List.of(new Job("whole", units.size(),
                        ran::incrementAndGet)));
                return null;
            }, () -> "a later runAll with a job of weight " + units.size() + " did not finish within 1 s on the same"
                    + " semaphore (units held: " + units.held() + "): units were lost");
            assertThat(ran.get()).as("a later job that needs every unit must still get in").isEqualTo(1);
        }

        /**
         * runAll has started every job it can for now: the units held are exactly those of the jobs running (none
         * is between its acquire and its start, or its end and its release), and runAll is either waiting for the
         * next job's units or has started them all.
         */
        private boolean settled() {
            synchronized (running) {
                return !running.isEmpty() && units.held() == inFlight.get()
                        && (units.waiting() > 0 || started.get() == runs.size());
            }
        }

        /** Fails if runAll has ended already, saying how; a TODO in the stub is rethrown as it is. */
        void failIfReturned(Background<Void> call, String when) throws Exception {
            if (call.isDone()) {
                try {
                    call.await(ONE_SECOND, () -> "unreachable: the call is done");
                } catch (UnsupportedOperationException todo) {
                    throw todo;
                } catch (Exception e) {
                    fail("runAll threw " + e + " too early: " + when, e);
                }
                fail("runAll returned too early: " + when);
            }
        }

        /** Ends the context and lets every job finish: whatever runAll waits for comes. */
        void letEverythingGo() {
            ctx.cancel();
            for (Run r : runs.values()) {
                if (!r.told) {
                    r.told = true;
                    r.go.close();
                }
            }
        }

        @Override
        public void close() {
            letEverythingGo();
            try {
                for (Run r : runs.values()) {
                    Thread t = r.thread;
                    if (t != null) {
                        t.interrupt();
                        t.join(ONE_SECOND);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the test itself is being stopped: keep the flag
            }
        }
    }
}
