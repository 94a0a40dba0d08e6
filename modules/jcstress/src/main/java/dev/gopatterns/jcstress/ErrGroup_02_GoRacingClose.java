package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.sync.ErrGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * One thread calls {@code go} while another closes the group. The call is either accepted, and then {@code close}
 * waits for the task, or rejected with "errgroup: go on a closed group", and then the task never runs. It is never
 * half-accepted: {@code close} never returns while a task it accepted is still running.
 *
 * <p>The task blocks for ever in a receive on an unbuffered channel nobody sends on, so it ends only when the
 * group's cancellation interrupts it, and counts itself in a {@code finally} when it does. The closing actor reads
 * that count the moment {@code close} returns: an accepted task must already have ended.
 *
 * <p>The bug this catches is a {@code go} whose "is the group closed?" check and "count the task" step are two
 * steps, as they were before {@code ErrGroup} took its lock for both: {@code go} checks, {@code close} sets closed
 * and waits for a count of zero and returns, then {@code go} counts the task and starts it. The task then runs
 * outside its scope (result {@code accepted, 0}). The other wrong implementation, a {@code close} that waits for the
 * task but never interrupts it, is a hang: the closing actor never returns, which jcstress reports as a timed-out
 * run after a long wait.
 *
 * <pre>{@code
 * // Go has no close: Wait after a racing Go is the caller's bug ("calls to Go must happen before Wait").
 * // The Java scope makes it defined: the task is waited for, or rejected.
 * go func() { g.Go(task) }()
 * g.Wait()
 * }</pre>
 *
 * <p>Results: whether {@code go} accepted the task; how many tasks had ended when {@code close} returned.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t ErrGroup_02"}
 */
@JCStressTest
@Outcome(id = "accepted, 1", expect = ACCEPTABLE,
        desc = "go won: close cancelled the task, which was blocked or about to block, and waited until it ended.")
@Outcome(id = "rejected, 0", expect = ACCEPTABLE,
        desc = "close won: go threw 'errgroup: go on a closed group' and the task never ran.")
@Outcome(id = "accepted, 0", expect = FORBIDDEN,
        desc = "close returned while a task that go accepted was still running: the task escaped its scope.")
@Outcome(id = "rejected, 1", expect = FORBIDDEN, desc = "go rejected the task, but it ran anyway.")
@Outcome(expect = FORBIDDEN,
        desc = "go threw something else, close threw (the task's cancellation reported as a failure), or a task "
                + "ended twice.")
@State
public class ErrGroup_02_GoRacingClose {

    final ErrGroup group = ErrGroup.create();
    final Channel<Integer> never = Channel.unbuffered();
    final AtomicInteger ended = new AtomicInteger();

    @Actor
    public void starter(LL_Result r) {
        try {
            group.go(() -> {
                try {
                    never.receive();
                } finally {
                    ended.incrementAndGet();
                }
            });
            r.r1 = "accepted";
        } catch (IllegalStateException e) {
            r.r1 = "errgroup: go on a closed group".equals(e.getMessage()) ? "rejected" : "threw " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // no limit is set, so go never waits: this cannot happen
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void closer(LL_Result r) {
        try {
            group.close();
            r.r2 = ended.get();
        } catch (ExecutionException e) {
            r.r2 = "close threw " + e.getCause();
        }
    }
}
