package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * {@code close} of one channel wakes a select parked on two, and the select fires that channel's case.
 *
 * <p>The actor selects over {@code done} and {@code work}; nothing is ever sent on either. The signal closes
 * {@code done}. The parked select has a node in each channel's queue; the close must find the one on {@code done},
 * complete the select through it, and the select must report the {@code done} case, not {@code work}. This is the
 * shape of every Go worker loop that stops on {@code <-done} (the close-a-channel broadcast that
 * {@code context.Done()} is built on).
 *
 * <pre>{@code
 * // Go:
 * done, work := make(chan struct{}), make(chan int)
 * go func() { select { case <-done: return; case j := <-work: handle(j) } }()
 * close(done)
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Termination_02"}
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "close(done) woke the select, which fired the done case.")
@Outcome(id = "STALE", expect = FORBIDDEN,
        desc = "The select was still parked long after close (jcstress waits at least 30 s): a lost wakeup.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The select fired the wrong case, or threw.")
@State
public class Termination_02_CloseWakesSelect {

    final Channel<Integer> done = Channel.unbuffered();
    final Channel<Integer> work = Channel.unbuffered();

    @Actor
    public void worker() throws InterruptedException {
        String fired = Select.select(
                done.onReceiveOrClosed(got -> got instanceof Received.Closed<Integer> ? "done closed" : "done " + got),
                work.onReceiveOrClosed(got -> "work " + got));
        if (!fired.equals("done closed")) {
            throw new IllegalStateException("expected the done case to report Closed, got: " + fired);
        }
    }

    @Signal
    public void close() {
        done.close();
    }
}
