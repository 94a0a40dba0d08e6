package dev.gopatterns.exercises.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `batcher`: what {@link Batcher#start} must do. Time is a {@link FakeClock} that only the test moves, so a
 * batcher that waits on the system clock or sleeps never sends a batch on time. The test sends the items itself on
 * an unbuffered channel (a send returns once the batcher has taken the item) and then waits until the batcher's
 * thread is parked, blocked in its select: so it knows the item, or the move of the clock, was handled before it
 * looks for a batch. A batcher that polls is never parked, and is told so. Every read is bounded by a second;
 * nothing sleeps. Every thread the batcher starts must have ended when a test returns.
 *
 * <p>How to run: {@code ./learn check batcher}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `batcher`: a batch is sent when it is full or when its oldest item has waited maxWait")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatcherTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);
    /** How long the batcher's thread may take to park after an event: it takes microseconds unless it polls. */
    private static final Duration PARK_LIMIT = Duration.ofSeconds(2);

    @Test
    @Order(1)
    @DisplayName("a batch is sent as soon as it holds maxSize items, without waiting for maxWait")
    void fullBatchIsSentAtOnce() throws Exception {
        try (Run run = new Run(3)) {
            Supplier<String> notSent = () -> "no batch within 1 s of the third item, with maxSize 3 and the clock"
                    + " standing still: a batch holding maxSize items must be sent at once, without waiting for"
                    + " maxWait";
            run.give("a", "b", "c");
            run.expectBatch(List.of("a", "b", "c"), notSent, OPEN);
            run.give("d", "e", "f");
            run.expectBatch(List.of("d", "e", "f"), notSent, OPEN);
            run.give("g");
            run.expectNoBatch("with 1 item pending and the clock standing still", b -> "the batch " + b + " was"
                    + " sent before it held maxSize (3) items and before its first item had waited maxWait: a batch"
                    + " is sent when it is full or when its oldest item has waited maxWait, not before");
        }
    }

    @Test
    @Order(2)
    @DisplayName("a partial batch is sent when its first item has waited maxWait on the given clock")
    void partialBatchIsSentMaxWaitAfterItsFirstItem() throws Exception {
        try (Run run = new Run(10)) {
            Function<List<String>, String> early = b -> "the batch " + b + " was sent when its first item had"
                    + " waited only " + run.waited() + ", before maxWait (1 min): start the timer with the first item"
                    + " of a batch, Timer.start(clock, maxWait); a Ticker started with the batcher ticks wherever its"
                    + " period falls, too early for an item that came just before a tick";
            run.advance(Duration.ofSeconds(40)); // idle: nothing to send
            run.expectNoBatch("40 s after the batcher started, with no item sent", early);
            run.give("a"); // at 40 s
            run.advance(Duration.ofSeconds(30));
            run.expectNoBatch("when its first item had waited 30 s of maxWait's 60", early);
            run.give("b"); // at 70 s
            run.advance(Duration.ofSeconds(29));
            run.expectNoBatch("when its first item had waited 59 s of maxWait's 60", early);
            run.advance(Duration.ofSeconds(1)); // 100 s: a has waited maxWait
            run.expectBatch(List.of("a", "b"), () -> run.clock.pendingTasks() == 0
                    ? "no batch within 1 s after its first item had waited maxWait (1 min) on the batcher's clock,"
                            + " and the batcher has no timer on that clock: start the Timer on the given clock,"
                            + " Timer.start(clock, maxWait), not on the system clock (Timer.start(maxWait)) or with"
                            + " Thread.sleep, which the test's clock does not move"
                    : "no batch within 1 s after its first item had waited maxWait (1 min); a second item came 30 s"
                            + " after the first: the oldest item waited longer than maxWait. Start the timer with the"
                            + " first item of a batch only: a timer restarted by every item lets a steady trickle"
                            + " hold a batch back for ever", OPEN);
            run.give("c"); // at 100 s: the next batch's timer starts with its own first item
            run.advance(Duration.ofSeconds(59));
            run.expectNoBatch("when the first item of the second batch had waited 59 s", early);
            run.advance(Duration.ofSeconds(1));
            run.expectBatch(List.of("c"), () -> "no second batch within 1 s after its first item had waited maxWait:"
                    + " every batch starts a timer of its own with its first item", OPEN);
        }
    }

    @Test
    @Order(3)
    @DisplayName("a batch sent full stops its timer: the next batch waits maxWait from its own first item")
    void sizeFlushStopsTheTimer() throws Exception {
        try (Run run = new Run(2)) {
            run.give("a"); // at 0 s: a's timer is due at 60 s
            run.advance(Duration.ofSeconds(50));
            run.expectNoBatch("when its first item had waited 50 s of maxWait's 60", b -> "the batch " + b
                    + " was sent before it was full or had waited maxWait");
            run.give("b"); // full: sent at once
            run.expectBatch(List.of("a", "b"), () -> "no batch within 1 s of the second item, with maxSize 2: a"
                    + " batch holding maxSize items must be sent at once, without waiting for maxWait", OPEN);
            run.give("c"); // at 50 s: its batch is due at 110 s
            run.advance(Duration.ofSeconds(10)); // 60 s: when the timer of the batch sent full was due
            run.expectNoBatch("10 s after its first item, when the timer of the batch sent full before it was due",
                    b -> "the batch " + b + " was sent when its first item had waited 10 s, at the time the timer of"
                            + " the batch sent full before it was due: a size flush must stop the batch's timer"
                            + " (timer.stop(), and forget it), so that the next batch starts its own with its first"
                            + " item");
            run.advance(Duration.ofSeconds(49));
            run.expectNoBatch("when its first item had waited 59 s of maxWait's 60", b -> "the batch " + b
                    + " was sent before its first item had waited maxWait: a size flush must stop the batch's timer");
            run.advance(Duration.ofSeconds(1));
            run.expectBatch(List.of("c"), () -> "no batch within 1 s after its first item had waited maxWait: after a"
                    + " batch is sent full, the next item starts a new timer", OPEN);
        }
    }

    @Test
    @Order(4)
    @DisplayName("when in is closed, the items pending are sent as a last batch, then the batches channel is closed")
    void lastPartialBatchIsSentWhenInCloses() throws Exception {
        try (Run run = new Run(10)) {
            run.give("a", "b");
            run.in.close();
            run.expectBatch(List.of("a", "b"), () -> "no batch within 1 s after in was closed with 2 items pending"
                    + " and the clock standing still: the last, partial batch must be sent when in is closed, without"
                    + " waiting for maxWait", "the batches channel was closed, but the items still pending (a, b)"
                    + " were never sent: the last, partial batch must be sent when in is closed, before the batches"
                    + " channel is closed");
            run.expectClosed("after the last batch was sent, when in was closed");
            run.awaitEnded("after in was closed and the last batch sent", "the batcher must end when in is closed"
                    + " and drained and its last batch sent");
            Eventually.until(() -> run.clock.pendingTasks() == 0, () -> "the batcher's timer to be stopped after it"
                    + " ended (the clock still has " + run.clock.pendingTasks() + " task(s)): the timer was never"
                    + " stopped. Stop it in the finally that closes the batches channel");
        }
    }

    @Test
    @Order(5)
    @DisplayName("a batch is never empty: none is sent while nothing is pending, nor when in closes with nothing")
    void neverAnEmptyBatch() throws Exception {
        try (Run run = new Run(2)) {
            Function<List<String>, String> unexpected = b -> "the batch " + b + " was sent with nothing due";
            run.advance(MAX_WAIT.multipliedBy(3));
            run.expectNoBatch("3 min after the batcher started, with no item sent", unexpected);
            run.give("a", "b");
            run.expectBatch(List.of("a", "b"), () -> "no batch within 1 s of the second item, with maxSize 2: a"
                    + " batch holding maxSize items must be sent at once", OPEN);
            run.advance(MAX_WAIT.multipliedBy(2));
            run.expectNoBatch("2 min after a batch was sent full, with nothing pending", unexpected);
            run.in.close();
            run.expectClosed("when in was closed with nothing pending");
            run.awaitEnded("after in was closed", "the batcher must end when in is closed and drained");
        }
    }

    @Test
    @Order(6)
    @DisplayName("a batch, once sent, is the reader's: the batcher never touches it again")
    void sentBatchIsNeverTouchedAgain() throws Exception {
        try (Run run = new Run(2)) {
            Supplier<String> notSent = () -> "no batch within 1 s of the second item, with maxSize 2: a batch"
                    + " holding maxSize items must be sent at once";
            run.give("a", "b");
            run.expectBatch(List.of("a", "b"), notSent, OPEN);
            run.give("c", "d");
            run.expectBatch(List.of("c", "d"), notSent, OPEN);
            run.give("e", "f");
            run.expectBatch(List.of("e", "f"), notSent, OPEN);
            run.assertBatchesUntouched();
        }
    }

    @Test
    @Order(7)
    @DisplayName("when ctx ends, the batcher stops, waiting for an item or for a reader of a full batch")
    void ctxEndStopsTheBatcher() throws Exception {
        try (Run run = new Run(10)) {
            run.give("a");
            run.ctx.cancel();
            Received<List<String>> r = Background.within(ONE_SECOND, "reads the batches channel",
                    run.out::receiveOrClosed, () -> "the batches channel was not closed within 1 s after ctx was"
                            + " cancelled while the batcher waited for an item: when ctx ends, the batcher must stop."
                            + " Select on ctx.onDone() beside in and the timer, and close the batches channel when it"
                            + " ends" + run.where());
            if (r instanceof Received.Value<List<String>>(List<String> b)) {
                // Sending what it held before it stops is not required, but not wrong: then it must close.
                assertThat(b).as("the only batch that may come after ctx ended is the one pending")
                        .isEqualTo(List.of("a"));
                run.expectClosed("after ctx was cancelled");
            }
            run.awaitEnded("after ctx was cancelled while it waited for an item", "when ctx ends, the batcher must"
                    + " stop");
            Eventually.until(() -> run.clock.pendingTasks() == 0, () -> "the batcher's timer to be stopped after ctx"
                    + " ended (the clock still has " + run.clock.pendingTasks() + " task(s)): the timer was never"
                    + " stopped");
        }
        try (Run run = new Run(2)) {
            run.give("a", "b"); // a full batch, and nobody reads it
            run.ctx.cancel();
            run.awaitEnded("after ctx was cancelled while it waited for a reader of a full batch", "a batch nobody"
                    + " reads must not hold the batcher after ctx ends: send it in a select with ctx.onDone(), so"
                    + " that the end of ctx stops the wait");
            assertThat(run.out.tryReceive()).as("the batcher ended without closing the batches channel: close it"
                    + " when the batcher ends, whatever the reason").isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    @Order(8)
    @DisplayName("maxSize < 1 and a maxWait that is not positive are refused at once, with messages naming the rule")
    void refusesBadArguments() {
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> in = Channel.make(0);
        try {
            try {
                Batcher.start(ctx, new FakeClock(), in, 0, MAX_WAIT);
                fail("start(..., maxSize 0, ...) returned: a batch of at most 0 items can hold nothing; it must throw"
                        + " IllegalArgumentException(\"maxSize must be >= 1, was 0\")");
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as("the message names the rule").contains("maxSize must be >= 1");
            }
            try {
                Batcher.start(ctx, new FakeClock(), in, 10, Duration.ZERO);
                fail("start(..., maxWait 0) returned: a batch could not wait at all; it must throw"
                        + " IllegalArgumentException(\"maxWait must be > 0, was PT0S\")");
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as("the message names the rule").contains("maxWait must be > 0");
            }
        } finally {
            ctx.cancel();
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static final String OPEN = "the batches channel was closed though in is open and ctx has not ended";

    /**
     * One batcher under test, with maxWait one minute: its clock, context, input and output, the batches it sent
     * with what each held when it arrived, and the threads running its code. Closing it cancels the context,
     * closes the input and drains the output, so that even a batcher that ignores one of them can end.
     */
    private static final class Run implements AutoCloseable {
        final FakeClock clock = new FakeClock();
        final CancellableContext ctx = Context.withCancel(Context.background());
        final Channel<String> in = Channel.make(0);
        final LiveThreads threads = LiveThreads.mark();
        final ReceiveChannel<List<String>> out;
        /** Every batch received, by identity, with what it held when it arrived. */
        private final Map<List<String>, List<String>> received = new IdentityHashMap<>();
        /** When the first item of the batch now pending was given, on the clock; -1 if none is pending. */
        private long firstItemAt = -1;

        Run(int maxSize) throws InterruptedException {
            out = Batcher.start(ctx, clock, in, maxSize, MAX_WAIT);
            try {
                awaitParked("after start");
            } catch (AssertionError e) {
                close(); // the test cannot close what it never got
                throw e;
            }
        }

        /** Sends each item, and waits until the batcher has handled it. */
        void give(String... items) throws InterruptedException {
            for (String item : items) {
                if (!in.send(item, ONE_SECOND)) { // a bound on the system clock, not an ordering device
                    fail("the batcher did not take item '" + item + "' within 1 s: it must receive the items of in"
                            + " while it waits for the next one" + where());
                }
                if (firstItemAt < 0) {
                    firstItemAt = clock.nanoTime();
                }
                awaitParked("after it took item '" + item + "'");
            }
        }

        /** Moves the clock, and waits until the batcher has handled what fell due. */
        void advance(Duration d) {
            clock.advance(d);
            awaitParked("after the clock moved " + d.toSeconds() + " s");
        }

        /** How long the first pending item has waited, on the clock, as "30 s". */
        String waited() {
            return firstItemAt < 0 ? "no time (no item was pending)"
                    : Duration.ofNanos(clock.nanoTime() - firstItemAt).toSeconds() + " s";
        }

        /** Fails if a batch is ready now, or the batches channel is closed. */
        void expectNoBatch(String when, Function<List<String>, String> ifSent) {
            awaitSettled();
            switch (out.tryReceive()) {
                case TryReceived.NotReady<List<String>>() -> { }
                case Received.Value<List<String>>(List<String> b) -> {
                    if (b.isEmpty()) {
                        fail("an empty batch was sent " + when + ": never send an empty batch. With nothing pending"
                                + " there must be no timer to fire (start it with the first item of a batch, stop"
                                + " it when the batch is sent), and a closing in sends a last batch only if it holds"
                                + " items");
                    }
                    fail(ifSent.apply(b) + " (" + when + ")");
                }
                case Received.Closed<List<String>>() -> fail(OPEN + " (" + when + ")");
            }
        }

        /** Receives the next batch, which must be {@code expected}, and checks that no batch sent is touched. */
        List<String> expectBatch(List<String> expected, Supplier<String> ifNone, String ifClosed) throws Exception {
            Received<List<String>> r = Background.within(ONE_SECOND, "reads a batch", out::receiveOrClosed,
                    () -> ifNone.get() + where());
            if (!(r instanceof Received.Value<List<String>>(List<String> b))) {
                fail(ifClosed);
                throw new AssertionError("unreachable");
            }
            List<String> seen = List.copyOf(b); // what it holds as it arrives
            awaitSettled(); // the batcher has done all it does after the send
            if (received.containsKey(b)) {
                fail("the batch " + b + " is the very list of a batch sent before: a batch changed after it was"
                        + " sent. Once a batch is sent it is the reader's: make a new list for the next items");
            }
            received.put(b, seen);
            assertBatchesUntouched();
            if (seen.isEmpty()) {
                fail("an empty batch arrived where " + expected + " was due: never send an empty batch. (A batch"
                        + " cleared for the next items once it was sent arrives empty too: a batch changed after it"
                        + " was sent. Make a new list for the next items instead)");
            }
            assertThat(seen).as("the batch holds the items in the order they were sent; at most maxSize of them")
                    .isEqualTo(expected);
            firstItemAt = -1;
            return b;
        }

        /** Fails if a batch received has changed since it arrived. */
        void assertBatchesUntouched() {
            received.forEach((batch, seen) -> {
                if (!batch.equals(seen)) {
                    fail("a batch changed after it was sent: it held " + seen + " when it arrived and holds " + batch
                            + " now. Once a batch is sent it is the reader's: the batcher must not clear it or add"
                            + " the next items to it; make a new list for the next batch");
                }
            });
        }

        /** The batches channel must be closed, with no more batches. */
        void expectClosed(String when) throws Exception {
            Received<List<String>> r = Background.within(ONE_SECOND, "reads the batches channel",
                    out::receiveOrClosed, () -> "the batches channel was not closed within 1 s " + when + ": close"
                            + " it once the batcher ends" + where());
            if (r instanceof Received.Value<List<String>>(List<String> b)) {
                if (b.isEmpty()) {
                    fail("an empty batch was sent " + when + ": never send an empty batch; when in is closed, send a"
                            + " last batch only if items are pending");
                }
                fail("the batch " + b + " was sent " + when + ", where the batches channel should have been closed");
            }
        }

        /** Waits until every thread of the batcher has ended; fails with {@code rule} if one has not within 1 s. */
        void awaitEnded(String when, String rule) {
            long deadline = System.nanoTime() + ONE_SECOND.toNanos();
            List<LiveThreads.Live> live = threads.runningCodeOf(Batcher.class);
            while (!live.isEmpty() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // a bounded wait for a state
                live = threads.runningCodeOf(Batcher.class);
            }
            if (!live.isEmpty()) {
                fail(rule + ". The batcher's thread was still running 1 s " + when + ":\n" + describe(live));
            }
        }

        /** Waits until the batcher's thread is parked in a wait without a timeout; fails if it is not within 2 s. */
        void awaitParked(String when) {
            List<LiveThreads.Live> live = awaitWaiting(false);
            if (live.isEmpty()) {
                fail("the batcher's thread ended " + when + ", though in is open and ctx has not ended: it must run"
                        + " until in is closed or ctx ends");
            }
            failIfNotWaiting(live, when);
        }

        /** Waits until the batcher's thread is parked, or has ended. */
        void awaitSettled() {
            failIfNotWaiting(awaitWaiting(true), "after a batch was read, or the clock moved");
        }

        private void failIfNotWaiting(List<LiveThreads.Live> live, String when) {
            if (!live.stream().allMatch(t -> t.state().equals("WAITING"))) {
                fail("the batcher's thread was not parked 2 s " + when + " (it was seen "
                        + live.stream().map(LiveThreads.Live::state).collect(Collectors.joining(", "))
                        + "): the batcher polls. Wait in one Select.select over in, the timer's channel and"
                        + " ctx.onDone(), which parks until one of them is ready; a loop of tryReceive and sleep"
                        + " burns the processor and reacts late:\n" + describe(live));
            }
        }

        /**
         * The batcher's threads once there is one and all are parked without a timeout, or none is left and
         * {@code mayHaveEnded}, or after 2 s and 20 looks. (A thread just started may not show its frames yet: right
         * after start, none found means not yet.)
         */
        private List<LiveThreads.Live> awaitWaiting(boolean mayHaveEnded) {
            long deadline = System.nanoTime() + PARK_LIMIT.toNanos();
            for (int looks = 1; ; looks++) {
                List<LiveThreads.Live> live = threads.runningCodeOf(Batcher.class);
                boolean settled = (mayHaveEnded || !live.isEmpty())
                        && live.stream().allMatch(t -> t.state().equals("WAITING"));
                // At least 20 looks: on a loaded machine one thread dump can take most of the limit.
                if (settled || (System.nanoTime() - deadline > 0 && looks >= 20)) {
                    return live;
                }
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos()); // a bounded wait for a state
            }
        }

        /** Where the batcher's threads are, for a failure message. */
        String where() {
            List<LiveThreads.Live> live = threads.runningCodeOf(Batcher.class);
            return live.isEmpty() ? ". (The batcher's thread has ended.)"
                    : ". Where the batcher is:\n" + describe(live);
        }

        private static String describe(List<LiveThreads.Live> live) {
            return live.stream().map(LiveThreads.Live::describe).collect(Collectors.joining());
        }

        /** Ends the batcher, whatever it ignores: the end of ctx, the close of in, or a reader that went away. */
        @Override
        public void close() throws InterruptedException {
            ctx.cancel();
            try {
                in.close();
            } catch (ChannelClosedException closedByTheTest) {
                // closed by the test already
            }
            long deadline = System.nanoTime() + ONE_SECOND.toNanos();
            while (System.nanoTime() - deadline < 0
                    && out.receive(Duration.ofMillis(50)) instanceof Received.Value<List<String>>) {
                // drained: a batcher blocked on a send nobody reads can go on and end
            }
        }
    }
}
