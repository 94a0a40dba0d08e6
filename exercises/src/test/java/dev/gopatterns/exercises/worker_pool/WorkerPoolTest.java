package dev.gopatterns.exercises.worker_pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.exercises.Background;
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
 * Exercise `worker_pool`: what {@link WorkerPool#run} must do, checked with jobs the test holds and releases ({@link JobLog}).
 * The jobs channel is filled and closed by the test; the test receives the results. Every wait is bounded by a
 * second; nothing sleeps.
 *
 * <p>How to run: {@code ./learn check worker_pool}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `worker_pool`: a worker pool")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerPoolTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String CLOSE_ONCE = "close it once, after every worker has ended (WaitGroup.await(),"
            + " then close), in a thread of its own";

    @Test
    @Order(1)
    @DisplayName("every job's result comes out exactly once, then the results channel is closed")
    void everyResultOnceThenClosed() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
            ReceiveChannel<String> results = start(3, jobs, log);

            List<String> got = collect(results, "the jobs channel was drained and closed");

            assertThat(got).as("every job's result, exactly once (in any order); %d of %d came out. If some are"
                    + " missing, the results channel was closed while a worker still had a result to send: %s",
                    got.size(), jobs.size(), CLOSE_ONCE)
                    .containsExactlyInAnyOrder("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
            assertThat(log.started()).as("each job must be run exactly once").hasSize(jobs.size());
        }
    }

    @Test
    @Order(2)
    @DisplayName("at most `workers` jobs run at once, and that many do")
    void atMostWorkersAtOnce() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d", "e", "f");
            jobs.forEach(log::hold);
            ReceiveChannel<String> results = start(3, jobs, log);
            try (Background<List<String>> consumer = Background.start("receives results", () -> drain(results))) {
                for (int done = 0; done < jobs.size(); done++) {
                    int due = Math.min(3, jobs.size() - done);
                    log.awaitRunning(due, "3 workers and " + (jobs.size() - done) + " jobs to go: start `workers`"
                            + " workers, each ranging over the jobs channel");
                    assertThat(log.active.get()).as("with 3 workers at most 3 jobs may run at once, but %d did:"
                            + " the workers run the jobs, one at a time each; do not start a thread per job",
                            log.active.get()).isLessThanOrEqualTo(3);
                    String oldest = log.running().getFirst();
                    log.release(oldest);
                    log.awaitFinished(oldest, "it was released");
                }
                List<String> got = consumer.await(ONE_SECOND, () -> "the results channel was not closed 1 s after"
                        + " the last job had finished: " + CLOSE_ONCE);
                assertThat(got).containsExactlyInAnyOrder("A", "B", "C", "D", "E", "F");
                assertThat(log.maxActive.get()).as("with 3 workers at most 3 jobs may run at once, but %d did at one"
                        + " moment: the workers run the jobs, one at a time each; do not start a thread per job",
                        log.maxActive.get()).isLessThanOrEqualTo(3);
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("the results channel is closed once, after the last worker has ended, not when the first one does")
    void closedAfterTheLastWorker() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c");
            jobs.forEach(log::hold);
            ReceiveChannel<String> results = start(3, jobs, log);
            log.awaitRunning(3, "3 workers, 3 jobs: each worker takes one");

            log.release("a");
            String first = Background.within(ONE_SECOND, "receives a result", results::receive,
                    () -> "no result came out within 1 s of job 'a' finishing: each worker sends the result of"
                            + " each job on the results channel");
            assertThat(first).isEqualTo("A");
            assertThat(log.threadEnds("a", ONE_SECOND)).as("the worker that ran job 'a' had nothing left to do"
                    + " (the jobs channel was drained and closed), but it was still running 1 s later: a worker"
                    + " ranges over the jobs channel, for (J job : jobs), and ends when it is closed").isTrue();

            TryReceived<String> now = results.tryReceive();
            assertThat(now).as("the results channel was closed by the worker that ended first, while 2 jobs were"
                    + " still running: results channel closed by each worker; " + CLOSE_ONCE)
                    .isNotInstanceOf(Received.Closed.class);

            log.release("b");
            log.release("c");
            List<String> rest = collect(results, "jobs 'b' and 'c' were released");
            assertThat(rest).containsExactlyInAnyOrder("B", "C");
        }
    }

    @Test
    @Order(4)
    @DisplayName("run returns at once, while the jobs are still running; it does not wait for them")
    void runReturnsAtOnce() throws Exception {
        try (JobLog log = new JobLog()) {
            log.hold("a", "b");
            Channel<String> jobs = filled(List.of("a", "b"));
            ReceiveChannel<String> results = Background.within(ONE_SECOND, "calls run",
                    () -> WorkerPool.run(2, jobs, log::runUnchecked),
                    () -> "run did not return within 1 s while the jobs were still running: run must return at"
                            + " once, so that the caller can receive the results while the workers work. Wait for"
                            + " the workers in a closer thread of its own, not in run");
            log.awaitRunning(2, "2 workers, 2 jobs");
            log.release("a");
            log.release("b");
            assertThat(collect(results, "both jobs were released")).containsExactlyInAnyOrder("A", "B");
        }
    }

    @Test
    @Order(5)
    @DisplayName("every worker ends once the jobs channel is closed and drained")
    void workersEnd() throws Exception {
        try (JobLog log = new JobLog()) {
            List<String> jobs = List.of("a", "b", "c", "d");
            ReceiveChannel<String> results = start(2, jobs, log);
            collect(results, "the jobs channel was drained and closed");
            for (String job : jobs) {
                assertThat(log.threadEnds(job, ONE_SECOND)).as("the thread that ran job '%s' was still running 1 s"
                        + " after the last result: a pool that leaks workers. Each worker must end when the jobs"
                        + " channel is closed (range over it), and must be a thread the pool starts and ends (not"
                        + " an executor nobody shuts down)", job).isTrue();
            }
        }
    }

    @Test
    @Order(6)
    @DisplayName("fewer than 1 worker is refused at once, with a message that names the rule")
    void zeroWorkersRefused() throws Exception {
        Channel<String> jobs = filled(List.of("a"));
        try {
            WorkerPool.run(0, jobs, String::toUpperCase);
            fail("run(0, ...) returned: with no worker no job would ever run; it must throw"
                    + " IllegalArgumentException(\"workers must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("workers must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A jobs channel holding {@code jobs}, closed: the workers' range ends when they have taken them all. */
    private static Channel<String> filled(List<String> jobs) throws InterruptedException {
        Channel<String> ch = Channel.make(jobs.size());
        for (String job : jobs) {
            ch.send(job);
        }
        ch.close();
        return ch;
    }

    private static ReceiveChannel<String> start(int workers, List<String> jobs, JobLog log) throws Exception {
        Channel<String> ch = filled(jobs);
        return Background.within(ONE_SECOND, "calls run", () -> WorkerPool.run(workers, ch, log::runUnchecked),
                () -> "run did not return within 1 s: it must start the workers and return the results channel at"
                        + " once (the caller receives while the workers work)");
    }

    private static List<String> drain(ReceiveChannel<String> results) {
        List<String> got = new ArrayList<>();
        for (String r : results) {
            got.add(r);
        }
        return got;
    }

    private static List<String> collect(ReceiveChannel<String> results, String after) throws Exception {
        return Background.within(ONE_SECOND, "receives results", () -> drain(results),
                () -> "the results channel was never closed (still open 1 s after " + after + "), so a range over"
                        + " it never ends: " + CLOSE_ONCE);
    }
}
