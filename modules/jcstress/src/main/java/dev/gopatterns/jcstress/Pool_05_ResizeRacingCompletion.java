package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.WorkerPool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

/**
 * {@code resize} down racing the end of the running jobs. A pool of two workers and no queue runs two jobs, both
 * blocked until the releasing actor closes their channel; the other actor shrinks the pool to one worker. Whatever
 * the order, a resize never interrupts a running job: both jobs end {@code Ok}, each ran once. A surplus worker
 * that is idle when the resize comes retires at once; one that is busy retires when it comes back for a job. So
 * once things have settled the pool has exactly one worker, idle; after {@code close} it has none, every thread
 * its factory made has ended, and the counters add up.
 *
 * <p>What is deterministic, and what the arbiter waits for: not the moment the surplus worker leaves (that is
 * after its job's handle completes, so a job's result says nothing about it), but the state the pool settles in:
 * no job running, every live worker idle, and at most the new maximum of them. In a correct pool that state is
 * reached, and nothing changes it afterwards (the clock is a {@link FakeClock} that never moves, so no idle timer
 * fires). A retiring worker still counts as idle for a moment after the resize marked it (it leaves the idle set
 * when it wakes), which is why "every live worker idle" alone is not settled: the count must be down too. If the
 * pool never gets there within a second (a worker that never retires), the arbiter reports what it sees.
 *
 * <p>It catches a resize that interrupts or cancels a busy surplus worker's job (the job ends {@code Failed} or
 * {@code Cancelled}), a busy surplus worker that never retires (two workers after settling), a resize that
 * retires too many (none left), a job run twice or lost, and counters that miss a count.
 *
 * <pre>{@code
 * // Go has no resizable pool; the usual shape is a quit channel per surplus worker, read between jobs:
 * for {
 *     select {
 *     case <-quit: return                         // resize down: leaves only between jobs
 *     case j := <-jobs: j(ctx)                    // never interrupted by a resize
 *     }
 * }
 * }</pre>
 *
 * <p>r1: how many of the two jobs ended {@code Ok}; r2: how many times the jobs ran in all; r3: the live workers
 * once settled; r4: the metrics after {@code close}, {@code workers * 1000 + submitted * 100 + succeeded * 10 +
 * failed + cancelled}, or -1 if they break {@link PoolMetrics#checkInvariants()}; r5: how many of the jobs had
 * ended when {@code resize} returned; r6: {@code threads made * 10 + threads alive after close}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_05"}
 */
@JCStressTest
@Outcome(id = "2, 2, 1, 220, 0, 20", expect = ACCEPTABLE,
        desc = "Resized while both jobs ran: neither was interrupted; the first worker back retired, one is left.")
@Outcome(id = "2, 2, 1, 220, 1, 20", expect = ACCEPTABLE_INTERESTING,
        desc = "Resized as the jobs ended (one result out): neither interrupted; one worker left once settled.")
@Outcome(id = "2, 2, 1, 220, 2, 20", expect = ACCEPTABLE_INTERESTING,
        desc = "Resized after both jobs ended: an idle (or about to be idle) worker retired; one left.")
@Outcome(id = "[01], .*", expect = FORBIDDEN,
        desc = "A job did not end Ok: the resize interrupted or cancelled it, or it was lost.")
@Outcome(id = "2, 2, 2, .*", expect = FORBIDDEN,
        desc = "Two workers after settling: a surplus worker never retired (more workers than the maximum).")
@Outcome(id = "2, 2, 0, .*", expect = FORBIDDEN, desc = "No worker after settling: the resize retired too many.")
@Outcome(expect = FORBIDDEN,
        desc = "A job ran twice or not at all, the counters after close do not add up, or a thread outlived close.")
@State
public class Pool_05_ResizeRacingCompletion {

    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final WorkerPool pool = WorkerPool.builder().workers(2).queueCapacity(0).clock(new FakeClock())
            .threadFactory(r -> {
                Thread t = Thread.ofVirtual().unstarted(r);
                threads.add(t);
                return t;
            })
            .build();
    final Channel<Void> release = Channel.unbuffered();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    final Job<String> jobA;
    final Job<String> jobB;

    public Pool_05_ResizeRacingCompletion() {
        try {
            // Capacity 0: each submit waits for an idle worker and hands its job straight to it.
            jobA = pool.submit(ctx -> blocked());
            jobB = pool.submit(ctx -> blocked());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        while (started.get() < 2) { // both workers busy before the actors start
            Thread.yield();
        }
    }

    private String blocked() throws InterruptedException {
        started.incrementAndGet();
        release.receiveOrClosed(); // an interrupt here fails the job
        runs.incrementAndGet();
        return "ok";
    }

    @Actor
    public void releaser() {
        release.close();
    }

    @Actor
    public void resizer(IIIIII_Result r) {
        pool.resize(1);
        r.r5 = (jobA.isDone() ? 1 : 0) + (jobB.isDone() ? 1 : 0);
    }

    @Arbiter
    public void arbiter(IIIIII_Result r) {
        try {
            r.r1 = ok(jobA.result()) + ok(jobB.result());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        r.r2 = runs.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        PoolMetrics m;
        for (;;) {
            m = pool.metrics();
            boolean settled = m.running() == 0 && m.waiting() == 0 && m.idle() == m.workers() && m.workers() <= 1;
            if (settled || System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(10_000);
        }
        r.r3 = m.workers();
        pool.close();
        PoolMetrics end = pool.metrics();
        try {
            end.checkInvariants();
            r.r4 = (int) (end.workers() * 1000 + end.submitted() * 100 + end.succeeded() * 10 + end.failed()
                    + end.cancelled());
        } catch (IllegalStateException e) {
            r.r4 = -1;
        }
        int alive = 0;
        for (Thread t : threads) {
            alive += t.isAlive() ? 1 : 0;
        }
        r.r6 = threads.size() * 10 + alive;
    }

    private static int ok(Result<String> r) {
        return r instanceof Result.Ok<String>(var v) && "ok".equals(v) ? 1 : 0;
    }
}
