package dev.gopatterns.exercises.pool_shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `pool_shutdown`: what {@link Pool}'s two shutdowns must do, checked with jobs the test holds ({@link JobLog}): a held
 * job waits until the test releases it or its context ends. What a shutdown returned, and which jobs had started
 * and ended at that moment, are captured in the thread that called it.
 *
 * <p>How to run: {@code ./learn check pool_shutdown}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `pool_shutdown`: shut a pool down, gracefully or at once, and lose no job")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoolTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final List<String> SIX = List.of("a", "b", "c", "d", "e", "f");

    /** What a shutdown returned, and the jobs started and finished when it did. */
    record At(List<String> returned, List<String> started, List<String> finished) {}

    @Test
    @Order(1)
    @DisplayName("graceful shutdown runs every queued job, and returns once the last has ended")
    void gracefulRunsEveryQueuedJob() throws Exception {
        try (JobLog log = new JobLog(); CancellableContext parent = Context.withCancel(Context.background())) {
            SIX.forEach(log::hold);
            Pool<String> pool = new Pool<>(parent, 2, 10, log::run);
            submitAll(pool, SIX);
            log.awaitRunning(2, "2 workers, 6 jobs queued");

            try (Background<At> call = Background.start("calls shutdown", () -> at(pool.shutdown(), log))) {
                while (!call.isDone() && log.finished().size() < SIX.size()) {
                    Eventually.until(() -> !log.running().isEmpty() || call.isDone(), () -> "a queued job to start"
                            + " after the one before it ended (started so far: " + log.started() + "): a graceful"
                            + " shutdown lets the workers run every queued job");
                    if (!call.isDone()) {
                        String oldest = log.running().getFirst();
                        log.release(oldest);
                        log.awaitFinished(oldest, "it was released");
                    }
                }
                At at = call.await(ONE_SECOND, () -> "shutdown was still running 1 s after the last job had ended:"
                        + " close the queue (so the workers' loop ends), then wait for the workers");

                assertThat(at.returned()).as("graceful shutdown handed back %s instead of running them: graceful"
                        + " shutdown drains every queued job (close the queue and let the workers finish it; do"
                        + " not cancel the pool's context)", at.returned()).isEmpty();
                assertThat(at.finished()).as("shutdown returned while jobs %s had not finished: it returns only"
                        + " once every worker has ended (wg.await()), so no worker is left running",
                        minus(SIX, at.finished())).containsExactlyInAnyOrderElementsOf(SIX);
                for (String job : SIX) {
                    assertThat(log.end(job).orElseThrow().contextError()).as("job '%s' saw its context end during a"
                            + " graceful shutdown: graceful shutdown drains every queued job, and cancels nothing",
                            job).isEmpty();
                }
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("shutdownNow cancels the running jobs, starts no other, and hands back every queued job")
    void shutdownNowHandsBackTheQueue() throws Exception {
        try (JobLog log = new JobLog(); CancellableContext parent = Context.withCancel(Context.background())) {
            SIX.forEach(log::hold); // held jobs wait until released or until their context ends...
            SIX.forEach(log::holdCleanup); // ...and then take until the test says to stop
            Pool<String> pool = new Pool<>(parent, 2, 10, log::run);
            submitAll(pool, SIX);
            log.awaitRunning(2, "2 workers, 6 jobs queued");
            List<String> running = log.running();

            At at;
            try (Background<At> call = Background.start("calls shutdownNow", () -> at(pool.shutdownNow(), log))) {
                Eventually.until(() -> log.cleaning().containsAll(running) || call.isDone(), () -> "jobs " + running
                        + " to see their context end after shutdownNow (" + log.cleaning() + " had): it must cancel"
                        + " the pool's context, which every job is given, so that running jobs stop");
                if (!call.isDone()) {
                    // The jobs are stopping, and will not end until released: shutdownNow must be waiting for them.
                    Eventually.until(() -> call.isDone() || isWaiting(call.thread()),
                            () -> "shutdownNow to wait for the workers, or return");
                }
                if (call.isDone()) {
                    At early = call.await(ONE_SECOND, () -> "unreachable: the call is done");
                    fail("shutdownNow returned (handing back " + early.returned() + ") while jobs " + running
                            + " were still stopping: no worker left running when shutdown returns; wait for every"
                            + " worker (wg.await()) before returning");
                }
                running.forEach(log::releaseCleanup);
                at = call.await(ONE_SECOND, () -> "shutdownNow did not return within 1 s after jobs " + running
                        + " had stopped: it must cancel the pool's context (which every job is given) so that"
                        + " running jobs stop, then wait for the workers");
            }

            assertThat(at.finished()).as("shutdownNow returned while jobs %s were still running: no worker left"
                    + " running when shutdown returns; wait for every worker (wg.await())",
                    minus(at.started(), at.finished())).containsExactlyInAnyOrderElementsOf(at.started());
            for (String job : running) {
                assertThat(log.end(job).orElseThrow().contextError()).as("job '%s' was running at shutdownNow and"
                        + " ended, but its context had not: run every job with the pool's context, and cancel it",
                        job).isPresent();
            }
            List<String> accounted = new ArrayList<>(at.started());
            accounted.addAll(at.returned());
            assertThat(accounted).as("no job lost: every submitted job has either run or been handed back by"
                    + " shutdownNow; jobs %s were neither (started: %s, handed back: %s). Take what is left in the"
                    + " queue after the workers have ended, and return it", minus(SIX, accounted), at.started(),
                    at.returned()).containsExactlyInAnyOrderElementsOf(SIX);
            assertThat(at.started()).as("jobs %s started after shutdownNow: once the pool's context has ended no"
                    + " worker may start another job, not even one it received in that same instant (hand that one"
                    + " back)", minus(at.started(), running)).containsExactlyInAnyOrderElementsOf(running);
        }
    }

    @Test
    @Order(3)
    @DisplayName("when the caller's context ends, the pool stops as with shutdownNow")
    void callersContextStopsThePool() throws Exception {
        try (JobLog log = new JobLog(); CancellableContext parent = Context.withCancel(Context.background())) {
            List<String> jobs = List.of("a", "b", "c", "d");
            jobs.forEach(log::hold);
            Pool<String> pool = new Pool<>(parent, 2, 10, log::run);
            submitAll(pool, jobs);
            log.awaitRunning(2, "2 workers, 4 jobs queued");
            List<String> running = log.running();

            parent.cancel();

            Eventually.until(() -> running.stream().allMatch(j -> log.end(j).isPresent()), () -> "the caller's"
                    + " context was cancelled, but jobs " + minus(running, log.finished()) + " never saw their"
                    + " context end: derive the pool's context from the one it was given (Context.withCancel(parent))"
                    + " and run every job with it");
            At at = Background.within(ONE_SECOND, "calls shutdown", () -> at(pool.shutdown(), log),
                    () -> "shutdown did not return within 1 s of the caller's context ending");
            List<String> accounted = new ArrayList<>(at.started());
            accounted.addAll(at.returned());
            assertThat(accounted).as("no job lost: after the caller's context ended, every job has either run or"
                    + " is handed back by shutdown; jobs %s were neither", minus(jobs, accounted))
                    .containsExactlyInAnyOrderElementsOf(jobs);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a job submitted after shutdown is refused with ChannelClosedException")
    void submitAfterShutdown() throws Exception {
        try (JobLog log = new JobLog()) {
            Pool<String> pool = new Pool<>(Context.background(), 1, 1, log::run);
            Background.within(ONE_SECOND, "calls shutdown", pool::shutdown, () -> "shutdown of an idle pool did"
                    + " not return within 1 s: close the queue, so the workers' loop ends");
            try {
                pool.submit("late");
                fail("submit after shutdown returned: the queue must be closed by shutdown, so a late job is refused"
                        + " (\"send on closed channel\") instead of waiting forever or being lost");
            } catch (ChannelClosedException expected) {
                assertThat(log.started()).as("a refused job does not run").isEmpty();
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("a job that throws does not stop its worker")
    void failingJobDoesNotStopTheWorker() throws Exception {
        try (JobLog log = new JobLog()) {
            log.fail("bad");
            Pool<String> pool = new Pool<>(Context.background(), 1, 10, log::run);
            submitAll(pool, List.of("bad", "good"));
            List<String> notRun = Background.within(ONE_SECOND, "calls shutdown", pool::shutdown,
                    () -> "shutdown did not return within 1 s");
            assertThat(log.started()).as("with 1 worker, job 'bad' threw; the job after it must still run: a job's"
                    + " exception must not kill its worker (catch it per job)").containsExactly("bad", "good");
            assertThat(notRun).isEmpty();
        }
    }

    @Test
    @Order(6)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() {
        try {
            new Pool<String>(Context.background(), 0, 1, (ctx, job) -> { });
            fail("new Pool(ctx, 0, ...) returned: with no worker no job would ever run; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean isWaiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    private static void submitAll(Pool<String> pool, List<String> jobs) throws Exception {
        Background.within(ONE_SECOND, "calls submit", () -> {
            for (String job : jobs) {
                pool.submit(job);
            }
            return null;
        }, () -> "submitting " + jobs.size() + " jobs to a queue of 10 did not return within 1 s");
    }

    private static At at(List<String> returned, JobLog log) {
        return new At(List.copyOf(returned), log.started(), log.finished());
    }

    private static List<String> minus(List<String> all, List<String> some) {
        return all.stream().filter(j -> !some.contains(j)).toList();
    }
}
