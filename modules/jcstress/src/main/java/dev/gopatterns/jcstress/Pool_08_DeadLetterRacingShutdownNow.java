package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.pool.FailedJob;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.JobOptions;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.Task;
import dev.gopatterns.pool.WorkerPool;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.DeadLetters;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLLL_Result;

/**
 * A worker waiting to hand a failed job to a full dead-letter queue, racing {@code shutdownNow()}. The queue holds
 * one letter and is full before the pool starts (letter {@code P}); the pool has one worker. Job {@code J} fails
 * at once, so its worker waits in the queue's {@code add}, with {@code J}'s handle not yet complete (the letter
 * goes in first, so that whoever sees the failure finds the letter); job {@code K}, which fails too, waits in the
 * pool's queue behind it. The state waits until the worker is parked in that {@code add}. Then one actor takes
 * {@code P} out of the dead letters, making room, while the other calls {@code shutdownNow()}.
 *
 * <p>Either the room comes first: {@code J}'s letter goes in, {@code J} ends {@code Failed}, and {@code K} is
 * either cancelled before it starts (drained by {@code shutdownNow}, or found the pool stopped) or runs, fails,
 * and waits in its own {@code add} (the queue is full again, with {@code J}'s letter) until {@code shutdownNow}
 * drops {@code K}'s letter. Or {@code shutdownNow} comes first: the worker stops waiting, {@code J}'s letter is
 * dropped (from the queue only: {@code J}'s handle still reports {@code Failed}), and {@code K}, drained from the
 * queue before the worker could take it, ends {@code Cancelled} without starting. In every case a job that ran
 * ends {@code Failed}, its letter is in the queue at most once and only if it went in before its handle completed,
 * the pool terminates without help (the arbiter waits a second at most, with the queue as the actors left it),
 * and no thread of the pool's factory is alive after {@code close}.
 *
 * <p>"Before its handle completed" is checked by the order of the two actor steps: the room-making actor reads
 * whether {@code J} is done, then takes {@code P}. If {@code J} was done before there was any room, its letter
 * cannot have been added before its handle completed, so it must have been dropped; finding it in the queue at
 * the end means it was added after the handle completed.
 *
 * <p>It catches a worker that waits for room without watching the pool's context (the pool never terminates
 * while the queue is full), a letter added after the handle completes (whoever sees the failure may not find it),
 * a letter added twice, or added for a job that never ran, a waiting worker whose {@code shutdownNow} interrupt
 * turns the failure into {@code Cancelled}, and counters that miss a count.
 *
 * <pre>{@code
 * // Go: the worker, after the job failed
 * select {
 * case dlq <- letter:                // room: the letter is in before the result is sent
 * case <-ctx.Done():                 // shut down now: the letter is dropped, the result is still sent
 * }
 * results <- Result{ID: j.ID, Err: err}
 * }</pre>
 *
 * <p>r1, r2: how {@code J} and {@code K} ended ({@code failed}, {@code cancelled unstarted}, {@code cancelled
 * started}, {@code ok}, or {@code not done} after the pool terminated); r3: whether {@code J} was done when the
 * room-making actor looked, before it made room; r4: what that actor took, the letters left in the queue once
 * the pool terminated, and how many letters the queue took in all ({@code P} counts one); r5: whether the pool
 * terminated within a second with the queue as the actors left it, {@code threads made/alive} after
 * {@code close}, and whether the metrics add up ({@link PoolMetrics#checkInvariants()}, and the jobs counted
 * failed and cancelled are the handles' results).
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_08"}
 */
@JCStressTest
@Outcome(id = "failed, failed, J waiting, took P; left J; added 2, terminated; threads 1/0; metrics add up",
        expect = ACCEPTABLE_INTERESTING,
        desc = "Room first: J's letter went in; K ran and failed, its letter dropped by shutdownNow (queue full).")
@Outcome(id = "failed, cancelled unstarted, J waiting, took P; left J; added 2, terminated; threads 1/0; "
        + "metrics add up", expect = ACCEPTABLE,
        desc = "Room first: J's letter went in; shutdownNow cancelled K before it started.")
@Outcome(id = "failed, cancelled unstarted, J waiting, took P; left none; added 1, terminated; threads 1/0; "
        + "metrics add up", expect = ACCEPTABLE_INTERESTING,
        desc = "shutdownNow first: J's letter dropped, J Failed; K drained unstarted. J completed after the look.")
@Outcome(id = "failed, cancelled unstarted, J done, took P; left none; added 1, terminated; threads 1/0; "
        + "metrics add up", expect = ACCEPTABLE,
        desc = "shutdownNow first: J's letter dropped, J Failed (done before the room); K drained unstarted.")
@Outcome(id = ".*, J done, took P; left J.*", expect = FORBIDDEN,
        desc = "J's letter went in after its handle completed: whoever saw the failure did not find the letter.")
@Outcome(id = ".*, not terminated; .*", expect = FORBIDDEN,
        desc = "The pool did not terminate: the worker kept waiting for room after shutdownNow.")
