package dev.gopatterns.exercises.find_the_bug_pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `find_the_bug_pool`: the rules {@link BatchPool#runAll} must follow. As shipped it breaks some of them; these tests say
 * which, in plain words. Jobs are played by {@link JobLog}: they write down the thread they ran in, and wait while
 * the test holds them.
 *
 * <p>How to run: {@code ./learn check find_the_bug_pool}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `find_the_bug_pool`: find the bugs in a worker pool")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchPoolTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    @Order(1)
    @DisplayName("every job's result comes back, exactly once")
    void everyResult() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e", "f", "g", "h");
            List<String> got = runAll(3, jobs, log);
            assertThat(got).as("every job's result, exactly once, in any order; %d of %d came back. If some are"
                    + " missing: the results channel was closed while jobs were still running; it may be closed only"
                    + " once every worker has ended", got.size(), jobs.size())
                    .containsExactlyInAnyOrder("A", "B", "C", "D", "E", "F", "G", "H");
        }
    }

    @Test
    @Order(2)
    @DisplayName("when runAll returns, every worker has ended")
    void workersEnd() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d");
            runAll(2, jobs, log);
            for (String job : jobs) {
                assertThat(log.threadEnds(job, ONE_SECOND)).as("the worker that ran job '%s' was still running 1 s"
                        + " after runAll returned, with no job left to do: a pool that leaks workers. Every worker"
                        + " must end when the jobs run out, and runAll must not return before", job).isTrue();
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("a job that finishes early does not cut the others short")
    void earlyFinishDoesNotCutOthersShort() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c");
            jobs.forEach(log::hold);
            try (Background<List<String>> call = Background.start("calls runAll",
                    () -> BatchPool.runAll(3, jobs, log::runUnchecked))) {
                log.awaitRunning(3, "3 workers, 3 jobs: each worker takes one");
                log.release("a");
                boolean ended = log.threadEnds("a", ONE_SECOND); // the worker that ran 'a' has no job left
                log.release("b");
                log.release("c");
                List<String> got;
                try {
                    got = call.await(ONE_SECOND, () -> "runAll did not return within 1 s of its last job ending");
                } catch (RuntimeException e) {
                    throw new AssertionError("runAll threw " + e + " after job 'a' finished first while 'b' and 'c'"
                            + " were still running (the worker of 'a' had " + (ended ? "" : "not ") + "ended): the"
                            + " results channel was closed while jobs were still running; it may be closed only"
                            + " once every worker has ended", e);
                }
                assertThat(got).as("job 'a' finished first, while 'b' and 'c' were still running; their results"
                        + " must come back too: the results channel was closed while jobs were still running; it"
                        + " may be closed only once every worker has ended").containsExactlyInAnyOrder("A", "B", "C");
            }
        }
    }

    @Test
    @Order(4)
    @DisplayName("at most `workers` jobs run at once")
    void boundedWorkers() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e");
            runAll(2, jobs, log);
            assertThat(log.maxActive.get()).as("at most 2 jobs at once with 2 workers").isLessThanOrEqualTo(2);
            assertThat(log.started()).as("each job exactly once").containsExactlyInAnyOrderElementsOf(jobs);
        }
    }

    @Test
    @Order(5)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() throws Exception {
        try {
            BatchPool.runAll(0, List.of("a"), String::toUpperCase);
            fail("runAll(0, ...) returned: with no worker no job would ever run; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    private static List<String> runAll(int workers, List<String> jobs, JobLog log) throws Exception {
        try {
            return Background.within(ONE_SECOND, "calls runAll", () -> BatchPool.runAll(workers, jobs, log::runUnchecked),
                    () -> "runAll did not return within 1 s, with " + jobs.size() + " instant jobs");
        } catch (RuntimeException e) {
            throw new AssertionError("runAll threw " + e + ": a worker's result went missing, or the results"
                    + " channel was closed while jobs were still running; it may be closed only once every worker"
                    + " has ended", e);
        }
    }
}
