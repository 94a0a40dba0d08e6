package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LI_Result;
import java.util.StringJoiner;

/**
 * A producer sends two values through a one-slot buffer and closes; a consumer ranges until closed. It gets both
 * values, in order, then "closed", and it sees what the producer wrote before closing.
 *
 * <p>This is Go's most common channel idiom, {@code for v := range ch} ended by the producer's {@code close(ch)}.
 * The producer's second send may park until the consumer frees the slot; the close may come while the consumer is
 * parked on an empty buffer (close must wake it), while a value is still buffered (the consumer must get it before
 * "closed"), or after the consumer has already taken everything. The producer also writes a plain field between
 * its last send and the close: the contract says actions before {@code close} happen-before a receive that reports
 * closed, so the consumer must read 42 once it has seen "closed".
 *
 * <p>Results: the values the consumer's for-each loop received before the channel reported closed, and the field it
 * read afterwards. The loop is {@link dev.gopatterns.chan.ReceiveChannel#iterator()}, built on
 * {@code receiveOrClosed()}.
 *
 * <pre>{@code
 * // Go:
 * ch := make(chan int, 1)
 * go func() { ch <- 1; ch <- 2; done = 42; close(ch) }()
 * for v := range ch { got = append(got, v) }   // got == [1 2], then done == 42
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -Pstress verify -Djcstress.args="-t Channel_08"}
 */
@JCStressTest
@Outcome(id = "1 2, 42", expect = ACCEPTABLE,
        desc = "Both values, in order, then closed; the write before close is visible.")
@Outcome(id = "1 2, 0", expect = FORBIDDEN,
        desc = "Closed was reported, but the write made before close was not visible: no happens-before.")
@Outcome(expect = FORBIDDEN,
        desc = "A value lost (closed reported before the buffer drained), duplicated or reordered.")
@State
public class Channel_08_CloseDrainsBuffer {

    final Channel<Integer> ch = Channel.buffered(1);

    /** Plain on purpose: only close-happens-before-closed orders the write before the read. */
    int done;

    @Actor
    public void producer() {
        try {
            ch.send(1);
            ch.send(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // then nobody closes: the consumer waits, jcstress reports a timeout
            return;
        }
        done = 42;
        ch.close();
    }

    @Actor
    public void consumer(LI_Result r) {
        StringJoiner got = new StringJoiner(" ");
        for (Integer v : ch) { // Go's range: receives until the channel is closed and drained
            got.add(v.toString());
        }
        r.r1 = got.toString();
        r.r2 = done;
    }
}
