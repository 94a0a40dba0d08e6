package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.resilience.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A late failure, reported on a permit taken while the breaker was closed, racing a whole trip and recovery made
 * through another permit. The breaker (a count window of four, judged from two calls, failure threshold 50%, one
 * trial call in half-open) holds one success; two permits, {@code late} and {@code tripper}, are taken in that
 * closed state. The recoverer reports {@code tripper} failed (one of two: the breaker opens), advances the
 * {@link FakeClock} past the wait in open, takes the trial permit and reports it succeeded (the breaker closes,
 * with an empty window). Meanwhile the other actor reports {@code late} failed.
 *
 * <p>A permit counts only in the state it was permitted in. If {@code late} lands first, it is the failure that
 * opens the breaker and {@code tripper} is the stale one; after that, {@code late} is stale wherever it lands: in
 * {@code OPEN}, in {@code HALF_OPEN} (where counting it as the trial would reopen the breaker, and turn the real
 * trial's success into a stale report), or in the new {@code CLOSED} state (where it would be a failure in a window
 * that should be empty). Either way the breaker ends closed with an empty window, after exactly three transitions.
 *
 * <p>It catches a permit whose epoch is not checked (the stale failure counted as the trial, or in the new window),
 * and an epoch check made apart from the count, outside the lock, so that a transition can come between them.
 *
 * <pre>{@code
 * // Go, with github.com/sony/gobreaker: a request started in an earlier generation is not counted,
 * // whatever state the breaker is in when it ends (afterRequest compares generations under the mutex).
 * go func() { cb.Execute(slowFailingCall) }()      // started while closed; it may end in any later state
 * go func() {
 *     cb.Execute(failing)                          // opens it
 *     // ... Settings.Timeout passes ...
 *     cb.Execute(succeeding)                       // the trial: closes it
 * }()
 * }</pre>
 *
 * <p>r1: how far the recoverer had got when the late failure was reported, a lower bound of the state it landed
 * in: 0 = nothing yet (closed), 1 = {@code tripper} reported (open), 2 = trial permit taken (half-open), 3 = trial
 * succeeded (closed again); r2: the state the recoverer reads after its trial, or {@code no trial} if it was
 * refused one; r3: the breaker after both, {@code STATE calls/failed}, then every transition the subscriber got,
 * as {@code FROM>TO#sequence}.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Breaker_03"}
 */
@JCStressTest
@Outcome(id = "0, CLOSED, CLOSED 0/0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>CLOSED#3", expect = ACCEPTABLE,
        desc = "Reported before the recoverer's first step showed: it opened the breaker, or was stale and ignored.")
@Outcome(id = "1, CLOSED, CLOSED 0/0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>CLOSED#3",
        expect = ACCEPTABLE_INTERESTING, desc = "The late failure came once the breaker was open: ignored.")
@Outcome(id = "2, CLOSED, CLOSED 0/0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>CLOSED#3",
        expect = ACCEPTABLE_INTERESTING, desc = "The late failure came in half-open: not taken for the trial call.")
@Outcome(id = "3, CLOSED, CLOSED 0/0 CLOSED>OPEN#1 OPEN>HALF_OPEN#2 HALF_OPEN>CLOSED#3",
        expect = ACCEPTABLE_INTERESTING, desc = "The late failure came after recovery: not counted in the new window.")
@Outcome(id = ".*, OPEN, .*", expect = FORBIDDEN,
        desc = "The stale failure was counted as the trial call: reopened, and the real trial's success ignored.")
@Outcome(id = ".*, CLOSED 1/1 .*", expect = FORBIDDEN,
        desc = "The stale failure was counted in the window of the new closed state.")
@Outcome(expect = FORBIDDEN,
        desc = "No trial permit, a transition missing, repeated or numbered wrong, or another wrong count.")
@State
public class Breaker_03_StalePermitIgnored {

    static final IOException DOWN = new IOException("down");

    final FakeClock clock = new FakeClock();
    final CircuitBreaker breaker = CircuitBreaker.builder("jcstress").clock(clock)
            .slidingWindow(CircuitBreaker.Window.count(4)).minimumCalls(2).failureRateThreshold(50)
            .waitInOpen(Duration.ofSeconds(30)).permittedCallsInHalfOpen(1).build();
    final CircuitBreaker.Subscription transitions = breaker.subscribe(8);
    final CircuitBreaker.Permit late;
    final CircuitBreaker.Permit tripper;
    volatile int recovererStage;

    public Breaker_03_StalePermitIgnored() {
        breaker.acquire().succeeded(); // one success: the next failure makes it one of two, 50%
        late = breaker.acquire();
        tripper = breaker.acquire();
    }

    @Actor
    public void lateFailure(LLL_Result r) {
        r.r1 = recovererStage;
        late.failed(DOWN);
    }

    @Actor
    public void recoverer(LLL_Result r) {
        tripper.failed(DOWN);
        recovererStage = 1;
        clock.advance(Duration.ofSeconds(30));
        Optional<CircuitBreaker.Permit> trial = breaker.tryAcquire();
        if (trial.isEmpty()) {
            r.r2 = "no trial";
            return;
        }
        recovererStage = 2;
        trial.get().succeeded();
        recovererStage = 3;
        r.r2 = breaker.state();
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        CircuitBreaker.Metrics m = breaker.metrics();
        StringBuilder s = new StringBuilder().append(m.state()).append(' ').append(m.calls()).append('/')
                .append(m.failedCalls());
        while (transitions.transitions().tryReceive() instanceof Received.Value<CircuitBreaker.Transition>(var t)) {
            s.append(' ').append(t.from()).append('>').append(t.to()).append('#').append(t.sequence());
        }
        r.r3 = s.toString();
    }
}
