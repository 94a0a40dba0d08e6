package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * A timeout races a hand-off to a receiver parked in a timed {@code receive}: it either returns the value or reports
 * the timeout, and in the second case the value was never taken.
 *
 * <p>The receiver waits up to one second, measured on a {@link FakeClock}. The other actor waits until the receiver
 * is parked on that clock ({@link FakeClock#awaitSleepers}), advances the clock by the second, which wakes the
 * receiver to time out, waits until the receiver is awake (it leaves the clock's list of sleepers just before it
 * tries to cancel), and offers a value with {@code trySend}. The receiver and the sender now race to complete the
 * same waiter: the receiver by cancelling it, the sender by claiming it. Whoever wins decides the outcome for both;
 * a {@code trySend} that succeeded while the receive reported a timeout would have dropped the value. (Without the
 * wait for the wake-up the sender nearly always wins, because unparking a thread takes far longer than a
 * {@code trySend}, and the cancel path would go untested.) No real time passes: the fake clock only moves when the
 * test says so.
 *
 * <p>Results: what the timed receive returned, and the {@code trySend} result.
 *
 * <pre>{@code
 * // Go:
 * select { case v := <-ch: got = v; case <-time.After(time.Second): got = "timed out" }
 * // racing, in another goroutine, with:
 * select { case ch <- 1: sent = true; default: }
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_09"}
 */
@JCStressTest
@Outcome(id = "timed out, not sent", expect = ACCEPTABLE,
        desc = "The timeout won: the receive gave up, and the late trySend found no receiver.")
@Outcome(id = "1, sent", expect = ACCEPTABLE_INTERESTING,
        desc = "The hand-off won although the deadline had passed: the receive kept the value.")
@Outcome(id = "timed out, sent", expect = FORBIDDEN,
        desc = "trySend handed the value to a receive that then reported a timeout: the value is lost.")
@Outcome(expect = FORBIDDEN,
        desc = "Anything else, e.g. a value with no successful send, or the receiver never parked on the clock.")
@State
public class Channel_09_TimeoutRacingHandOff {

    final Channel<Integer> ch = Channel.unbuffered();
    final FakeClock clock = new FakeClock();

    @Actor
    public void receiver(LL_Result r) {
        try {
            r.r1 = switch (ch.receive(Duration.ofSeconds(1), clock)) {
                case Received.Value<Integer>(var v) -> v.toString();
                case Received.Closed<Integer>() -> "closed";
                case TryReceived.NotReady<Integer>() -> "timed out";
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void timer(LL_Result r) {
        String parked = "";
        try {
            clock.awaitSleepers(1, Duration.ofSeconds(10)); // real time: a safety net, never reached when correct
        } catch (TimeoutException e) {
            parked = ", but the receiver never parked";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            parked = ", interrupted";
        }
        clock.advance(Duration.ofSeconds(1)); // past the receiver's deadline either way, so it cannot hang
        while (clock.sleepers() > 0) {
            Thread.onSpinWait(); // the advance woke it; it leaves the list a few instructions before it cancels
        }
        r.r2 = (ch.trySend(1) ? "sent" : "not sent") + parked;
    }
}
