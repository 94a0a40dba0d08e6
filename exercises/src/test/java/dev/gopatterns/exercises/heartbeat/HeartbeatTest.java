package dev.gopatterns.exercises.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `heartbeat`: what {@link Heartbeat#start} must do. Time is a {@link FakeClock} that only the test moves,
 * one interval (a minute) at a time, so a worker that beats on the system clock or sleeps never beats at all. To
 * know the worker has seen a tick, the test waits until every thread running the worker's code is parked: a tick
 * sent to a waiting thread wakes it at once, so "all parked" means the tick was handled. Every read is bounded by a
 * second; nothing sleeps. Every thread the worker starts must have ended when a test returns.
 *
 * <p>How to run: {@code ./learn check heartbeat}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `heartbeat`: a heartbeat that never blocks the worker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeartbeatTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    @Test
    @Order(1)
    @DisplayName("an idle worker beats once per interval of the given clock")
    void beatsOncePerIntervalWhileIdle() throws Exception {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> jobs = Channel.make(0);
        try {
            Heartbeat.Worker<String> w = Heartbeat.start(ctx, clock, INTERVAL, jobs, String::toUpperCase);
            for (int i = 1; i <= 3; i++) {
                clock.advance(INTERVAL);
                int round = i;
                Received<Long> beat = Background.within(ONE_SECOND, "reads heartbeats", w.heartbeats()::receiveOrClosed,
                        () -> "no heartbeat within 1 s after the clock advanced one interval (round " + round + "):"
                                + " beat on a Ticker made on the given clock (Ticker.every(clock, interval)), not on"
                                + " the system clock or Thread.sleep, which the test's clock does not move");
                assertThat(beat).as("the heartbeats channel was closed while the worker had nothing to stop it:"
                        + " close it only when jobs is closed or ctx ends").isInstanceOf(Received.Value.class);
            }
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(2)
    @DisplayName("the worker sends each job's result, in order, then closes both channels and stops its ticker")
    void relaysResultsThenClosesAndStopsTicker() throws Exception {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withCancel(Context.background());
        try {
            Channel<String> jobs = Channel.make(3);
            for (String j : List.of("a", "b", "c")) {
                jobs.send(j);
            }
            jobs.close();
            Heartbeat.Worker<String> w = Heartbeat.start(ctx, clock, INTERVAL, jobs, String::toUpperCase);
            List<String> got = Background.within(ONE_SECOND, "reads results", () -> drain(w.results()),
                    () -> "the results channel was not closed 1 s after jobs was closed and drained: results and"
                            + " heartbeats must both be closed when jobs is closed and drained");
            assertThat(got).as("the worker sends work.apply(job) for each job, in the order of jobs")
                    .containsExactly("A", "B", "C");
            Background.within(ONE_SECOND, "reads heartbeats", () -> drain(w.heartbeats()),
                    () -> "the results were closed, but the heartbeats channel was not: the heartbeats channel must"
                            + " be closed too, when the worker ends, or a monitor ranging over it waits for ever");
            Eventually.until(() -> clock.pendingTasks() == 0, () -> "the worker's ticker to be stopped after the"
                    + " worker ended (the clock still has " + clock.pendingTasks() + " task(s)): the ticker was never"
                    + " stopped. Call ticker.stop() in the finally that closes the channels: a ticker nobody stops"
                    + " keeps its timer for ever");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(3)
    @DisplayName("a heartbeat nobody reads is dropped: the worker goes on taking jobs")
    void unreadHeartbeatsNeverBlockTheWorker() throws Exception {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> jobs = Channel.make(0);
        LiveThreads threads = LiveThreads.mark();
        try {
            Heartbeat.Worker<String> w = Heartbeat.start(ctx, clock, INTERVAL, jobs, String::toUpperCase);
            for (int i = 1; i <= 3; i++) {
                clock.advance(INTERVAL); // nobody reads the heartbeats, ever, in this test
                awaitWorkerParked(threads);
                String job = "j" + i;
                boolean taken = Background.within(Duration.ofSeconds(2), "sends a job",
                        () -> jobs.send(job, ONE_SECOND), () -> "sending a job did not end");
                assertThat(taken).as("the worker did not take a job within 1 s after %d heartbeat(s) nobody read:"
                        + " a heartbeat nobody reads must be dropped (trySend, or a select with a default), never"
                        + " waited for. Where the worker is:%n%s", i, describe(threads)).isTrue();
                Received<String> r = Background.within(ONE_SECOND, "reads results", w.results()::receiveOrClosed,
                        () -> "no result within 1 s for job " + job + " though nobody reads the heartbeats: a"
                                + " heartbeat nobody reads must be dropped, not waited for");
                assertThat(r).isEqualTo(new Received.Value<>(job.toUpperCase()));
            }
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(4)
    @DisplayName("a worker stuck in its work goes silent: no heartbeat until the work returns")
    void stuckWorkerStopsBeating() throws Exception {
        FakeClock clock = new FakeClock();
        CancellableContext ctx = Context.withCancel(Context.background());
        Channel<String> jobs = Channel.make(0);
        Channel<Void> unstick = Channel.make(0);
        AtomicBoolean stuck = new AtomicBoolean();
        LiveThreads threads = LiveThreads.mark();
        try {
            Heartbeat.Worker<String> w = Heartbeat.start(ctx, clock, INTERVAL, jobs, job -> {
                stuck.set(true);
                unstick.receiveOrClosed(); // the work hangs until the test says
                stuck.set(false);
                return job.toUpperCase();
            });
            clock.advance(INTERVAL);
            Received<Long> first = Background.within(ONE_SECOND, "reads heartbeats", w.heartbeats()::receiveOrClosed,
                    () -> "no heartbeat within 1 s after the clock advanced one interval: beat on a Ticker made on"
                            + " the given clock");
            assertThat(first).isInstanceOf(Received.Value.class);

            assertThat(Background.within(Duration.ofSeconds(2), "sends a job", () -> jobs.send("stuck", ONE_SECOND),
                    () -> "sending a job did not end")).as("the worker did not take a job within 1 s").isTrue();
            Eventually.until(stuck::get, () -> "the worker to start the job");
            for (int i = 1; i <= 3; i++) {
                clock.advance(INTERVAL);
                awaitWorkerParked(threads);
                TryReceived<Long> beat = w.heartbeats().tryReceive();
                assertThat(beat).as("heartbeats went on while the worker was stuck in its work (%d interval(s)"
                        + " after it started the job): beat from the worker's own loop, the one that runs the work,"
                        + " not from a thread of its own; a heartbeat that goes on while the work hangs tells the"
                        + " monitor all is well when it is not", i).isInstanceOf(TryReceived.NotReady.class);
            }
            release(unstick);
            Received<String> r = Background.within(ONE_SECOND, "reads results", w.results()::receiveOrClosed,
                    () -> "no result within 1 s after the stuck work returned");
            assertThat(r).isEqualTo(new Received.Value<>("STUCK"));
        } finally {
            ctx.cancel();
            release(unstick);
        }
    }

    @Test
    @Order(5)
    @DisplayName("when ctx ends, the worker closes both channels, idle or holding a result nobody reads")
    void ctxEndClosesBothChannels() throws Exception {
        FakeClock clock = new FakeClock();
        for (boolean holdingResult : List.of(false, true)) {
            CancellableContext ctx = Context.withCancel(Context.background());
            Channel<String> jobs = Channel.make(1);
            try {
                Heartbeat.Worker<String> w = Heartbeat.start(ctx, clock, INTERVAL, jobs, String::toUpperCase);
                if (holdingResult) {
                    jobs.send("a");
                    Eventually.until(() -> jobs.length() == 0, () -> "the worker to take job a");
                }
                ctx.cancel();
                String where = holdingResult ? "while it waited to hand a result on" : "while it waited for a job";
                Background.within(ONE_SECOND, "reads results", () -> drain(w.results()),
                        () -> "the results channel was not closed 1 s after ctx was cancelled " + where + ": select"
                                + " on ctx.onDone() beside every wait, and close both channels when ctx ends");
                Background.within(ONE_SECOND, "reads heartbeats", () -> drain(w.heartbeats()),
                        () -> "the heartbeats channel was not closed 1 s after ctx was cancelled " + where + ": the"
                                + " heartbeats channel must be closed too");
            } finally {
                ctx.cancel();
            }
        }
        Eventually.until(() -> clock.pendingTasks() == 0, () -> "the workers' tickers to be stopped after ctx ended"
                + " (the clock still has " + clock.pendingTasks() + " task(s)): the ticker was never stopped");
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static void release(Channel<Void> gate) {
        try {
            gate.close();
        } catch (ChannelClosedException alreadyReleased) {
            // released before
        }
    }

    private static <T> List<T> drain(ReceiveChannel<T> ch) throws InterruptedException {
        List<T> got = new ArrayList<>();
        while (ch.receiveOrClosed() instanceof Received.Value<T>(T v)) {
            got.add(v);
        }
        return got;
    }

    /** Waits until every thread running the worker's code is parked: the tick the test just made was handled. */
    private static void awaitWorkerParked(LiveThreads threads) {
        Eventually.until(() -> {
            List<LiveThreads.Live> live = threads.runningCodeOf(Heartbeat.class);
            return !live.isEmpty() && live.stream().allMatch(LiveThreads.Live::parked);
        }, () -> "the worker's threads to be parked (waiting) after a tick:\n" + describe(threads));
    }

    private static String describe(LiveThreads threads) {
        StringBuilder sb = new StringBuilder();
        for (LiveThreads.Live t : threads.runningCodeOf(Heartbeat.class)) {
            sb.append(t.describe()).append('\n');
        }
        return sb.toString();
    }
}
