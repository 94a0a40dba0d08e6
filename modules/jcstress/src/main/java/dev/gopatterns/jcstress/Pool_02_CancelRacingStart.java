package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.pool.Job;
import dev.gopatterns.pool.Result;
import dev.gopatterns.pool.WorkerPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A job that blocks until interrupted is submitted, and cancelled by its handle while the worker may be taking it,
 * starting it, or running it. Whatever the moment, the job ends {@code Cancelled}: before it started (it never
 * ran), or while running (its context was cancelled and its thread interrupted). If the cancel landed between the
 * worker's start and the moment it published the job, and nobody looked again, the job would block for ever and
 * the arbiter's {@code close} would hang: that is the window this test covers.
 *
 * <p>r1: 1 if the job ran; r2: 1 if it ended Cancelled before starting, 2 if Cancelled after starting, 0 otherwise.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Pool_02"}
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Cancelled while queued: it never ran.")
@Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "Cancelled as it started, before its first instruction.")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Cancelled while running: interrupted out of its wait.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Not cancelled, or cancelled before starting yet run.")
@State
public class Pool_02_CancelRacingStart {

    final WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(1).build();
    final AtomicInteger ran = new AtomicInteger();
    final Job<String> job;

    public Pool_02_CancelRacingStart() {
        try {
            job = pool.submit(ctx -> {
                ran.incrementAndGet();
                Channel.unbuffered().receive(); // only an interrupt ends this
                return "unreachable";
            });
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Actor
    public void canceller() {
        job.cancel();
    }

    @Actor
    public void bystander() {
        Thread.onSpinWait(); // the worker thread is the other party; this actor only shifts the timing
    }

    @Arbiter
    public void arbiter(II_Result r) {
        pool.close();
        r.r1 = ran.get();
        r.r2 = switch (job.tryResult().orElse(null)) {
            case Result.Cancelled<String>(var cause, var started) -> started ? 2 : 1;
            case null, default -> 0;
        };
    }
}
