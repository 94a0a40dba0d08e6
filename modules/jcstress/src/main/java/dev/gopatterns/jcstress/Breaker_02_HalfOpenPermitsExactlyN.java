package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
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
 * Two callers race for the one trial call of a half-open breaker ({@code permittedCallsInHalfOpen(1)}). The
 * breaker was opened by a failure, and its {@link FakeClock} advanced by the whole wait in open, so the breaker is
 * half-open, but lazily: its state moves from {@code OPEN} to {@code HALF_OPEN} at the first look after the wait,
 * and here that first look is one of the two racing {@code tryAcquire}s. So the two race twice: to make the
 * {@code OPEN -> HALF_OPEN} transition, and for the trial slot. Exactly one gets a permit, the other is refused and
 * counted ({@code notPermitted == 1}), and the transition is made once, numbered 2.
 *
 * <p>It catches a due-check outside the lock (both callers find the wait over, both make the transition, and the
 * second resets the trial count the first had just taken: two transitions to {@code HALF_OPEN}, and two trial
 * calls let through to a service that is perhaps still down), and a trial count taken outside the lock (both read
 * zero trials taken: two permits for one slot, or a refusal not counted).
 *
 * <pre>{@code
 * // Go, with github.com/sony/gobreaker (Settings.MaxRequests = 1), once Timeout has passed:
 * go func() { _, err1 = cb.Execute(trial) }()
 * go func() { _, err2 = cb.Execute(trial) }()
 * // exactly one of err1, err2 is gobreaker.ErrTooManyRequests
 * }</pre>
 *
 * <p>r1, r2: what each actor's {@code tryAcquire} returned, {@code permit} or {@code refused}; r3: the breaker
 * after both, {@code STATE trials=ended refused=notPermitted}, then every transition the subscriber got, as
 * {@code FROM>TO#sequence}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Breaker_02"}
 */
@JCStressTest
@Outcome(id = "permit, refused, HALF_OPEN trials=0 refused=1 CLOSED>OPEN#1 OPEN>HALF_OPEN#2", expect = ACCEPTABLE,
        desc = "Actor 1 took the trial slot; actor 2 was refused and counted; half-open entered once.")
@Outcome(id = "refused, permit, HALF_OPEN trials=0 refused=1 CLOSED>OPEN#1 OPEN>HALF_OPEN#2", expect = ACCEPTABLE,
        desc = "Actor 2 took the trial slot; actor 1 was refused and counted; half-open entered once.")
@Outcome(id = "permit, permit, .*", expect = FORBIDDEN,
        desc = "Two trial calls permitted for one slot.")
@Outcome(id = "refused, refused, .*", expect = FORBIDDEN,
        desc = "Both refused: the one trial slot was lost, or the wait in open was not seen as over.")
@Outcome(expect = FORBIDDEN,
        desc = "Half-open entered twice or not at all, a transition numbered wrong, or a refusal not counted.")
@State
public class Breaker_02_HalfOpenPermitsExactlyN {

    static final IOException DOWN = new IOException("down");

    final FakeClock clock = new FakeClock();
    final CircuitBreaker breaker = CircuitBreaker.builder("jcstress").clock(clock)
            .slidingWindow(CircuitBreaker.Window.count(1)).minimumCalls(1).failureRateThreshold(50)
            .waitInOpen(Duration.ofSeconds(30)).permittedCallsInHalfOpen(1).build();
    final CircuitBreaker.Subscription transitions = breaker.subscribe(4);

    public Breaker_02_HalfOpenPermitsExactlyN() {
        breaker.acquire().failed(DOWN); // opens it
        clock.advance(Duration.ofSeconds(30)); // the wait is over; nothing has looked yet, so the state is OPEN
    }

    @Actor
    public void caller1(LLL_Result r) {
        r.r1 = breaker.tryAcquire().isPresent() ? "permit" : "refused";
    }

    @Actor
    public void caller2(LLL_Result r) {
        r.r2 = breaker.tryAcquire().isPresent() ? "permit" : "refused";
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        CircuitBreaker.Metrics m = breaker.metrics();
        StringBuilder s = new StringBuilder().append(m.state()).append(" trials=").append(m.calls())
                .append(" refused=").append(m.notPermitted());
        while (transitions.transitions().tryReceive() instanceof Received.Value<CircuitBreaker.Transition>(var t)) {
            s.append(' ').append(t.from()).append('>').append(t.to()).append('#').append(t.sequence());
        }
        r.r3 = s.toString();
    }
}
