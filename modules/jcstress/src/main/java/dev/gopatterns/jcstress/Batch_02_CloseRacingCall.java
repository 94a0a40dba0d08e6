package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.batch.Batcher;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * {@code close()} racing a {@code call()}. The batcher would hold the item for an hour or until ten more came
 * ({@code maxSize(10)}, {@code maxWait} of an hour on a {@link FakeClock} that never moves), so only the close can
 * send it. Either the dispatcher took the item before the close: {@code close()} sends it as a final batch and
 * returns only once that batch has run and replied, so the call returns its result and, when {@code close()}
 * returns, the batch function has run and the metrics count one batch of one item, sent on close. Or the close
 * came first: the call throws {@link IllegalStateException} ("batcher 'jcstress' is closed: it takes no more
 * items"), the batch function never sees the item, and nothing is counted. Never both (an item processed for a
 * caller told it was refused), never neither (a call left waiting for a reply that never comes), never the
 * batcher's context error (close ends that context after its last batch, but a call it refused was refused as
 * closed), and a later {@code close()} or {@code call()} behaves as after any close: the close returns, the call
 * is refused.
 *
 * <p>An actor must end on its own, and a call whose request was lost would wait for ever. Once {@code close()}
 * has returned, though, the call needs nobody's help (it has its reply, or its send has seen the closed channel),
 * so the closing actor waits for it, a second at most, and then cancels the call's context: a call that ends
 * that way reports {@code hung}.
 *
 * <p>It catches a send counted as accepted after it lost to the close (the caller waits for ever), a close that
 * drops the pending batch instead of sending it, a close that returns before the final batch has run (the batch
 * function has not run yet when it returns, though the caller gets a result), a refusal reported as something
 * else (a call racing the close used to get the batcher's context error: see the essay in {@code Batcher}), and a
 * second close that throws.
 *
 * <pre>{@code
 * // Go: the caller's send racing close(reqs) would panic ("send on closed channel"), so Go batchers guard it
 * mu.RLock()
 * if closed { mu.RUnlock(); return ErrClosed }
 * reqs <- r                           // taken by the dispatcher, which flushes everything left when reqs closes
 * mu.RUnlock()
 * return <-r.reply
 * }</pre>
 *
 * <p>r1: what the call got: its result {@code rx}, {@code closed} for the refusal, {@code hung}, or the exception;
 * r2: the metrics when {@code close()} returned (batches, of them sent on close, items, items pending) and how
 * many batches the batch function had run by then; r3: the batches the batch function got ({@code none}, or each
 * batch's items), what a second {@code close()} did, and what a {@code call()} after it got.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t Batch_02"}
 */
@JCStressTest
@Outcome(id = "rx, batches=1 onClose=1 items=1 pending=0 ran=1, x; closed again; late call closed",
        expect = ACCEPTABLE,
        desc = "The call came first: its item was taken, and close sent it as a final batch before returning.")
@Outcome(id = "closed, batches=0 onClose=0 items=0 pending=0 ran=0, none; closed again; late call closed",
        expect = ACCEPTABLE_INTERESTING,
        desc = "The close came first: the call was refused as closed, and its item never reached the function.")
@Outcome(id = "closed, batches=1.*", expect = FORBIDDEN,
        desc = "The item was processed, yet its caller was told the batcher was closed.")
@Outcome(id = "rx, .* ran=0, .*", expect = FORBIDDEN,
        desc = "close returned before the final batch had run: it did not wait for it.")
@Outcome(id = "ContextCanceledException, .*", expect = FORBIDDEN,
        desc = "The batcher's context error instead of the refusal: the call's select was built after close had "
                + "ended that context too, and picked it (fixed in Batcher.call).")
@Outcome(id = "hung, .*", expect = FORBIDDEN,
        desc = "The call never ended after close returned: its request was lost, or its batch never replied.")
@Outcome(expect = FORBIDDEN,
        desc = "Another answer or exception, counts that do not match the batches, a second close that threw, or "
                + "a call after close that was not refused.")
@State
public class Batch_02_CloseRacingCall {

    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final Batcher<String, String> batcher = Batcher.<String, String>builder((ctx, items) -> {
        batches.add(items);
        List<String> out = new ArrayList<>(items.size());
        for (String item : items) {
            out.add("r" + item);
        }
        return out;
    }).name("jcstress").parent(Context.background(new FakeClock())).maxSize(10).maxWait(Duration.ofHours(1))
            .build();
    /** The call's context, cancelled only if the call is still waiting a second after close returned. */
    final CancellableContext callerCtx = Context.withCancel(Context.background());
    volatile boolean callEnded;

    @Actor
    public void caller(LLL_Result r) {
        try {
            r.r1 = call(callerCtx, "x");
        } finally {
            callEnded = true;
        }
    }

    @Actor
    public void closer(LLL_Result r) {
        batcher.close();
        Batcher.Metrics m = batcher.metrics();
        r.r2 = "batches=" + m.batches() + " onClose=" + m.flushedOnClose() + " items=" + m.items()
                + " pending=" + m.pending() + " ran=" + batches.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!callEnded && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000);
        }
        if (!callEnded) {
            callerCtx.cancel(); // it would wait for ever: free it, and it reports "hung"
        }
    }

    @Arbiter
    public void arbiter(LLL_Result r) {
        StringBuilder s = new StringBuilder();
        for (List<String> batch : batches) {
            s.append(s.isEmpty() ? "" : " ").append(batch.isEmpty() ? "empty" : String.join("", batch));
        }
        s.append(s.isEmpty() ? "none" : "");
        try {
            batcher.close();
            s.append("; closed again");
        } catch (RuntimeException e) {
            s.append("; a second close threw ").append(e);
        }
        s.append("; late call ").append(call(Context.background(), "y"));
        callerCtx.cancel();
        r.r3 = s.toString();
    }

    private String call(Context ctx, String item) {
        try {
            return batcher.call(ctx, item);
        } catch (ContextException e) { // an IllegalStateException too: the call's own, or the batcher's context's
            return ctx.isDone() ? "hung" : e.getClass().getSimpleName();
        } catch (IllegalStateException e) {
            return "batcher 'jcstress' is closed: it takes no more items".equals(e.getMessage()) ? "closed"
                    : e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
