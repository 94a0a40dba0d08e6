package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heartbeats and the watchdog, on a fake clock: time passes only when a test advances it, and nothing sleeps. */
@ExtendWith(UncaughtExceptions.class)
class HeartbeatTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(5); // a safety net for awaitPendingTasks, not a delay

    private final FakeClock clock = new FakeClock();
    private final Context root = Context.background(clock);

    @Test
    void everyPulsesOncePerIntervalWhileItWaitsForInput() throws Exception {
        Channel<Integer> in = Channel.unbuffered(); // no work arrives
        Heartbeat<Integer> hb = Heartbeat.every(root, SECOND, in, v -> v);
        clock.awaitPendingTasks(1, WAIT); // the ticker
        for (int i = 1; i <= 3; i++) {
            clock.advance(SECOND);
            assertThat(hb.pulses().receive()).as("pulse %d carries the clock's time", i).isEqualTo(clock.nanoTime());
        }
        in.close();
        assertThat(drain(hb.results())).isEmpty();
        assertThat(drain(hb.pulses())).as("closed when the worker ends, nothing after").isEmpty();
        awaitStagesEnded();
        assertThat(clock.pendingTasks()).as("the ticker was stopped").isZero();
    }

    @Test
    void everyKeepsPulsingWhileItWaitsToHandOverAResult() throws Exception {
        Channel<Integer> in = Channel.buffered(1);
        in.send(21);
        Heartbeat<Integer> hb = Heartbeat.every(root, SECOND, in, v -> v * 2);
        clock.awaitPendingTasks(1, WAIT);
        Await.until("the worker took the value", () -> in.length() == 0);
        clock.advance(SECOND); // nobody reads the result: the worker waits in sendResult, and pulses there
        assertThat(hb.pulses().receive()).isEqualTo(clock.nanoTime());
        clock.advance(SECOND);
        clock.advance(SECOND); // two more pulses that nobody reads: at most one is kept, the other dropped
        assertThat(hb.results().receive()).as("the unread pulses did not hold the result back").isEqualTo(42);
        assertThat(hb.pulses().length()).isLessThanOrEqualTo(1);
        in.close();
        assertThat(drain(hb.results())).isEmpty();
        assertThat(drain(hb.pulses())).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void perUnitPulsesAtTheStartOfEachUnitOfWork() throws InterruptedException {
        Channel<Integer> in = Channel.unbuffered();
        Heartbeat<Integer> hb = Heartbeat.perUnit(root, in, v -> v * 2);
        for (int v = 1; v <= 3; v++) {
            in.send(v);
            assertThat(hb.pulses().receive()).as("the pulse comes before the result is taken").isEqualTo(clock.nanoTime());
            assertThat(hb.results().receive()).isEqualTo(v * 2);
        }
        in.close();
        assertThat(drain(hb.results())).isEmpty();
        assertThat(drain(hb.pulses())).isEmpty();
    }

    @Test
    void aPulseNobodyReadsIsDroppedAndNeverDelaysTheWork() throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            Integer[] values = IntStream.range(0, 200).boxed().toArray(Integer[]::new);
            Heartbeat<Integer> hb = Heartbeat.perUnit(root, feed(threads, 0, values), v -> v + 1);
            assertThat(drain(hb.results())).containsExactly(IntStream.range(1, 201).boxed().toArray(Integer[]::new));
            assertThat(drain(hb.pulses())).as("199 of 200 pulses dropped, one kept").hasSize(1);
        }
    }

    @Test
    void cancelEndsAWorkerBlockedHandingOverAResult() throws Exception {
        try (CancellableContext ctx = Context.withCancel(root)) {
            Channel<Integer> in = Channel.buffered(1);
            in.send(1);
            Heartbeat<Integer> hb = Heartbeat.every(ctx, SECOND, in, v -> v);
            Await.until("the worker took the value", () -> in.length() == 0);
            ctx.cancel();
            assertThat(drain(hb.results())).hasSizeLessThanOrEqualTo(1);
            assertThat(drain(hb.pulses())).isEmpty();
        }
        awaitStagesEnded();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void theWatchdogReportsAWorkerSilentForTheTimeout() throws Exception {
        Channel<Long> pulses = Channel.unbuffered(); // a worker that never pulses
        ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(root, pulses, SECOND);
        clock.awaitPendingTasks(1, WAIT); // the watchdog's timer
        clock.advance(SECOND.minusNanos(1));
        assertThat(unhealthy.tryReceive()).as("not yet: the timer has not fired").isInstanceOf(TryReceived.NotReady.class);
        clock.advance(Duration.ofNanos(1));
        assertThat(unhealthy.receive()).isEqualTo(SECOND);
        assertThat(drain(unhealthy)).as("one report, then closed").isEmpty();
        awaitStagesEnded();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void pulsesKeepTheWatchdogQuietAndItsSilenceIsReportedAfterThem() throws Exception {
        Channel<Long> pulses = Channel.unbuffered();
        ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(root, pulses, SECOND);
        clock.awaitPendingTasks(1, WAIT);
        long lastPulse = 0;
        for (int round = 0; round < 10; round++) {
            lastPulse = clock.nanoTime();
            // Two hand-offs: the watchdog restarts its timer after it takes a pulse, reading the clock then, and it can
            // take the second pulse only once it has done so for the first, at the present time. So whenever it
            // restarts for the second, the timer runs until at least a second from now.
            pulses.send(clock.nanoTime());
            pulses.send(clock.nanoTime());
            clock.advance(Duration.ofMillis(600)); // 6 s in all: without the pulses it would have reported
            assertThat(unhealthy.tryReceive()).isInstanceOf(TryReceived.NotReady.class);
        }
        // The pulses stop. Whether the watchdog restarted its timer for the last pulse before or after the last
        // advance is not observable, so advance until it reports, and check that it waited out the timeout.
        AtomicReference<Duration> silence = new AtomicReference<>();
        Await.until("the watchdog reports the silence", () -> {
            if (unhealthy.tryReceive() instanceof Received.Value<Duration>(Duration d)) {
                silence.set(d);
                return true;
            }
            clock.advance(Duration.ofMillis(100));
            return false;
        });
        assertThat(silence.get()).isGreaterThanOrEqualTo(SECOND);
        assertThat(clock.nanoTime() - lastPulse).as("time since the last pulses")
                .isGreaterThanOrEqualTo(SECOND.toNanos());
        assertThat(drain(unhealthy)).isEmpty();
    }

    @Test
    void theWatchdogEndsWithoutAReportWhenTheWorkerEnds() throws Exception {
        Channel<Long> pulses = Channel.unbuffered();
        ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(root, pulses, SECOND);
        pulses.close();
        assertThat(drain(unhealthy)).isEmpty();
        awaitStagesEnded();
        assertThat(clock.pendingTasks()).as("the timer was stopped").isZero();
    }

    @Test
    void theWatchdogEndsWithoutAReportWhenItsContextEnds() throws Exception {
        try (CancellableContext ctx = Context.withCancel(root)) {
            ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(ctx, Channel.unbuffered(), SECOND);
            clock.awaitPendingTasks(1, WAIT);
            ctx.cancel();
            assertThat(drain(unhealthy)).isEmpty();
        }
        awaitStagesEnded();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void theWatchdogNoticesAWorkerStuckInItsWork() throws Exception {
        Channel<Void> release = Channel.unbuffered();
        Channel<Integer> in = Channel.buffered(1);
        in.send(1);
        try (CancellableContext ctx = Context.withCancel(root)) {
            Heartbeat<Integer> hb = Heartbeat.every(ctx, SECOND, in, v -> {
                awaitClose(release); // stuck: no pulse while fn runs
                return v;
            });
            ReceiveChannel<Duration> unhealthy = Heartbeat.watchdog(ctx, hb.pulses(), Duration.ofSeconds(2));
            clock.awaitPendingTasks(2, WAIT); // the worker's ticker and the watchdog's timer
            Await.until("the worker is in fn", () -> in.length() == 0);
            clock.advance(SECOND); // a tick the stuck worker does not take
            clock.advance(SECOND);
            assertThat(unhealthy.receive()).isEqualTo(Duration.ofSeconds(2));
            release.close();
            assertThat(hb.results().receive()).isEqualTo(1);
        }
        awaitStagesEnded();
    }

    @Test
    void intervalAndTimeoutMustBePositive() {
        assertThatThrownBy(() -> Heartbeat.every(root, Duration.ZERO, Channel.unbuffered(), v -> v))
                .hasMessage("heartbeat interval must be positive, was PT0S");
        assertThatThrownBy(() -> Heartbeat.watchdog(root, Channel.unbuffered(), Duration.ofSeconds(-1)))
                .hasMessage("watchdog timeout must be positive, was PT-1S");
    }

    /** Waits until {@code ch} closes; an interrupt ends the wait (fn cannot throw InterruptedException). */
    private static void awaitClose(ReceiveChannel<?> ch) {
        try {
            ch.receiveOrClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
