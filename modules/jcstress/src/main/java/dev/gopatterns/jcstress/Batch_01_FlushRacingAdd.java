package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.batch.Batcher;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A batch's timer racing the add that fills it. The batcher sends a batch at two items ({@code maxSize(2)}) or
 * when its oldest item has waited {@code maxWait}, on a {@link FakeClock}. Item {@code a} is pending before the
 * actors start: its caller is a thread the state starts, and the state waits until the dispatcher is parked on
 * {@code a}'s timer. Then one actor starts the caller of {@code b} while the other advances the clock by
 * {@code maxWait}, which wakes the dispatcher to send {@code a}'s batch. Either {@code b} reaches the dispatcher
 * first: the batch {@code [a, b]} is full and goes at once. Or the timer does: {@code [a]} goes alone, and
 * {@code b} starts the next batch, which waits (the clock moves no more) until the arbiter's {@code close()} sends
 * it. Whatever the order, each item is in exactly one batch, no batch is empty, and each caller gets the result of
 * its own item.
 *
 * <p>The callers are threads, not actors, because a caller whose item lost the race waits for {@code close()},
 * which only the arbiter may call (an actor must end on its own). The arbiter first waits, a second at most, until
 * the dispatcher holds {@code b} (in a batch sent, or pending), so that its {@code close()} flushes {@code b}
 * rather than refusing a call that had not sent yet; then it closes the batcher (which waits for every batch to
 * run and reply) and joins both callers, a second at most each.
 *
 * <p>It catches a flush that sends the pending batch but leaves it pending (an item in two batches), a timer flush
 * and a full flush both taken for one batch, an item dropped between the timer's flush and the next batch, an
 * empty batch sent when the timer fires after a full flush, and results paired with the wrong callers.
 *
 * <pre>{@code
 * // Go: the dispatcher, with a in the batch and its timer running
 * select {
 * case r := <-reqs:  batch = append(batch, r); if len(batch) == max { flush(batch); batch = nil }  // b won
 * case <-timer.C:    flush(batch); batch = nil                                                     // the timer won
 * }
 * }</pre>
 *
 * <p>r1: the batches the batch function got, in order, each as its items ({@code ab} is one batch of {@code a}
 * and {@code b}; {@code a b} two batches), {@code empty} for an empty one; r2: what the callers of {@code a} and
 * {@code b} got (the function's result for item {@code i} is {@code ri}); r3: the batcher's metrics after
 * {@code close}, the batches sent full, on time and on close and the items still pending, then how many caller
 * threads were still alive after the joins.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Batch_01"}
 */
@JCStressTest
@Outcome(id = "ab, ra rb, full=1 onTime=0 onClose=0 pending=0 alive=0", expect = ACCEPTABLE,
        desc = "The add won: b filled a's batch, which was sent full before the timer could fire.")
@Outcome(id = "a b, ra rb, full=0 onTime=1 onClose=1 pending=0 alive=0", expect = ACCEPTABLE_INTERESTING,
        desc = "The timer won: [a] was sent on time; b started the next batch, sent by close.")
@Outcome(id = "([^,]*a[^,]*a|[^,]*b[^,]*b).*", expect = FORBIDDEN,
        desc = "An item in two batches (or more): a flush sent the batch and left it pending.")
@Outcome(id = "(.* )?empty[ ,].*", expect = FORBIDDEN, desc = "An empty batch was sent.")
@Outcome(id = ".*, rb ra, .*", expect = FORBIDDEN, desc = "The results went to the wrong callers.")
@Outcome(expect = FORBIDDEN,
        desc = "An item lost or refused, a batch out of order, counts that do not match the batches, an item "
                + "left pending after close, or a caller still waiting after close.")
@State
public class Batch_01_FlushRacingAdd {

    static final Duration MAX_WAIT = Duration.ofMillis(10);

    final FakeClock clock = new FakeClock();
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final Batcher<String, String> batcher = Batcher.<String, String>builder((ctx, items) -> {
        batches.add(items);
        List<String> out = new ArrayList<>(items.size());
        for (String item : items) {
            out.add("r" + item);
        }
        return out;
    }).name("jcstress").parent(Context.background(clock)).maxSize(2).maxWait(MAX_WAIT).build();
    final Caller a;
    volatile Caller b;

    /** A thread that calls the batcher with one item, and what it got. */
    final class Caller {
        final Thread thread;
        volatile String got = "no answer";

        Caller(String item) {
            thread = Thread.ofVirtual().start(() -> got = call(item));
        }
    }

    public Batch_01_FlushRacingAdd() {
        a = new Caller("a");
        try {
            // A sleeper on the clock is the dispatcher waiting on a's timer: a is pending, the timer armed.
            clock.awaitSleepers(1, Duration.ofSeconds(10));
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private String call(String item) {
        try {
            return batcher.call(Context.background(), item);
        } catch (ContextException e) { // an IllegalStateException too
            return e.getClass().getSimpleName();
        } catch (IllegalStateException e) {
            return "refused";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Actor
    public void adder() {
        b = new Caller("b");
    }

    @Actor
    public void timer() {
        clock.advance(MAX_WAIT); // a's deadline: the dispatcher wakes to send a's batch
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (;;) {
            Batcher.Metrics m = batcher.metrics(); // items is read before pending: a flush never counts twice
            if (m.items() + m.pending() >= 2 || System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(10_000);
        }
        batcher.close();
        int alive = join(a) + join(b);
        StringBuilder sent = new StringBuilder();
        for (List<String> batch : batches) {
            sent.append(sent.isEmpty() ? "" : " ").append(batch.isEmpty() ? "empty" : String.join("", batch));
        }
        r.r1 = sent.isEmpty() ? "none" : sent.toString();
        r.r2 = a.got + " " + b.got;
        Batcher.Metrics m = batcher.metrics();
        r.r3 = "full=" + m.flushedFull() + " onTime=" + m.flushedOnTime() + " onClose=" + m.flushedOnClose()
                + " pending=" + m.pending() + " alive=" + alive;
    }

    /** 1 if the caller's thread is still alive after a second. */
    private static int join(Caller c) {
        try {
            return c.thread.join(Duration.ofSeconds(1)) ? 0 : 1;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
