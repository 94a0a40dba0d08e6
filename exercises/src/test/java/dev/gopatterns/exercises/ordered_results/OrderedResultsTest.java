package dev.gopatterns.exercises.ordered_results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.exercises.ordered_results.OrderedResults.Result;
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
 * Exercise `ordered_results`: what {@link OrderedResults#runAll} must do, checked with jobs the test holds, releases and makes
 * fail ({@link JobLog}). A job returns its name in upper case, or throws {@link JobLog.JobFailed}.
 *
 * <p>How to run: {@code ./learn check ordered_results}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `ordered_results`: results in submission order, with per-job errors")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderedResultsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("the results come back in the order of the jobs, not the order they finish")
    void submissionOrder() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d");
            jobs.forEach(log::hold);
            try (Background<List<Result<String>>> call = start(4, jobs, log)) {
                awaitRunning(log, 4, call, "4 workers, 4 jobs: all run at once");
                for (String job : jobs.reversed()) { // they finish d, c, b, a
                    log.release(job);
                    log.awaitFinished(job, "it was released");
                }
                List<Result<String>> got = await(call);

                assertThat(values(got)).as("the jobs finished d, c, b, a; results must come back in submission"
                        + " order: result i is job i's, whatever order they finish in (a job's index is its slot)")
                        .containsExactly("A", "B", "C", "D");
            }
        }
    }

    @Test
    @Order(2)
    @DisplayName("a job that throws gives a Failed result in its own slot; the other jobs still run")
    void failureInItsSlot() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e");
            log.fail("b", "d");
            List<Result<String>> got = Background.within(ONE_SECOND, "calls runAll",
                    () -> OrderedResults.runAll(2, jobs, log::run), () -> "runAll did not return within 1 s, with"
                            + " 5 instant jobs of which 2 throw: a failing job must not stop the others, nor the"
                            + " wait for them");

            assertThat(log.started()).as("jobs 'b' and 'd' threw; a failing job must not stop the others: every"
                    + " job still runs (catch each job's exception and keep going)").containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(got).as("one result per job, in order").hasSize(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                String job = jobs.get(i);
                Result<String> r = got.get(i);
                if (job.equals("b") || job.equals("d")) {
                    assertThat(r).as("job '%s' threw, so result %d must be a Failed holding what it threw, but was"
                            + " %s", job, i, r).isInstanceOf(Result.Failed.class);
                    assertThat(((Result.Failed<String>) r).error()).as("result %d holds job '%s''s own"
                            + " exception", i, job).isInstanceOf(JobLog.JobFailed.class).hasMessageContaining(
                            "'" + job + "'");
                } else {
                    assertThat(r).as("job '%s' returned, so result %d must be Ok(%s): a failing job must not stop"
                            + " the others", job, i, job.toUpperCase()).isEqualTo(new Result.Ok<>(job.toUpperCase()));
                }
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("a job that throws does not kill its worker: the next job runs on the same worker")
    void workerSurvivesAFailure() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("bad", "x", "y");
            log.fail("bad");
            List<Result<String>> got;
            try {
                got = Background.within(ONE_SECOND, "calls runAll", () -> OrderedResults.runAll(1, jobs, log::run),
                        () -> "runAll did not return within 1 s");
            } catch (RuntimeException e) {
                throw new AssertionError("runAll threw " + e + " with 1 worker whose first job threw: a job's"
                        + " exception killed its worker; catch it per job and put a Failed in its slot", e);
            }
            assertThat(log.started()).as("with 1 worker, job 'bad' threw and the jobs after it never ran: a job's"
                    + " exception killed its worker; catch it per job, put a Failed in its slot, and go on")
                    .containsExactly("bad", "x", "y");
            assertThat(log.thread("x")).as("job 'x' ran on another thread than job 'bad': a job's exception killed"
                    + " its worker, and something started a new one; the worker must survive it")
                    .isSameAs(log.thread("bad"));
            assertThat(values(got.subList(1, 3))).containsExactly("X", "Y");
        }
    }

    @Test
    @Order(4)
    @DisplayName("at most `workers` jobs run at once, and that many do")
    void boundedWorkers() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e");
            jobs.forEach(log::hold);
            try (Background<List<Result<String>>> call = start(2, jobs, log)) {
                for (int done = 0; done < jobs.size(); done++) {
                    int due = Math.min(2, jobs.size() - done);
                    awaitRunning(log, due, call, "2 workers and " + (jobs.size() - done) + " jobs to go");
                    assertThat(log.active.get()).as("at most 2 jobs may run at once with 2 workers, but %d did:"
                            + " bound the workers (start `workers` of them, each taking jobs from one channel), do"
                            + " not start a thread per job", log.active.get()).isLessThanOrEqualTo(2);
                    String oldest = log.running().getFirst();
                    log.release(oldest);
                    log.awaitFinished(oldest, "it was released");
                }
                assertThat(values(await(call))).containsExactly("A", "B", "C", "D", "E");
                assertThat(log.maxActive.get()).as("at most 2 jobs may run at once with 2 workers, but %d did at one"
                        + " moment: bound the workers, do not start a thread per job", log.maxActive.get())
                        .isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    @Order(5)
    @DisplayName("runAll returns only once every job has ended")
    void waitsForEveryJob() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c");
            log.hold("c");
            try (Background<List<String>> call = Background.start("calls runAll", () -> {
                OrderedResults.runAll(3, jobs, log::run);
                return log.finished();
            })) {
                awaitRunning(log, 1, call, "job 'c' to start");
                log.awaitFinished("a", "it is instant");
                log.awaitFinished("b", "it is instant");
                log.release("c");
                List<String> finishedAtReturn = call.await(ONE_SECOND, () -> "runAll did not return within 1 s of"
                        + " its last job ending");
                assertThat(finishedAtReturn).as("runAll returned before job 'c' had ended: wait for every worker"
                        + " (wg.await()) before reading the results").contains("c");
            }
        }
    }

    @Test
    @Order(6)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() throws Exception {
        try {
            OrderedResults.runAll(0, List.of("a"), String::toUpperCase);
            fail("runAll(0, ...) returned: with no worker no job would ever run; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Background<List<Result<String>>> start(int workers, List<String> jobs, JobLog log) {
        return Background.start("calls runAll", () -> OrderedResults.runAll(workers, jobs, log::run));
    }

    private static void awaitRunning(JobLog log, int count, Background<?> call, String why) throws Exception {
        dev.gopatterns.exercises.Eventually.until(() -> log.active.get() >= count || call.isDone(),
                () -> count + " jobs to be running at once (" + log.active.get() + " were): " + why);
        if (call.isDone()) {
            Object got = call.await(ONE_SECOND, () -> "unreachable: the call is done");
            fail("runAll returned " + got + " while " + count + " jobs should still have been running: " + why);
        }
    }

    private static List<Result<String>> await(Background<List<Result<String>>> call) throws Exception {
        return call.await(ONE_SECOND, () -> "runAll was still running 1 s after its last job had ended");
    }

    /** The values of Ok results; fails naming a result that is not Ok. */
    private static List<String> values(List<Result<String>> results) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Result<String> r = results.get(i);
            if (!(r instanceof Result.Ok<String>(String v))) {
                throw new AssertionError("result " + i + " is " + r + ", but its job returned normally: Ok(value)");
            }
            values.add(v);
        }
        return values;
    }
}
