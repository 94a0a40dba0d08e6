package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.pool.JobOptions;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.ScheduledJob;
import dev.gopatterns.pool.Scheduler;
import dev.gopatterns.pool.WorkerPool;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZIL_Result;

/**
 * A scheduled job's {@code cancel()} racing its due time. The job is due at 1 s on a {@link FakeClock}; the state
 * waits until the scheduling thread has armed its alarm for it (a pending task on the clock), so the thread is
 * parked or about to be. Then one actor cancels the job while the other advances the clock to the due time, which
 * wakes the scheduling thread to take the job out of the heap and submit it to the pool (which has room).
 *
 * <p>Exactly one side wins, decided under the scheduler's lock: either the cancel found the job in the heap
 * ({@code cancel()} is true, the job is never submitted, never runs, and ends {@code Cancelled}, not started), or
 * the scheduler took it first ({@code cancel()} is false, the job is submitted; the cancel then cancels the pool
 * job through its handle, so it ran or ended {@code Cancelled} before it started). Never both (cancelled and yet
 * submitted or run), never neither (not cancelled and never submitted: a job lost between the heap and the pool).
 *
 * <pre>{@code
 * // Go: time.AfterFunc's Stop racing the timer's firing
 * t := time.AfterFunc(d, func() { jobs <- job })
 * if t.Stop() { /* f will never run *\/ } else { /* f has been started *\/ }
 * }</pre>
 *
 * <p>r1: what {@code cancel()} returned; r2: how many times the task ran; r3: whether the job was submitted, and
 * its result ({@code ok}, {@code cancelled-unstarted}, {@code cancelled-started}, or {@code none}).
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Scheduler_01"}
 */
@JCStressTest
@Outcome(id = "true, 0, unsubmitted cancelled-unstarted", expect = ACCEPTABLE,
        desc = "The cancel won: the job left the heap unsubmitted and never ran.")
@Outcome(id = "false, 1, submitted ok", expect = ACCEPTABLE,
        desc = "The due time won: the job was submitted and ran; the late cancel found it running or done.")
@Outcome(id = "false, 0, submitted cancelled-unstarted", expect = ACCEPTABLE_INTERESTING,
        desc = "The due time won, then the cancel reached the pool job before a worker started it.")
@Outcome(id = "true, .*, submitted .*", expect = FORBIDDEN, desc = "Both: cancel said true, yet it was submitted.")
@Outcome(id = "true, 1, .*", expect = FORBIDDEN, desc = "Both: cancel said true, yet the task ran.")
@Outcome(id = "false, .*, unsubmitted .*", expect = FORBIDDEN,
        desc = "Neither: not cancelled in time, yet never submitted (lost between the heap and the pool).")
@Outcome(expect = FORBIDDEN, desc = "Anything else: no result, or the task ran twice.")
@State
public class Scheduler_01_CancelRacingFire {

    static final Duration DUE = Duration.ofSeconds(1);

    final FakeClock clock = new FakeClock();
    final WorkerPool pool = WorkerPool.builder().clock(clock).workers(1).queueCapacity(1).name("jcstress").build();
    final Scheduler scheduler = Scheduler.builder(pool).name("jcstress").build();
    final AtomicInteger ran = new AtomicInteger();
    final ScheduledJob<String> job;

    public Scheduler_01_CancelRacingFire() {
        int before = clock.pendingTasks();
        job = scheduler.after(Context.background(clock), DUE, JobOptions.defaults(), ctx -> {
            ran.incrementAndGet();
            return "ran";
        });
        try {
            clock.awaitPendingTasks(before + 1, Duration.ofSeconds(10)); // the alarm for the job is armed
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void canceller(ZIL_Result r) {
        r.r1 = job.cancel();
    }

    @Actor
    public void clock() {
        clock.advance(DUE);
    }

    @Arbiter
    public void arbiter(ZIL_Result r) {
        scheduler.close(); // joins the scheduling thread: a job it took is in the pool by now
        pool.close();      // runs or ends every job in the pool
        r.r2 = ran.get();
        String result = switch (job.tryResult().orElse(null)) {
            case Result.Ok<String> ok -> "ok";
            case Result.Cancelled<String>(var cause, var started) ->
                    started ? "cancelled-started" : "cancelled-unstarted";
            case Result.Failed<String>(var error) -> "failed " + error;
            case null -> "none";
        };
        r.r3 = (job.job().isPresent() ? "submitted " : "unsubmitted ") + result;
    }
}
