package dev.gopatterns.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ContextTest {

    private static boolean closed(Context ctx) {
        return ctx.done().tryReceive() instanceof Received.Closed<Void>;
    }

    @Test
    @DisplayName("Background is never done: nil done channel, no error, no deadline, no values")
    void background() {
        Context bg = Context.background();
        assertThat(bg.isDone()).isFalse();
        assertThat(bg.err()).isEmpty();
        assertThat(bg.cause()).isEmpty();
        assertThat(bg.deadline()).isEmpty();
        assertThat(bg.done().tryReceive()).isEqualTo(TryReceived.notReady());
        assertThat(bg.value(Context.Key.of("k"))).isEmpty();
        assertThat(bg).hasToString("context.Background");
        assertThat(Context.todo()).hasToString("context.TODO");
    }

    @Test
    @DisplayName("cancel closes done, sets err to Canceled, and is idempotent")
    void cancel() {
        CancellableContext ctx = Context.withCancel(Context.background());
        assertThat(ctx.isDone()).isFalse();
        assertThat(ctx.done().tryReceive()).isEqualTo(TryReceived.notReady());
        ctx.cancel(new IllegalStateException("first"));
        assertThat(closed(ctx)).isTrue();
        assertThat(ctx.err()).get().isInstanceOf(ContextCanceledException.class)
                .extracting(Throwable::getMessage).isEqualTo("context canceled");
        ContextException firstErr = ctx.err().orElseThrow();
        ctx.cancel(new IllegalStateException("second"));
        ctx.cancel();
        ctx.close();
        assertThat(ctx.err()).containsSame(firstErr);
        assertThat(ctx.cause()).get().extracting(Throwable::getMessage).isEqualTo("first");
        assertThatThrownBy(ctx::throwIfDone).isSameAs(firstErr);
    }

    @Test
    @DisplayName("without a cause, cause() is err(); done() created after the cancel is already closed")
    void causeDefaultsToErr() {
        CancellableContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThat(ctx.cause()).containsSame(ctx.err().orElseThrow());
        assertThat(closed(ctx)).isTrue();
    }

    @Test
    @DisplayName("cancelling a parent cancels every descendant, through value contexts, before cancel returns")
    void parentReachesEveryDescendant() {
        CancellableContext root = Context.withCancel(Context.background());
        List<Context> all = new ArrayList<>();
        Context.Key<String> k = Context.Key.of("k");
        for (int i = 0; i < 3; i++) {
            Context a = Context.withValue(Context.withCancel(root), k, "a" + i);
            all.add(a);
            for (int j = 0; j < 3; j++) {
                CancellableContext b = Context.withCancel(a);
                all.add(b);
                all.add(Context.withTimeout(b, Duration.ofHours(1)));
            }
        }
        root.cancel(new RuntimeException("shutdown"));
        for (Context c : all) {
            assertThat(c.isDone()).as("%s is done", c).isTrue();
            assertThat(closed(c)).isTrue();
            assertThat(c.err()).get().isInstanceOf(ContextCanceledException.class);
            assertThat(c.cause()).get().extracting(Throwable::getMessage).isEqualTo("shutdown");
        }
    }

    @Test
    @DisplayName("cancelling a child leaves the parent live and detaches the child from it")
    void childDetaches() {
        CancellableContext parent = Context.withCancel(Context.background());
        for (int i = 0; i < 10_000; i++) {
            try (CancellableContext child = Context.withCancel(parent)) {
                Context.withTimeout(child, Duration.ofHours(1));
            }
        }
        assertThat(parent.isDone()).isFalse();
        assertThat(((CancelCtx) parent).childCount()).as("children still registered with a long-lived parent")
                .isZero();
    }

    @Test
    @DisplayName("a child of a cancelled parent is born cancelled")
    void childOfCancelledParent() {
        CancellableContext parent = Context.withCancel(Context.background());
        parent.cancel();
        CancellableContext child = Context.withCancel(parent);
        assertThat(child.isDone()).isTrue();
        assertThat(child.err()).containsSame(parent.err().orElseThrow());
    }

    @Test
    @DisplayName("withTimeout ends with DeadlineExceeded when its clock passes the deadline, and not before")
    void timeout() {
        FakeClock clock = new FakeClock();
        Context root = Context.background(clock);
        CancellableContext ctx = Context.withTimeoutCause(root, Duration.ofSeconds(2), new RuntimeException("slow"));
        assertThat(ctx.deadline()).hasValue(clock.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        clock.advance(Duration.ofMillis(1999));
        assertThat(ctx.isDone()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(ctx.err()).get().isInstanceOf(DeadlineExceededException.class)
                .extracting(Throwable::getMessage).isEqualTo("context deadline exceeded");
        assertThat(ctx.cause()).get().extracting(Throwable::getMessage).isEqualTo("slow");
        assertThat(closed(ctx)).isTrue();
    }

    @Test
    @DisplayName("cancelling a timeout context early stops its timer; a later deadline than the parent's is the parent's")
    void timerStoppedAndParentDeadlineWins() {
        FakeClock clock = new FakeClock();
        Context root = Context.background(clock);
        CancellableContext outer = Context.withTimeout(root, Duration.ofSeconds(1));
        CancellableContext inner = Context.withTimeout(outer, Duration.ofSeconds(10));
        assertThat(inner.deadline()).isEqualTo(outer.deadline());
        assertThat(clock.pendingTasks()).as("only the outer deadline needs a timer").isEqualTo(1);
        outer.cancel();
        assertThat(clock.pendingTasks()).as("cancel releases the timer").isZero();
        assertThat(inner.err()).get().isInstanceOf(ContextCanceledException.class);
    }

    @Test
    @DisplayName("a deadline already in the past gives a context that is born DeadlineExceeded")
    void pastDeadline() {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withDeadline(Context.background(clock), clock.nanoTime() - 1);
        assertThat(ctx.err()).get().isInstanceOf(DeadlineExceededException.class);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("values are found in the nearest ancestor that has the key; keys compare by identity")
    void values() {
        Context.Key<String> user = Context.Key.of("user");
        Context.Key<String> otherUser = Context.Key.of("user");
        Context a = Context.withValue(Context.background(), user, "ann");
        Context b = Context.withValue(Context.withCancel(a), user, "bob");
        assertThat(a.value(user)).hasValue("ann");
        assertThat(b.value(user)).hasValue("bob");
        assertThat(b.value(otherUser)).as("a different key with the same name").isEmpty();
        assertThatThrownBy(() -> Context.withValue(a, user, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("withoutCancel keeps values and clock but survives the parent's cancel")
    void withoutCancel() {
        Context.Key<Integer> k = Context.Key.of("k");
        FakeClock clock = new FakeClock();
        CancellableContext parent = Context.withCancel(Context.withValue(Context.background(clock), k, 7));
        Context detached = Context.withoutCancel(parent);
        CancellableContext childOfDetached = Context.withCancel(detached);
        parent.cancel();
        assertThat(detached.isDone()).isFalse();
        assertThat(childOfDetached.isDone()).isFalse();
        assertThat(detached.value(k)).hasValue(7);
        assertThat(detached.clock()).isSameAs(clock);
        assertThat(detached.deadline()).isEmpty();
    }

    @Test
    @DisplayName("afterFunc runs once in its own thread after cancel; stop before cancel prevents it")
    void afterFunc() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Context.Stop stop = Context.afterFunc(ctx, () -> {
            runs.incrementAndGet();
            ran.countDown();
        });
        CancellableContext other = Context.withCancel(Context.background());
        Context.Stop stopped = Context.afterFunc(other, runs::incrementAndGet);
        assertThat(stopped.stop()).as("stop before the context ends").isTrue();
        assertThat(stopped.stop()).as("stop twice").isFalse();
        other.cancel();
        ctx.cancel();
        ctx.cancel();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stop.stop()).as("stop after it started").isFalse();
        Await.until("no more runs", () -> runs.get() >= 1);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(((CancelCtx) other).childCount()).isZero();
    }

    @Test
    @DisplayName("afterFunc on a context that is already done runs at once")
    void afterFuncOnDone() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        CountDownLatch ran = new CountDownLatch(1);
        Context.afterFunc(ctx, ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("done() works as a select case: a blocked select wakes when the context is cancelled")
    void doneInSelect() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> jobs = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("worker", () -> Select.select(
                    jobs.onReceive(j -> "job " + j), ctx.onDone(() -> "stopped: " + ctx.err().orElseThrow().getMessage())));
            Await.blocked(threads.threads().getFirst());
            ctx.cancel();
            assertThat(r.get()).isEqualTo("stopped: context canceled");
        }
    }

    @Test
    @DisplayName("context-aware send throws the context's error when cancelled while blocked, and sends nothing")
    void contextAwareSend() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> ch = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ContextException> r = threads.submitExpecting("sender", ContextException.class,
                    () -> ctx.send(ch, "x"));
            Await.blocked(threads.threads().getFirst());
            ctx.cancel();
            assertThat(r.get()).isInstanceOf(ContextCanceledException.class);
        }
        assertThat(ch.tryReceive()).isEqualTo(TryReceived.notReady());
        assertThatThrownBy(() -> ctx.send(ch, "y")).as("already done: checked first").isInstanceOf(ContextCanceledException.class);
    }

    @Test
    @DisplayName("context-aware receive returns values and Closed, and throws when the deadline passes")
    void contextAwareReceive() throws Exception {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withTimeout(Context.background(clock), Duration.ofSeconds(1));
        Channel<String> ch = Channel.buffered(1);
        ch.send("v");
        assertThat(ctx.receive(ch)).isEqualTo(new Received.Value<>("v"));
        try (TestThreads threads = TestThreads.virtual()) {
            Future<ContextException> r = threads.submitExpecting("receiver", ContextException.class,
                    () -> ctx.receive(ch));
            Await.blocked(threads.threads().getFirst());
            clock.advance(Duration.ofSeconds(1));
            assertThat(r.get()).isInstanceOf(DeadlineExceededException.class);
        }
        Channel<String> closed = Channel.unbuffered();
        closed.close();
        assertThat(Context.background().receive(closed)).isEqualTo(Received.closed());
    }

    @Test
    @DisplayName("call() interrupts the task when the context ends and reports the context's error, not silence")
    void callInterruptsOnCancel() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> never = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("worker", () -> {
                try {
                    return Context.call(ctx, never::receive);
                } catch (ContextCanceledException e) {
                    return "canceled, suppressed " + e.getSuppressed()[0].getClass().getSimpleName()
                            + ", flag " + Thread.currentThread().isInterrupted();
                }
            });
            Await.blocked(threads.threads().getFirst());
            ctx.cancel();
            assertThat(r.get()).isEqualTo("canceled, suppressed InterruptedException, flag false");
        }
    }

    @Test
    @DisplayName("call() leaves no interrupt behind when the task finishes normally, and passes outside interrupts on")
    void callLeavesNoStrayInterrupt() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        String r = Context.call(ctx, () -> {
            ctx.cancel(); // the context ends while the task is still running, but the task completes
            return "done";
        });
        assertThat(r).isEqualTo("done");
        assertThat(Thread.currentThread().isInterrupted()).as("the context's interrupt was consumed").isFalse();

        CancellableContext live = Context.withCancel(Context.background());
        assertThatThrownBy(() -> Context.call(live, () -> {
            Thread.currentThread().interrupt(); // someone else's interrupt
            Channel.unbuffered().receive();
            return null;
        })).isInstanceOf(InterruptedException.class);
        assertThat(((CancelCtx) live).childCount()).as("call() unregisters its hook").isZero();
        assertThatThrownBy(() -> Context.call(ctx, () -> "never")).isInstanceOf(ContextCanceledException.class);
    }

    @Test
    @DisplayName("a second, concurrent cancel also returns only after every descendant is cancelled")
    void concurrentCancelWaitsForDescendants() throws Exception {
        for (int round = 0; round < 200; round++) {
            CancellableContext root = Context.withCancel(Context.background());
            List<CancellableContext> leaves = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                leaves.add(Context.withCancel(Context.withCancel(root)));
            }
            try (TestThreads threads = TestThreads.platform()) {
                for (int t = 0; t < 2; t++) {
                    threads.start("canceller-" + t, () -> {
                        root.cancel();
                        for (CancellableContext leaf : leaves) {
                            assertThat(leaf.isDone()).as("a leaf after cancel() returned").isTrue();
                        }
                    });
                }
            }
        }
    }

    @Test
    @DisplayName("a child created while its parent is being cancelled always ends up cancelled")
    void cancelRacingChildCreation() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            CancellableContext parent = Context.withCancel(Context.background());
            try (TestThreads threads = TestThreads.platform()) {
                Future<CancellableContext> child = threads.submit("creator", () -> Context.withCancel(parent));
                parent.cancel();
                assertThat(child.get().isDone()).as("round %d", round).isTrue();
            }
        }
    }

    @Test
    @DisplayName("a cancelled context's error is one instance: every err() and cause() returns it, from any thread")
    void errorIsOneInstanceMadeOnDemand() throws Exception {
        CancellableContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        assertThat(ctx.isDone()).isTrue();
        ContextException first = ctx.err().orElseThrow();
        assertThat(first).isInstanceOf(ContextCanceledException.class).hasMessage("context canceled");
        assertThat(ctx.err().orElseThrow()).isSameAs(first);
        assertThat(ctx.cause().orElseThrow()).isSameAs(first);

        for (int round = 0; round < 200; round++) { // racing the first err(): the CAS makes one, everyone sees it
            CancellableContext c = Context.withCancel(Context.background());
            c.cancel();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ContextException>> seen = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                for (int t = 0; t < 2; t++) {
                    seen.add(pool.submit(() -> {
                        go.await();
                        return c.err().orElseThrow();
                    }));
                }
                go.countDown();
                assertThat(seen.get(0).get(5, TimeUnit.SECONDS)).as("round %d", round)
                        .isSameAs(seen.get(1).get(5, TimeUnit.SECONDS)).isSameAs(c.cause().orElseThrow());
            }
        }
    }

    @Test
    @DisplayName("children share their parent's error: cancelled with it, or created after it")
    void childrenShareTheParentsError() {
        CancellableContext parent = Context.withCancel(Context.background());
        CancellableContext before = Context.withCancel(parent);
        Context.Stop stop = Context.afterFunc(parent, () -> {});
        parent.cancel();
        ContextException err = parent.err().orElseThrow();
        assertThat(before.err().orElseThrow()).isSameAs(err);
        assertThat(before.cause().orElseThrow()).isSameAs(err);
        assertThat(Context.withCancel(parent).err().orElseThrow()).isSameAs(err);
        assertThat(stop.stop()).isFalse();

        CancellableContext withCause = Context.withCancel(Context.background());
        CancellableContext child = Context.withCancel(withCause);
        IllegalStateException why = new IllegalStateException("why");
        withCause.cancel(why);
        assertThat(child.err().orElseThrow()).isSameAs(withCause.err().orElseThrow());
        assertThat(child.cause()).contains(why);
        assertThat(withCause.cause()).contains(why);
    }
}