@Outcome(id = "cancelled.*", expect = FORBIDDEN,
        desc = "J ran and failed, yet its handle says Cancelled: shutdownNow's interrupt changed the result.")
@Outcome(expect = FORBIDDEN,
        desc = "A letter twice, K's letter in, K run after a drop, a job not done, a thread alive after close, or "
                + "counters that do not add up.")
@State
public class Pool_08_DeadLetterRacingShutdownNow {

    /** The id the pre-filled letter carries. */
    static final long P = -1;

    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final FakeClock clock = new FakeClock();
    final DeadLetters<FailedJob<?>> dlq = DeadLetters.withCapacity(1, clock);
    final WorkerPool pool;
    final AtomicBoolean jRan = new AtomicBoolean();
    final Job<String> jobJ;
    final Job<String> jobK;

    public Pool_08_DeadLetterRacingShutdownNow() {
        FailedJob<String> earlier = new FailedJob<>(P, JobOptions.defaults(), ctx -> "earlier");
        if (!dlq.offer(new DeadLetter<>("earlier", earlier, List.of(new IOException("earlier")), 1, 0))) {
            throw new IllegalStateException("the dead letters refused the pre-filled letter");
        }
        pool = WorkerPool.builder().name("jcstress").workers(1).queueCapacity(1).clock(clock).deadLetters(dlq)
                .threadFactory(r -> {
                    Thread t = Thread.ofVirtual().unstarted(r);
                    threads.add(t);
                    return t;
                })
                .build();
        try {
            jobJ = pool.submit(failing("J", jRan));
            jobK = pool.submit(failing("K", new AtomicBoolean()));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        // J failed, and the worker is parked in the dead letters' add (nothing else parks it while J is running).
        // If that is not seen within a second, the actors race an earlier point: the outcomes are the same.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!(jRan.get() && threads.getFirst().getState() == Thread.State.WAITING)
                && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000);
        }
    }

    private static Task<String> failing(String name, AtomicBoolean ran) {
        return ctx -> {
            ran.set(true);
            throw new IOException(name + " failed");
        };
    }

    @Actor
    public void makeRoom(LLLLL_Result r) {
        r.r3 = jobJ.isDone() ? "J done" : "J waiting";
        r.r4 = switch (dlq.letters().tryReceive()) {
            case Received.Value<DeadLetter<FailedJob<?>>>(var letter) -> "took " + name(letter);
            case Received.Closed<DeadLetter<FailedJob<?>>>() -> "took closed";
            case TryReceived.NotReady<DeadLetter<FailedJob<?>>>() -> "took nothing";
        };
    }

    @Actor
    public void stopper() {
        pool.shutdownNow();
    }

    @Arbiter
    public void arbiter(LLLLL_Result r) {
        boolean terminated;
        List<DeadLetter<FailedJob<?>>> left;
        try {
            terminated = pool.awaitTermination(Duration.ofSeconds(1)); // the dead letters as the actors left them
            left = new ArrayList<>(dlq.drain());
            if (!terminated && pool.awaitTermination(Duration.ofSeconds(1))) { // the room freed a stuck worker
                left.addAll(dlq.drain());
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (pool.isTerminated()) {
            pool.close(); // returns at once; it would wait for ever for a stuck worker
        }
        r.r1 = describe(jobJ);
        r.r2 = describe(jobK);
        StringBuilder s = new StringBuilder(r.r4.toString()).append("; left");
        for (DeadLetter<FailedJob<?>> l : left) {
            s.append(' ').append(name(l));
        }
        r.r4 = s.append(left.isEmpty() ? " none" : "").append("; added ").append(dlq.added()).toString();
        int alive = 0;
        for (Thread t : threads) {
            alive += t.isAlive() ? 1 : 0;
        }
        r.r5 = (terminated ? "terminated" : "not terminated") + "; threads " + threads.size() + "/" + alive + "; "
                + (metricsAddUp() ? "metrics add up" : "metrics do not add up: " + pool.metrics());
    }

    private String name(DeadLetter<FailedJob<?>> letter) {
        long id = letter.item().id();
        return id == P ? "P" : id == jobJ.id() ? "J" : id == jobK.id() ? "K" : "job " + id;
    }

    private static String describe(Job<String> job) {
        return switch (job.tryResult().orElse(null)) {
            case null -> "not done";
            case Result.Ok<String> ok -> "ok";
            case Result.Failed<String> f -> "failed";
            case Result.Cancelled<String>(var cause, var started) -> started ? "cancelled started"
                    : "cancelled unstarted";
        };
    }

    private boolean metricsAddUp() {
        PoolMetrics m = pool.metrics();
        try {
            m.checkInvariants();
        } catch (IllegalStateException e) {
            return false;
        }
        int failed = 0;
        int cancelled = 0;
        for (Job<String> j : List.of(jobJ, jobK)) {
            switch (j.tryResult().orElse(null)) {
                case Result.Failed<String> f -> failed++;
                case Result.Cancelled<String> c -> cancelled++;
                case null, default -> { }
            }
        }
        return m.submitted() == 2 && m.failed() == failed && m.cancelled() == cancelled;
    }
}
