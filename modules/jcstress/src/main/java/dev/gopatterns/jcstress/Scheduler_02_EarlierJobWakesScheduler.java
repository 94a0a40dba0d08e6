package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.pool.JobOptions;
import dev.gopatterns.pool.ScheduledJob;
import dev.gopatterns.pool.Scheduler;
import dev.gopatterns.pool.WorkerPool;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJZ_Result;

/**
 * A job scheduled with an earlier due time than the one the scheduling thread is parked for, racing the clock.
 * The state schedules a job due at 10 s and waits until the thread has armed its alarm for it. Then one actor
 * schedules a second job, due 1 s from whenever it is scheduled, while the other advances the clock by 1 s.
 *
 * <p>If the schedule came first, the new job is due at 1 s, which the clock reaches: it must be submitted, though
 * the thread was parked until 10 s (the schedule wakes it to re-arm its alarm for 1 s; if the advance ran before
 * the new alarm was armed, the thread's second look at the clock after arming finds the job due). If the advance
 * came first, the new job is due at 2 s, which the clock never reaches: it must not be submitted. A job due and
 * not submitted is a missed wake-up: the thread slept through an earlier deadline.
 *
 * <pre>{@code
 * // Go: a timer heap's goroutine must re-arm when an earlier timer is added (Go's runtime: modtimer, wakeNetPoller)
 * }</pre>
 *
 * <p>r1: the new job's due time (ms); r2: the clock at the end (ms); r3: whether the new job was submitted (the
 * arbiter waits for it, a second at most, only if it is due).
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Scheduler_02"}
 */
@JCStressTest
@Outcome(id = "1000, 1000, true", expect = ACCEPTABLE,
        desc = "Scheduled first, due at 1 s: the parked thread woke, re-armed, and submitted it when the clock got there.")
@Outcome(id = "2000, 1000, false", expect = ACCEPTABLE_INTERESTING,
        desc = "The advance came first: due at 2 s, not reached, rightly not submitted.")
@Outcome(id = "1000, 1000, false", expect = FORBIDDEN, desc = "Missed wake-up: due, never submitted.")
@Outcome(id = "2000, 1000, true", expect = FORBIDDEN, desc = "Submitted before its due time.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class Scheduler_02_EarlierJobWakesScheduler {

    static final Duration STEP = Duration.ofSeconds(1);

    final FakeClock clock = new FakeClock();
    final Context ctx = Context.background(clock);
    final WorkerPool pool = WorkerPool.builder().clock(clock).workers(1).queueCapacity(2).name("jcstress").build();
    final Scheduler scheduler = Scheduler.builder(pool).name("jcstress").build();
    volatile ScheduledJob<String> early;

    public Scheduler_02_EarlierJobWakesScheduler() {
        int before = clock.pendingTasks();
        scheduler.after(ctx, Duration.ofSeconds(10), JobOptions.defaults(), c -> "late");
        try {
            clock.awaitPendingTasks(before + 1, Duration.ofSeconds(10)); // parked until 10 s
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void scheduler() {
        early = scheduler.after(ctx, STEP, JobOptions.defaults(), c -> "early");
    }

    @Actor
    public void clock() {
        clock.advance(STEP);
    }

    @Arbiter
    public void arbiter(JJZ_Result r) {
        ScheduledJob<String> job = early;
        long now = clock.nanoTime();
        if (job.due() - now <= 0) {
            try { // due: it must reach the pool; wait for its end, a second at most
                Select.select(job.done().onReceiveOrClosed(x -> true), Select.after(Duration.ofSeconds(1), () -> false));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        r.r1 = Duration.ofNanos(job.due()).toMillis();
        r.r2 = Duration.ofNanos(now).toMillis();
        r.r3 = job.job().isPresent();
        scheduler.close();
        pool.close();
    }
}
