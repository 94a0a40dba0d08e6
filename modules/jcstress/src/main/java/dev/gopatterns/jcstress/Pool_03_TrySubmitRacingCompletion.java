package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Submission;
import dev.gopatterns.pool.WorkerPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@code trySubmit} racing the end of the job the only worker is running, on a pool with no queue (capacity 0,
 * Go's unbuffered jobs channel). Job A runs on the worker, blocked until the releasing actor closes its channel;
 * the other actor tries to submit job B. With capacity 0 a job is accepted only while a worker waits in
 * {@code take}, so B is accepted if and only if A has ended and the worker is back for more; otherwise it is
 * rejected with {@code QUEUE_FULL}. Either way the outcome is exact: an accepted B runs once and ends {@code Ok};
 * a rejected B never runs; the counters, read after {@code close}, add up to what happened.
 *
 * <p>What is deterministic: the worker completes A's handle before it goes back to the queue, and the queue's
 * lock orders that return before the {@code trySubmit} that sees the worker idle. So when B is accepted, A's result
 * is already visible to the submitter. The converse does not hold: A's handle may be complete while the worker has
 * not yet reached {@code take}, and then B is still rejected (the second interesting outcome). Job done does not
 * mean worker free.
 *
 * <p>It catches a queue that counts a worker idle while it still runs a job, or admits past its capacity (B
 * accepted while A's result is not there); a rejection that still enqueues the job (rejected but run); a job lost
 * between acceptance and the worker (for instance a worker that checks for shutdown before it looks at the queue:
 * {@code close} then ends the pool with B accepted and never run); and counters that miss or double a count.
 *
 * <pre>{@code
 * // Go:
 * jobs := make(chan func())                       // unbuffered: a send succeeds only if a worker is receiving
 * go func() { for j := range jobs { j() } }()
 * jobs <- func() { <-release }                    // job A
 * go close(release)
 * select {
 * case jobs <- jobB:                              // accepted: a worker was receiving
 * default:                                        // rejected: queue full
 * }
 * }</pre>
 *
 * <p>r1: 1 B accepted, 0 rejected {@code QUEUE_FULL}, 2 rejected {@code SHUT_DOWN}; r2: 1 if A's result was
 * {@code Ok} when {@code trySubmit} returned, 0 if not yet; r3: how many times B ran; r4: B's result after
 * {@code close}, 1 {@code Ok}, 0 none (or no job), 2 anything else; r5: the metrics after {@code close},
 * {@code submitted * 100 + succeeded * 10 + rejected}, or -1 if they break {@link PoolMetrics#checkInvariants()}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_03"}
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0, 111", expect = ACCEPTABLE,
        desc = "Rejected QUEUE_FULL: A was still running (or not yet released); B never ran. A alone submitted and succeeded; 1 rejected.")
@Outcome(id = "0, 1, 0, 0, 111", expect = ACCEPTABLE_INTERESTING,
        desc = "Rejected QUEUE_FULL although A's result was already Ok: the worker had completed A's handle but not "
                + "yet come back to the queue.")
@Outcome(id = "1, 1, 1, 1, 220", expect = ACCEPTABLE_INTERESTING,
        desc = "Accepted: A had ended and the worker was waiting in take; B ran once and ended Ok. 2 submitted, "
                + "2 succeeded, none rejected.")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN,
        desc = "Accepted while A's result was not there: a worker counted idle while running, or past capacity 0.")
@Outcome(id = "0, ., 1, .*", expect = FORBIDDEN, desc = "Rejected, but B ran anyway.")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "Accepted and lost: B never ran, though close returned.")
@Outcome(expect = FORBIDDEN,
        desc = "Rejected SHUT_DOWN, B ran twice or did not end Ok, A did not end Ok, or the counters do not add up.")
@State
public class Pool_03_TrySubmitRacingCompletion {

    final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(0).build();
    final Channel<Void> release = Channel.unbuffered();
    final AtomicInteger runsB = new AtomicInteger();
    final Job<String> jobA;
    volatile Job<String> jobB;

    public Pool_03_TrySubmitRacingCompletion() {
        try {
            // With capacity 0 this waits until the worker is in take, then hands A over: A occupies the worker
            // (queued for it or running) from here until the releaser closes `release`.
            jobA = pool.submit(ctx -> {
                release.receiveOrClosed();
                return "A";
            });
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void releaser() {
        release.close();
    }

    @Actor
    public void submitter(IIIII_Result r) {
        Submission<String> s = pool.trySubmit(ctx -> {
            runsB.incrementAndGet();
            return "B";
        });
        r.r2 = jobA.tryResult().orElse(null) instanceof Result.Ok<String>(var v) && "A".equals(v) ? 1 : 0;
        r.r1 = switch (s) {
            case Submission.Accepted<String>(var j) -> {
                jobB = j;
                yield 1;
            }
            case Submission.Rejected<String>(var reason) -> reason == Submission.Reason.QUEUE_FULL ? 0 : 2;
        };
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        pool.close(); // graceful: an accepted B runs before the worker ends
        r.r3 = runsB.get();
        Job<String> b = jobB;
        r.r4 = b == null ? 0 : switch (b.tryResult().orElse(null)) {
            case null -> 0;
            case Result.Ok<String>(var v) when "B".equals(v) -> 1;
            default -> 2;
        };
        PoolMetrics m = pool.metrics();
        try {
            m.checkInvariants();
            r.r5 = (int) (m.submitted() * 100 + m.succeeded() * 10 + m.rejected());
        } catch (IllegalStateException e) {
            r.r5 = -1;
        }
    }
}
