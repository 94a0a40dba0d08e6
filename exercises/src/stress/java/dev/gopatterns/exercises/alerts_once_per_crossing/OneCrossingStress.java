package dev.gopatterns.exercises.alerts_once_per_crossing;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.exercises.alerts_once_per_crossing.Alerter.Kind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code ./learn stress alerts_once_per_crossing}: two samples at the same moment, on a fresh alerter (fire at 100,
 * {@code forSamples} 1) over a signal that reads 150, on real cores, millions of times over.
 *
 * <p>r1 and r2 are the FIRING events the two samples returned, r3 the events the channel holds afterwards. One
 * crossing is one FIRING: a correct alerter gives {@code 1, 0, 1} or {@code 0, 1, 1}, whichever sample came first.
 * {@code 1, 1, 2} is the race the unit test forces only when a read of the signal or the clock sits between the
 * look at the {@code firing} flag and the write of it; here it also shows for a lock-free alerter whose look and
 * write are adjacent ({@code if (!firing) { firing = true; ... }} on volatile fields): both samples saw the alert
 * quiet. Such a window is a few instructions wide, so give it the quick mode ({@code --full}): on 2 cores it was
 * seen about once in a hundred states (154,014 of 13.8 million), and not at all in sanity mode.
 *
 * <p>How to run: {@code ./learn stress alerts_once_per_crossing} (on your code), {@code --solution} (on the
 * reference).
 */
@JCStressTest
@Description("two samples at once of one crossing fire once")
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = ACCEPTABLE,
        desc = "one sample fired; the other found the alert firing and said nothing")
@Outcome(id = "1, 1, 2", expect = FORBIDDEN,
        desc = "two FIRING events for one crossing: both samples found the alert quiet, the look and the act were"
                + " not one step under the lock")
@Outcome(expect = FORBIDDEN, desc = "neither one FIRING nor two: a sample threw, or the channel lost an event")
@State
public class OneCrossingStress {

    private final Alerter alerter = new Alerter(() -> 150, 100, 80, 1, 4, new FakeClock());

    @Actor
    public void first(III_Result r) {
        r.r1 = fired();
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = fired();
    }

    @Arbiter
    public void events(III_Result r) {
        int n = 0;
        while (alerter.events().tryReceive() instanceof dev.gopatterns.chan.Received.Value<?>) {
            n++;
        }
        r.r3 = n;
        alerter.close();
    }

    private int fired() {
        try {
            return (int) alerter.sample().stream().filter(e -> e.kind() == Kind.FIRING).count();
        } catch (RuntimeException e) {
            return -2;
        }
    }
}
