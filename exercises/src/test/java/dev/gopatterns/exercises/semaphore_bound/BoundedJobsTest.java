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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    @Order(4)
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
    @Order(5)
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
            assertThat(j.units.held()).as("every unit taken must come back").isZero();
        }
    }

    @Test
    @Order(6)
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

        Jobs(long size) {
            units = new Semaphore(size);
        }

        /** Adds a job; one that waits to be told runs until {@link #finish}. */
        void job(String name, long weight, boolean waitsToBeTold) {
            runs.put(name, new Run(name, weight, waitsToBeTold));
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
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the test is cleaning up: end the job, keep the flag
                } finally {
                    synchronized (running) {
                        running.remove(r);
                    }
                    inFlight.addAndGet(-r.weight);
                    r.finished = sequence.incrementAndGet();
                    finished.incrementAndGet();
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
            while (finished.get() < runs.size()) {
                Eventually.until(() -> call.isDone() || inFlight.get() > units.size() || settled(), () -> "runAll"
                        + " to start every job the free units allow (units held: " + units.held() + " of "
                        + units.size() + ", waiting for units: " + units.waiting() + ", weight of the jobs"
                        + " running: " + inFlight.get() + ", jobs started: " + started.get() + " of " + runs.size()
                        + "). Take each job's units from the semaphore runAll is given, units.acquire(ctx,"
                        + " weight), then start the job at once in a thread of its own");
                failIfReturned(call, (runs.size() - finished.get()) + " of its jobs had not finished");
                long weight = inFlight.get();
                assertThat(weight).as("jobs weighing %d units in all were running at once, but the semaphore has"
                        + " only %d: every job must acquire its weight in units before it starts", weight,
                        units.size()).isLessThanOrEqualTo(units.size());
                Run oldest;
                synchronized (running) {
                    oldest = running.getFirst();
                }
                finish(oldest.name);
            }
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

        @Override
        public void close() {
            ctx.cancel();
            for (Run r : runs.values()) {
                if (!r.told) {
                    r.told = true;
                    r.go.close();
                }
            }
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
