package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.pool.PoolMetrics;
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
 * {@code metrics()} taken while jobs are being submitted, taken by the worker, run and counted. One actor submits
 * three short jobs with {@code trySubmit} to a pool of one worker and a one-slot queue (so some are accepted, and
 * a third usually finds the pool full and is rejected); the worker runs them meanwhile. The other actor takes two
 * snapshots in a row. Each snapshot is one instant of the pool: it passes {@link PoolMetrics#checkInvariants()}
 * ({@code submitted == waiting + running + completed}, no negative counter, no more running than workers). The
 * second is no earlier than the first: {@code submitted}, {@code succeeded}, {@code failed}, {@code cancelled},
 * {@code completed} and {@code rejected} never go down. After {@code close}, the counters match what the submitter
 * saw: as many submitted and succeeded as it had accepted, as many rejected as it had refused.
 *
 * <p>It catches a counter updated outside the queue's lock (a job already in the queue, or already taken, that
 * {@code submitted} does not count yet), a snapshot that reads the counters one by one without the lock, and a
 * job that leaves one count before it enters the next (taken but not yet running, finished but not yet
 * completed) in a separate locked section.
 *
 * <pre>{@code
 * // Go has no pool type: a Go pool's counters are atomics, each read on its own, and a reader can see
 * // submitted == 3 with only 2 jobs waiting, running or done. Here one lock makes the snapshot an instant:
 * go func() { for i := 0; i < 3; i++ { pool.TrySubmit(job) } }()
 * a, b := pool.Metrics(), pool.Metrics()          // a.Check() == nil, b.Check() == nil, b >= a
 * }</pre>
 *
 * <p>r1, r2: 1 if the first, the second snapshot passed {@code checkInvariants()}; r3: 1 if no cumulative counter
 * went down from the first to the second; r4: 1 if the counters after {@code close} match the submitter's
 * accepted and rejected counts (and every accepted job ran once); r5: 1 if a snapshot caught a job waiting or
 * running, 0 if both saw the pool at rest (before the first submission, or after the last job).
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_04"}
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "A snapshot caught a job in flight (waiting or running), and both snapshots were consistent.")
@Outcome(id = "1, 1, 1, 1, 0", expect = ACCEPTABLE,
        desc = "Both snapshots saw the pool at rest (before the submissions or after the jobs); consistent.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The first snapshot broke an invariant: not one instant.")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "The second snapshot broke an invariant: not one instant.")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN,
        desc = "A counter went down between two snapshots taken in order by one thread.")
@Outcome(expect = FORBIDDEN,
        desc = "After close, the counters do not match the submissions the submitter saw accepted and rejected, "
                + "or a job ran twice or not at all.")
@State
public class Pool_04_MetricsSnapshotConsistent {

    final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(1).build();
    final AtomicInteger runs = new AtomicInteger();
    volatile int accepted;
    volatile int rejected;

    @Actor
    public void submitter() {
        int a = 0;
        int n = 0;
        for (int i = 0; i < 3; i++) {
            switch (pool.trySubmit(ctx -> runs.incrementAndGet())) {
                case Submission.Accepted<Integer> s -> a++;
                case Submission.Rejected<Integer> s -> n++;
            }
        }
        accepted = a;
        rejected = n;
    }

    @Actor
    public void observer(IIIII_Result r) {
        PoolMetrics first = pool.metrics();
        PoolMetrics second = pool.metrics();
        r.r1 = consistent(first);
        r.r2 = consistent(second);
        r.r3 = second.submitted() >= first.submitted()
                && second.succeeded() >= first.succeeded()
                && second.failed() >= first.failed()
                && second.cancelled() >= first.cancelled()
                && second.completed() >= first.completed()
                && second.rejected() >= first.rejected() ? 1 : 0;
        r.r5 = inFlight(first) || inFlight(second) ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        pool.close(); // graceful: every accepted job runs first
        PoolMetrics m = pool.metrics();
        int a = accepted;
        r.r4 = consistent(m) == 1
                && m.submitted() == a && m.succeeded() == a && m.rejected() == rejected && runs.get() == a
                && m.waiting() == 0 && m.running() == 0 ? 1 : 0;
    }

    private static int consistent(PoolMetrics m) {
        try {
            m.checkInvariants();
            return 1;
        } catch (IllegalStateException e) {
            return 0;
        }
    }

    private static boolean inFlight(PoolMetrics m) {
        return m.waiting() > 0 || m.running() > 0;
    }
}
