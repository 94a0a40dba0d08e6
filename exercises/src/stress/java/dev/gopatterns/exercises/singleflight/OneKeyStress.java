package dev.gopatterns.exercises.singleflight;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@code ./learn stress singleflight}: two calls of {@code get("k")} at the same moment, on a fresh lookup whose
 * backend answers at once (the unit tests hold a fetch open to make the calls overlap; here they overlap, or not,
 * by themselves, on real cores, millions of times over).
 *
 * <p>Each fetch returns its own number ("1", "2") and notes whether it began while another fetch was still running.
 * r1 and r2 are the numbers the two calls returned, r3 how many fetches ran, r4 1 if two fetches for the key ran at
 * the same time. Whatever the interleaving, a correct lookup (Go's {@code singleflight.Group.Do}) gives one of:
 * <ul>
 *   <li>{@code 1, 1, 1, 0}: the calls overlapped; the second joined the first's fetch and got its value;
 *   <li>{@code 1, 2, 2, 0} or {@code 2, 1, 2, 0}: the first call had ended before the second began its flight, so
 *       the second fetched again (nothing is cached), each caller getting the value of its own fetch.
 * </ul>
 * Two fetches running at once ({@code r4 = 1}) are the bug of a group made per call, or of no group at all:
 * concurrent calls for one key must share one fetch. A caller that gets the value of a fetch it neither ran nor
 * joined ({@code 1, 1, 2} or {@code 2, 2, 2}: one value lost, the other handed out twice) is a map of flights that
 * mixes them up. Both are FORBIDDEN.
 *
 * <p>How to run: {@code ./learn stress singleflight} (on your code), {@code --solution} (on the reference).
 */
@JCStressTest
@Description("two calls for one key: each gets the value of a fetch it ran or joined, and two fetches never overlap")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "the calls overlapped and shared one fetch")
@Outcome(id = {"1, 2, 2, 0", "2, 1, 2, 0"}, expect = ACCEPTABLE,
        desc = "one call after the other: each fetched, nothing cached")
@Outcome(id = {"1, 2, 2, 1", "2, 1, 2, 1", "1, 1, 2, 1", "2, 2, 2, 1"}, expect = FORBIDDEN,
        desc = "concurrent calls for one key must share one fetch: two fetches ran at once")
@Outcome(id = {"1, 1, 2, 0", "2, 2, 2, 0"}, expect = FORBIDDEN,
        desc = "a lost result: two fetches ran, and both callers got the value of the same one")
@Outcome(expect = FORBIDDEN, desc = "neither a shared fetch nor two fetches one after the other: the lookup broke")
@State
public class OneKeyStress {

    /** A fetch's length, a microsecond or so: long enough for calls to meet in it, short enough for millions. */
    private static final int FETCH_SPINS = 100;

    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean overlapped;

    private final CoalescingLookup lookup = new CoalescingLookup(key -> {
        if (running.getAndIncrement() > 0) {
            overlapped = true; // another fetch for the key has begun and not yet ended
        }
        try {
            int n = fetches.incrementAndGet();
            for (int i = 0; i < FETCH_SPINS; i++) {
                Thread.onSpinWait(); // a fetch that takes a moment, so that a second call can come while it runs
            }
            return String.valueOf(n);
        } finally {
            running.decrementAndGet();
        }
    });

    @Actor
    public void first(IIII_Result r) {
        r.r1 = get();
    }

    @Actor
    public void second(IIII_Result r) {
        r.r2 = get();
    }

    @Arbiter
    public void fetches(IIII_Result r) {
        r.r3 = fetches.get();
        r.r4 = overlapped ? 1 : 0;
    }

    private int get() {
        try {
            return Integer.parseInt(lookup.get("k"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }
    }
}
