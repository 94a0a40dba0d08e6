package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Submission;
import dev.gopatterns.pool.WorkerPool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * A dynamic pool growing racing {@code shutdown()}. The pool is {@code workers(0, 2)} with no queue (capacity 0)
 * and starts with no worker at all, so a {@code trySubmit} is accepted only by starting a new worker with the job
 * as its first; the other actor shuts the pool down (gracefully). Either the submission comes first: a worker
 * starts, and the job, handed to it, runs once and ends {@code Ok} before the worker exits (a graceful shutdown
 * drains what was accepted). Or the shutdown comes first: the submission is rejected {@code SHUT_DOWN}, and no
 * worker starts. Never accepted and lost, never a worker started after shutdown, never rejected for a full queue
 * (below its maximum the pool always has room), and after {@code close} no thread the pool's factory made is alive.
 *
 * <p>The race is on the shutdown's "no worker left, so the pool has terminated": a worker started under the
 * queue's lock just before it is in the worker list, so the shutdown waits for it; one started just after would be
 * a worker nobody waits for. The threads are counted through the builder's thread factory.
 *
 * <p>It catches a pool that grows after shutdown (a thread alive after {@code close}, or a job accepted and never
 * run), a new worker that checks for shutdown before it looks at the job it was handed (accepted and lost),
 * termination signalled before the worker threads have really ended, and counters that miss a count.
 *
 * <pre>{@code
 * // Go:
 * mu.Lock()
 * if closed { mu.Unlock(); return ErrShutdown }   // the check and the spawn under one lock
 * wg.Add(1); go worker(job)                       // else a worker that wg.Wait() does not wait for
 * mu.Unlock()
 * }</pre>
 *
 * <p>r1: 1 accepted, 0 rejected {@code QUEUE_FULL}, 2 rejected {@code SHUT_DOWN}; r2: how many times the job ran;
 * r3: its result after {@code close}: 1 {@code Ok}, 0 none (or rejected), 2 anything else; r4: {@code threads made
 * * 10 + threads alive after close}; r5: the metrics after {@code close}, {@code workers * 1000 + submitted * 100 +
 * succeeded * 10 + rejected}, or -1 if they break {@link PoolMetrics#checkInvariants()}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_07"}
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 10, 110", expect = ACCEPTABLE,
        desc = "Accepted before the shutdown: one worker started, ran the job once (Ok), and ended before close "
                + "returned.")
@Outcome(id = "2, 0, 0, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "Shut down first: rejected SHUT_DOWN, no worker ever started.")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "Accepted and lost: the job never ran, though close returned.")
@Outcome(id = "., ., ., 11, .*", expect = FORBIDDEN, desc = "A worker thread was still alive after close.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "Rejected QUEUE_FULL, though the pool was below its maximum.")
@Outcome(expect = FORBIDDEN,
        desc = "A worker started for a rejected job, the job ran twice or not Ok, or the counters do not add up.")
@State
public class Pool_07_GrowRacingShutdown {

    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final WorkerPool pool = WorkerPool.builder().workers(0, 2).queueCapacity(0).clock(new FakeClock())
            .threadFactory(r -> {
                Thread t = Thread.ofVirtual().unstarted(r);
                threads.add(t);
                return t;
            })
            .build();
    final AtomicInteger runs = new AtomicInteger();
    volatile Job<Integer> job;

    @Actor
    public void submitter(IIIII_Result r) {
        r.r1 = switch (pool.trySubmit(ctx -> runs.incrementAndGet())) {
            case Submission.Accepted<Integer>(var j) -> {
                job = j;
                yield 1;
            }
            case Submission.Rejected<Integer>(var reason) -> reason == Submission.Reason.QUEUE_FULL ? 0 : 2;
        };
    }

    @Actor
    public void stopper() {
        pool.shutdown();
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        pool.close();
        int alive = 0;
        for (Thread t : threads) {
            alive += t.isAlive() ? 1 : 0;
        }
        r.r4 = threads.size() * 10 + alive;
        r.r2 = runs.get();
        Job<Integer> j = job;
        r.r3 = j == null ? 0 : switch (j.tryResult().orElse(null)) {
            case null -> 0;
            case Result.Ok<Integer> ok -> 1;
            default -> 2;
        };
        PoolMetrics m = pool.metrics();
        try {
            m.checkInvariants();
            r.r5 = (int) (m.workers() * 1000 + m.submitted() * 100 + m.succeeded() * 10 + m.rejected());
        } catch (IllegalStateException e) {
            r.r5 = -1;
        }
    }
}
