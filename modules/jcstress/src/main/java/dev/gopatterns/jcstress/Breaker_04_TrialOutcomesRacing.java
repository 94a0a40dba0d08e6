package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.resilience.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The two trial calls of a half-open breaker ({@code permittedCallsInHalfOpen(2)}, failure threshold 50%) end at
 * the same moment, one succeeded, one failed. The breaker judges the trials once all of them have ended: one
 * failure of two is 50%, so it opens again, exactly once, whichever report comes second. The subscriber sees
 * {@code CLOSED -> OPEN}, {@code OPEN -> HALF_OPEN}, {@code HALF_OPEN -> OPEN}, numbered 1, 2, 3: no gap, no
 * repeat, no second way out of half-open. The {@link FakeClock} never moves after the trials were permitted, so
 * the breaker stays open.
 *
 * <p>It catches a trial count taken outside the lock: two reports that both read no trial ended (neither sees the
 * last trial end, and the breaker is stuck half-open with every trial slot taken: it refuses every call, for
 * ever), two that both see the last trial end (two transitions out of half-open, one of them from a state already
 * left, and a sequence number repeated or skipped), or a lost failure (1 of 2 counted as 0 of 2: closed on a
 * service that failed half of its trials).
 *
 * <pre>{@code
 * // Go, with github.com/sony/gobreaker (MaxRequests = 2, ReadyToTrip on half the requests failed), half-open:
 * go func() { cb.Execute(succeeding) }()
 * go func() { cb.Execute(failing) }()          // gobreaker opens on any half-open failure; here the rate decides
 * // OnStateChange: half-open -> open, once
 * }</pre>
 *
 * <p>r1, r2: the state each actor reads right after its own report (at least one must read {@code OPEN}); r3: the
 * breaker's state and refusals after both, then every transition the subscriber got, as {@code FROM>TO#sequence}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Breaker_04"}
 */
@JCStressTest
@Outcome(id = "OPEN, OPEN, OPEN refused=0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>OPEN#3", expect = ACCEPTABLE,
        desc = "Both actors looked after the last trial ended: reopened once, by whichever report came second.")
@Outcome(id = "HALF_OPEN, OPEN, OPEN refused=0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>OPEN#3",
        expect = ACCEPTABLE_INTERESTING, desc = "The success came first and looked before the failure reopened it.")
@Outcome(id = "OPEN, HALF_OPEN, OPEN refused=0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>OPEN#3",
        expect = ACCEPTABLE_INTERESTING, desc = "The failure came first and looked before the success reopened it.")
@Outcome(id = "HALF_OPEN, HALF_OPEN, .*", expect = FORBIDDEN,
        desc = "Both trials ended and neither was the last: stuck half-open, every trial slot taken for ever.")
@Outcome(id = ".*, CLOSED.*", expect = FORBIDDEN,
        desc = "Closed after a trial failed at the 50% threshold: the failure was lost.")
@Outcome(expect = FORBIDDEN,
        desc = "Two transitions out of half-open, a sequence number repeated or skipped, or a refusal counted.")
@State
public class Breaker_04_TrialOutcomesRacing {

    static final IOException DOWN = new IOException("down");

    final FakeClock clock = new FakeClock();
    final CircuitBreaker breaker = CircuitBreaker.builder("jcstress").clock(clock)
            .slidingWindow(CircuitBreaker.Window.count(1)).minimumCalls(1).failureRateThreshold(50)
            .waitInOpen(Duration.ofSeconds(30)).permittedCallsInHalfOpen(2).build();
    final CircuitBreaker.Subscription transitions = breaker.subscribe(8);
    final CircuitBreaker.Permit succeeding;
    final CircuitBreaker.Permit failing;

    public Breaker_04_TrialOutcomesRacing() {
        breaker.acquire().failed(DOWN); // opens it
        clock.advance(Duration.ofSeconds(30));
        succeeding = breaker.acquire(); // the first look after the wait: half-open
        failing = breaker.acquire();
    }

    @Actor
    public void success(LLL_Result r) {
        succeeding.succeeded();
        r.r1 = breaker.state();
    }

    @Actor
    public void failure(LLL_Result r) {
        failing.failed(DOWN);
        r.r2 = breaker.state();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        CircuitBreaker.Metrics m = breaker.metrics();
        StringBuilder s = new StringBuilder().append(m.state()).append(" refused=").append(m.notPermitted());
        while (transitions.transitions().tryReceive() instanceof Received.Value<CircuitBreaker.Transition>(var t)) {
            s.append(' ').append(t.from()).append('>').append(t.to()).append('#').append(t.sequence());
        }
        r.r3 = s.toString();
    }
}
