package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.resilience.CircuitBreaker;
import java.io.IOException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two failures that open a closed breaker, reported at the same moment. The breaker judges a count window of two
 * calls once it holds two ({@code minimumCalls(2)}), at a failure rate of 50%. Both permits are taken while it is
 * closed; each actor reports its call as failed. Whatever the order, the first report leaves the window at one
 * failure (too few to judge) and the second makes it two of two: the breaker opens exactly once, the subscriber
 * gets exactly one transition, {@code CLOSED -> OPEN} numbered 1, and the window holds both failures.
 *
 * <p>It catches a count taken outside the breaker's lock: two reports that both read the window at one call (a
 * lost update: two failures, one counted, the breaker still closed), and a check-then-act trip in which both
 * reports see the window full and both open the breaker (two transitions, numbered 1 and 2 or 1 and 1).
 *
 * <pre>{@code
 * // Go, with github.com/sony/gobreaker (ReadyToTrip: at least 2 requests, half of them failed):
 * go func() { cb.Execute(func() (any, error) { return nil, errDown }) }()
 * go func() { cb.Execute(func() (any, error) { return nil, errDown }) }()
 * // OnStateChange is called once: closed -> open
 * }</pre>
 *
 * <p>r1, r2: the state each actor reads right after its own report (at least one must read {@code OPEN}); r3: the
 * breaker after both, {@code STATE calls/failed refused=notPermitted}, then every transition the subscriber got,
 * as {@code FROM>TO#sequence}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Breaker_01"}
 */
@JCStressTest
@Outcome(id = "OPEN, OPEN, OPEN 2/2 refused=0 CLOSED>OPEN#1", expect = ACCEPTABLE,
        desc = "Both actors looked after the second report: opened once, by whichever report came second.")
@Outcome(id = "CLOSED, OPEN, OPEN 2/2 refused=0 CLOSED>OPEN#1", expect = ACCEPTABLE_INTERESTING,
        desc = "Actor 1 reported first and looked before actor 2's report opened the breaker, once.")
@Outcome(id = "OPEN, CLOSED, OPEN 2/2 refused=0 CLOSED>OPEN#1", expect = ACCEPTABLE_INTERESTING,
        desc = "Actor 2 reported first and looked before actor 1's report opened the breaker, once.")
@Outcome(id = "CLOSED, CLOSED, .*", expect = FORBIDDEN,
        desc = "Neither actor saw the breaker open after its report: a failure was lost, the second never tripped it.")
@Outcome(expect = FORBIDDEN,
        desc = "Opened twice or not at all, a transition numbered wrong, or the window does not hold both failures.")
@State
public class Breaker_01_TripExactlyOnce {

    static final IOException DOWN = new IOException("down"); // the breaker only tests it: one instance will do

    final CircuitBreaker breaker = CircuitBreaker.builder("jcstress").clock(new FakeClock())
            .slidingWindow(CircuitBreaker.Window.count(2)).minimumCalls(2).failureRateThreshold(50).build();
    final CircuitBreaker.Subscription transitions = breaker.subscribe(4);
    final CircuitBreaker.Permit first = breaker.acquire();
    final CircuitBreaker.Permit second = breaker.acquire();

    @Actor
    public void failFirst(LLL_Result r) {
        first.failed(DOWN);
        r.r1 = breaker.state();
    }

    @Actor
    public void failSecond(LLL_Result r) {
        second.failed(DOWN);
        r.r2 = breaker.state();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        CircuitBreaker.Metrics m = breaker.metrics();
        StringBuilder s = new StringBuilder().append(m.state()).append(' ').append(m.calls()).append('/')
                .append(m.failedCalls()).append(" refused=").append(m.notPermitted());
        while (transitions.transitions().tryReceive() instanceof Received.Value<CircuitBreaker.Transition>(var t)) {
            s.append(' ').append(t.from()).append('>').append(t.to()).append('#').append(t.sequence());
        }
        r.r3 = s.toString();
    }
}
