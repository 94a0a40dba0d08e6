package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Two identical selects, each offering to send and to receive on the same unbuffered channel, pair up: one sends,
 * the other receives its value. Neither matches itself, and the receiver sees what the sender wrote before.
 *
 * <p>Each thread runs {@code select { case ch <- mine: ... case v := <-ch: ... }}. The first to arrive finds nobody
 * and parks with a node in both of {@code ch}'s queues, send and receive. The second must match it through one of
 * those nodes, and whichever it picks retires the other. A select that matched its own node would "receive" its
 * own value; two selects that both fired as senders (or both as receivers) would have invented or lost a value; a
 * select that failed to see the parked one would leave both parked and jcstress would report a timeout. Each actor
 * also writes a plain field before its select, and the receiving side reads the other's field: the sender's write
 * must be visible, because a send happens-before the matching receive completes.
 *
 * <p>Results: what each select did.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int)
 * go func() {
 *     note1 = 10
 *     select { case ch <- 1: r1 = "sent"; case v := <-ch: r1 = fmt.Sprint("got ", v, " saw ", note2) }
 * }()
 * go func() {
 *     note2 = 20
 *     select { case ch <- 2: r2 = "sent"; case v := <-ch: r2 = fmt.Sprint("got ", v, " saw ", note1) }
 * }()
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Select_04"}
 */
@JCStressTest
@Outcome(id = "sent, got 1 saw 10", expect = ACCEPTABLE,
        desc = "Select 1 sent; select 2 received its value and note.")
@Outcome(id = "got 2 saw 20, sent", expect = ACCEPTABLE,
        desc = "Select 2 sent; select 1 received its value and note.")
@Outcome(id = {"sent, got 1 saw 0", "got 2 saw 0, sent"}, expect = FORBIDDEN,
        desc = "The value arrived without the write made before the send: no happens-before.")
@Outcome(id = {"got 1 .*", ".*, got 2 .*"}, expect = FORBIDDEN, desc = "A select received its own value.")
@Outcome(expect = FORBIDDEN,
        desc = "Both sent or both received: a value invented or lost; or an actor was interrupted.")
@State
public class Select_04_SymmetricSelects {

    final Channel<Integer> ch = Channel.unbuffered();

    /** Plain on purpose: only the channel orders each write before the other side's read. */
    int note1;
    int note2;

    @Actor
    public void one(LL_Result r) {
        note1 = 10;
        try {
            r.r1 = Select.select(
                    ch.onSend(1, () -> "sent"),
                    ch.onReceive(v -> "got " + v + " saw " + note2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        }
    }

    @Actor
    public void two(LL_Result r) {
        note2 = 20;
        try {
            r.r2 = Select.select(
                    ch.onSend(2, () -> "sent"),
                    ch.onReceive(v -> "got " + v + " saw " + note1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r2 = "interrupted";
        }
    }
}
