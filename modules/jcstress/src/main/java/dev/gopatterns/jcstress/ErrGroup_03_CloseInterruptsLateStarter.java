package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.sync.ErrGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The owner starts a task that blocks for ever and closes the group at once, without {@code await}: the
 * early-exit path of {@code try (ErrGroup g = ...) { g.go(...); throw ...; }}. {@code close} must cancel the task
 * and wait for it, however late the task's thread starts. Meanwhile the other actor cancels the group's parent
 * context, so the group's context ends either by close's own cancel or by the parent's, from the other thread.
 *
 * <p>This is the bug {@code ErrGroup} had before it ran its tasks inside an {@code InterruptScope}. {@code go}
 * only schedules the task's virtual thread; the owner reaches {@code close} within a microsecond, usually before
 * that thread has run a single instruction. The old {@code close} cancelled the context, then interrupted the task
 * threads it knew of; a task thread that started after that found the context already done, and ran the task with
 * no interrupt at all (as Go does, but a Go task sees {@code ctx.Done()} closed; a Java task blocked in
 * {@code receive} sees nothing). The task blocked for ever, and {@code close} with it. Here that is a hang: the owner
 * actor never returns, and jcstress reports a timed-out run after a long wait. The same bug shows when the parent's
 * cancel comes first: the task starts in a done context and nobody ever interrupts it. A {@code close} that did
 * not wait for the task would show up as {@code running}.
 *
 * <p>The task records whether the group's context was already done at its first statement: {@code late start} is
 * the window of the old bug, {@code early start} the task that was running before the cancel (interrupted by the
 * scope's sweep rather than at entry). Both must be seen, or the test does not cover what it claims to.
 *
 * <pre>{@code
 * // Go: the task would watch ctx.Done() itself.
 * g, ctx := errgroup.WithContext(parent)
 * g.Go(func() error { select { case <-never: case <-ctx.Done(): }; return ctx.Err() })
 * go cancelParent()
 * g.Wait()   // returns, whoever cancelled first
 * }</pre>
 *
 * <p>Results: whether the task started in a done context; whether it had ended when {@code close} returned; how
 * close returned; whose cancel ended the group's context.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t ErrGroup_03"}
 */
@JCStressTest
@Outcome(id = "late start, ended, returned, .*", expect = ACCEPTABLE_INTERESTING,
        desc = "The old bug's window: the task's thread started after the context ended; the scope interrupted it "
                + "at entry, and close waited for it.")
@Outcome(id = "early start, ended, returned, .*", expect = ACCEPTABLE,
        desc = "The task was running before the context ended; the scope's sweep interrupted it, and close waited.")
@Outcome(id = ".*, ended, reported the cancellation, parent", expect = ACCEPTABLE,
        desc = "The parent's cancel ended the task before close marked the cancellation as its own; close "
                + "reported the task's ContextCanceledException, which no await had reported.")
@Outcome(id = ".*, running, .*", expect = FORBIDDEN, desc = "close returned while its task was still running.")
@Outcome(expect = FORBIDDEN,
        desc = "close threw something else, reported close's own cancellation as a failure, or the task ended twice.")
@State
public class ErrGroup_03_CloseInterruptsLateStarter {

    /** The parent's cancellation cause: it tells whose cancel ended the group's context. */
    static final Exception PARENT_GONE = new Exception("parent cancelled");

    final CancellableContext parent = Context.withCancel(Context.background());
    final ErrGroup group = ErrGroup.withContext(parent);
    final Channel<Integer> never = Channel.unbuffered();
    final AtomicInteger ended = new AtomicInteger();
    volatile String start;

    @Actor
    public void owner(LLLL_Result r) {
        try {
            group.go(() -> {
                start = group.context().isDone() ? "late start" : "early start";
                try {
                    never.receive();
                } finally {
                    ended.incrementAndGet();
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // no limit is set, so go never waits: this cannot happen
            r.r1 = "go interrupted";
            return;
        }
        try {
            group.close();
            r.r3 = "returned";
        } catch (ExecutionException e) {
            r.r3 = e.getCause() instanceof ContextException ? "reported the cancellation" : "threw " + e.getCause();
        }
        int n = ended.get();
        r.r1 = start; // published by the task before it ended, so it is set whenever n == 1
        r.r2 = n == 1 ? "ended" : n == 0 ? "running" : "ended " + n + " times";
        r.r4 = group.context().cause().orElse(null) == PARENT_GONE ? "parent" : "close";
    }

    @Actor
    public void parentCanceller() {
        parent.cancel(PARENT_GONE);
    }
}
