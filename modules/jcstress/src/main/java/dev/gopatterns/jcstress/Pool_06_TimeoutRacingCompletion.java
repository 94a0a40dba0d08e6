package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.JobOptions;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Task;
import dev.gopatterns.pool.WorkerPool;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * A job's timeout racing the job's own end. Job A, with {@code JobOptions.timeout(1 s)} on a {@link FakeClock},
 * runs on the only worker, blocked until the releasing actor closes its channel; the other actor advances the
 * clock 2 s, past A's deadline, which ends A's context and interrupts A's thread (from a
 * {@code Context.afterFunc} hook, on a thread of its own: the interrupt may land at any point of A's run, or
 * after it). A ends {@code Ok} if it finished first, or {@code Cancelled} with a
 * {@link DeadlineExceededException} (started) if the interrupt got it out of its wait. Right after the release,
 * the releaser submits job B, which runs on the same worker next; job C is submitted by the arbiter once A and B
 * are done. Neither may see A's interrupt: an interrupt is claimed for one job, and a worker that leaves a job
 * waits for a claimed interrupt to land and clears it.
 *
 * <p>The constructor waits until A runs, so its deadline (measured from its start) is set before the clock moves.
 * The deadline may still fire too late to matter: after A returned, while the worker leaves it, or after A's
 * handle completed (then completing cancels A's context first and the deadline finds it ended). r5 tells those
 * apart: whether A's context ended by its deadline.
 *
 * <p>It catches an interrupt that leaks into the next job (a worker that does not clear a late interrupt, or a
 * timeout that interrupts the thread rather than the job), a timed-out job reported {@code Ok} or {@code Failed}
 * instead of {@code Cancelled}, a job lost or counted twice, and counters that do not add up.
 *
 * <pre>{@code
 * // Go:
 * jctx, cancel := context.WithTimeout(ctx, time.Second)
 * go func() { defer cancel(); results <- jobA(jctx) }()  // returns, or sees jctx.Done() and stops
 * // the next job gets a fresh context: jobA's deadline cannot touch it
 * }</pre>
 *
 * <p>r1: A's result: 1 {@code Ok}, 2 {@code Cancelled} by {@code DeadlineExceededException} after it started,
 * 3 anything else, 0 none; r2, r3: B's, C's result: 1 {@code Ok} and it saw no interrupt and a live context, 0
 * {@code Ok} but it saw an interrupt or an ended context, 2 anything else; r4: the metrics after {@code close},
 * {@code workers * 1000 + submitted * 100 + succeeded * 10 + cancelled}, or -1 if they break
 * {@link PoolMetrics#checkInvariants()}; r5: 1 if A's context ended by its deadline, 0 if by A's completion.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_06"}
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 330, 0", expect = ACCEPTABLE,
        desc = "A finished first and its handle completed before the deadline; B and C ran clean.")
@Outcome(id = "1, 1, 1, 330, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "A finished Ok, but its deadline fired before its handle completed (after A returned, while the "
                + "worker left it): the late interrupt was cleared, B and C ran clean.")
@Outcome(id = "2, 1, 1, 321, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "The timeout came first: A was interrupted out of its wait and ended Cancelled "
                + "(DeadlineExceeded); B and C ran clean.")
@Outcome(id = "., 0, .*", expect = FORBIDDEN, desc = "A's interrupt (or ended context) leaked into job B.")
@Outcome(id = "., ., 0, .*", expect = FORBIDDEN, desc = "A's interrupt leaked into job C, submitted later.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "A lost: no result after close.")
@Outcome(expect = FORBIDDEN,
        desc = "A ended some other way (Failed, Cancelled without the deadline), B or C did not end Ok, or the "
                + "counters after close do not add up.")
@State
public class Pool_06_TimeoutRacingCompletion {

    final FakeClock clock = new FakeClock();
    final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(1).clock(clock).build();
    final Channel<Void> release = Channel.unbuffered();
    volatile boolean startedA;
    volatile Context ctxA;
    final Job<String> jobA;
    volatile Job<Integer> jobB;

    public Pool_06_TimeoutRacingCompletion() {
        try {
            jobA = pool.submit(Context.background(), JobOptions.defaults().timeout(Duration.ofSeconds(1)), ctx -> {
                ctxA = ctx;
                startedA = true;
                release.receiveOrClosed(); // the timeout's interrupt gets it out of here
                return "A";
            });
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        while (!startedA) { // A runs: its deadline is on the clock
            Thread.yield();
        }
    }

    /** A job that reports whether it saw an interrupt or an ended context: 1 clean, 0 not. */
    static final Task<Integer> PROBE = ctx -> {
        boolean hit = Thread.currentThread().isInterrupted() || ctx.isDone();
        Thread.yield(); // a late interrupt aimed at the previous job would land here
        hit |= Thread.currentThread().isInterrupted() || ctx.isDone();
        return hit ? 0 : 1;
    };

    @Actor
    public void releaser() {
        release.close();
        try {
            jobB = pool.submit(PROBE); // queued behind A (capacity 1), or handed to the worker if it is back
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void timer() {
        clock.advance(Duration.ofSeconds(2));
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        try {
            r.r1 = switch (jobA.result()) {
                case Result.Ok<String>(var v) when "A".equals(v) -> 1;
                case Result.Cancelled<String>(var cause, var started)
                        when started && cause instanceof DeadlineExceededException -> 2;
                default -> 3;
            };
            r.r2 = probe(jobB.result());
            r.r3 = probe(pool.submit(PROBE).result());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        r.r5 = ctxA.err().orElse(null) instanceof DeadlineExceededException ? 1 : 0;
        pool.close();
        PoolMetrics m = pool.metrics();
        try {
            m.checkInvariants();
            r.r4 = (int) (m.workers() * 1000 + m.submitted() * 100 + m.succeeded() * 10 + m.cancelled());
        } catch (IllegalStateException e) {
            r.r4 = -1;
        }
    }

    private static int probe(Result<Integer> r) {
        return r instanceof Result.Ok<Integer>(var v) ? (v == 1 ? 1 : 0) : 2;
    }
}
