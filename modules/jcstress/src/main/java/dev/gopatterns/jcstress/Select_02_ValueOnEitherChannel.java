package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A select blocked on two empty channels is woken by the first value to arrive on either; it takes that one, and the
 * value that arrives second, on the other channel, stays there.
 *
 * <p>This is the parking path of select. Finding nothing ready, the select puts one waiting node in each channel's
 * receive queue, both pointing at one waiter, and parks. The sender then puts 1 on {@code a} and 2 on {@code b}.
 * The first {@code trySend} claims the waiter through {@code a}'s node and hands 1 over; the second finds the
 * now-stale node in {@code b}'s queue, must see that its waiter is already taken, skip it and buffer 2. A stale node
 * that could still be claimed would swallow 2 into a select that has already returned. If instead the select runs
 * after both sends, both cases are ready and it picks one at random, leaving the other value buffered.
 *
 * <p>Results: the case the select fired and its value, how many of the two {@code trySend}s succeeded (both
 * always can: each channel has a free slot), then what is left in {@code a} and in {@code b}.
 *
 * <pre>{@code
 * // Go:
 * a, b := make(chan int, 1), make(chan int, 1)
 * go func() { select { case v := <-a: r = "a"; case v := <-b: r = "b" } }()
 * go func() { a <- 1; b <- 2 }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_02"}
 */
@JCStressTest
@Outcome(id = "a 1, sent 2, empty, 2", expect = ACCEPTABLE,
        desc = "The select took 1 from a (parked and woken, or chose it); 2 stays in b.")
@Outcome(id = "b 2, sent 2, 1, empty", expect = ACCEPTABLE,
        desc = "Both values were there when the select looked, and it chose b; 1 stays in a.")
@Outcome(id = "a 1, sent 2, empty, empty", expect = FORBIDDEN,
        desc = "2 vanished: handed to the select's stale node on b after the select had fired through a.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: both cases fired, a value duplicated, or a trySend refused.")
@State
public class Select_02_ValueOnEitherChannel {

    final Channel<Integer> a = Channel.buffered(1);
    final Channel<Integer> b = Channel.buffered(1);

    @Actor
    public void selector(LLLL_Result r) {
        try {
            r.r1 = Select.select(
                    a.onReceive(v -> "a " + v),
                    b.onReceive(v -> "b " + v));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void sender(LLLL_Result r) {
        int sent = 0;
        sent += a.trySend(1) ? 1 : 0;
        sent += b.trySend(2) ? 1 : 0;
        r.r2 = "sent " + sent;
    }

    @Arbiter
    public void leftover(LLLL_Result r) {
        r.r3 = word(a.tryReceive());
        r.r4 = word(b.tryReceive());
    }

    private static String word(TryReceived<Integer> received) {
        return switch (received) {
            case Received.Value<Integer>(var v) -> v.toString();
            case Received.Closed<Integer>() -> "closed";
            case TryReceived.NotReady<Integer>() -> "empty";
        };
    }
}
