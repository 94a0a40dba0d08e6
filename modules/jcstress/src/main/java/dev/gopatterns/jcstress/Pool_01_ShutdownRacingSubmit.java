package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Submission;
import dev.gopatterns.pool.WorkerPool;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code trySubmit} racing {@code shutdownNow} on a one-worker pool: the job is rejected (and never runs), or
 * accepted, and then it either ran or was handed back by {@code shutdownNow} as cancelled before it started. It is
 * never lost: accepted but neither run nor handed back, nor both.
 *
 * <p>It catches a shutdown that drains the queue without the CAS out of "pending" (a job both handed back and run
 * by a worker that had just taken it), and a submission that slips into the queue after the drain (accepted,
 * never run, never completed).
 *
 * <p>r1: 0 rejected, 1 accepted; r2: how many times the job ran; r3: 1 if shutdownNow handed it back, 2 if it
 * ended cancelled by the shutdown without being handed back (a worker had taken it and found the pool stopping),
 * 0 otherwise.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_01"}
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Rejected: the shutdown came first; the job never ran.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Accepted and run before the shutdown reached it.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Accepted, then handed back by shutdownNow, never run.")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE,
        desc = "Accepted, taken by the worker as the pool stopped: ended Cancelled without running.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Lost, run twice, or run and handed back.")
@State
public class Pool_01_ShutdownRacingSubmit {

    final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(1).build();
    final AtomicInteger runs = new AtomicInteger();
    volatile Job<Integer> job;
    volatile List<Job<?>> handedBack = List.of();

    @Actor
    public void submitter() {
        if (pool.trySubmit(ctx -> runs.incrementAndGet()) instanceof Submission.Accepted<Integer>(var j)) {
            job = j;
        }
    }

    @Actor
    public void stopper() {
        handedBack = pool.shutdownNow();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        pool.close();
        Job<Integer> j = job;
        r.r1 = j == null ? 0 : 1;
        r.r2 = runs.get();
        if (j != null) {
            Result<Integer> result = j.tryResult().orElse(null);
            if (handedBack.contains(j)) {
                r.r3 = 1;
            } else if (result instanceof Result.Cancelled<Integer>(var cause, var started) && !started) {
                r.r3 = 2;
            } else if (result == null) {
                r.r3 = 9; // never completed: forbidden
            }
        }
    }
}
