package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.metrics.Latency;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolMonitor}: the pure formatting, then the live monitor on a {@link FakeClock}, where a line appears only
 * when the test advances the clock. Every test waits for the output itself, never for a guessed time.
 */
class PoolMonitorTest {

    private static final Latency WAIT = new Latency(78, Duration.ofMillis(950),
            Duration.ofMillis(990), Duration.ofMillis(1000), Duration.ofMillis(1200));
    private static final Latency RUN = new Latency(72, Duration.ofMillis(201),
            Duration.ofMillis(280), Duration.ofMillis(297), Duration.ofMillis(300));
    /** 8 workers all busy, a full queue of 20, 72 ended: 100 accepted. */
    private static final PoolMetrics BUSY = new PoolMetrics(8, 0, 20, 100, 20, 20, 8, 70, 2, 0, 3, 19.84, 0.9, WAIT,
            RUN)
            .checkInvariants();
    private static final PoolMetrics FRESH = new PoolMetrics(4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            Latency.NONE, Latency.NONE).checkInvariants();

    // ------------------------------------------------------------------------------------------- formatting

    @Test
    @DisplayName("a line shows jobs/s, queued/capacity, running/workers, p99 wait and run, rejected and failed")
    void lineFormat() {
        assertThat(PoolMonitor.line(BUSY, Duration.ofMillis(3040))).isEqualTo(
                "  3.0s   19.8 jobs/s  queue 20/20  running 8/8  p99 wait 1.00s  p99 run 297ms  rejected 3  failed 2");
    }

    @Test
    @DisplayName("a latency with nothing measured shows as -")
    void lineWithoutMeasurements() {
        assertThat(PoolMonitor.line(FRESH, Duration.ZERO)).isEqualTo(
                "  0.0s    0.0 jobs/s  queue 0/0  running 0/4  p99 wait -  p99 run -  rejected 0  failed 0");
    }

    @Test
    @DisplayName("the summary counts how each job ended, the average rate, the peak queue and the percentiles")
    void summaryFormat() {
        assertThat(PoolMonitor.summary(BUSY, Duration.ofSeconds(4), 20)).isEqualTo(
                "done in 4.0s: 72 jobs (70 ok, 2 failed, 0 cancelled), 3 rejected, 18.0 jobs/s on average;"
                        + " queue at most 20/20; wait p50 950ms p99 1.00s; run p50 201ms p99 297ms");
        assertThat(PoolMonitor.summary(FRESH, Duration.ZERO, 0)).isEqualTo(
                "done in 0.0s: 0 jobs (0 ok, 0 failed, 0 cancelled), 0 rejected, 0.0 jobs/s on average;"
                        + " queue at most 0/0; wait p50 - p99 -; run p50 - p99 -");
    }

    @Test
    @DisplayName("durations print as Go prints them, to about 3 significant digits")
    void durations() {
        assertThat(PoolMonitor.duration(Duration.ofNanos(850_400))).isEqualTo("850µs");
        assertThat(PoolMonitor.duration(Duration.ofNanos(297_600_000))).isEqualTo("297ms");
        assertThat(PoolMonitor.duration(Duration.ofMillis(1250))).isEqualTo("1.25s");
        assertThat(PoolMonitor.duration(Duration.ofMillis(12_500))).isEqualTo("12.5s");
    }

    // ------------------------------------------------------------------------------------------ live monitor

    private static List<String> lines(StringBuffer out) {
        String s = out.toString();
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    @Test
    @DisplayName("on a fake clock, not on a terminal: one plain line per interval the clock advances, then a summary")
    void plainLinesFollowTheClock() throws Exception {
        FakeClock clock = new FakeClock();
        StringBuffer out = new StringBuffer();
        CountDownLatch gate = new CountDownLatch(1);
        try (WorkerPool pool = WorkerPool.builder().workers(2).queueCapacity(3).clock(clock).build()) {
            try (PoolMonitor monitor = PoolMonitor.builder(pool).every(Duration.ofSeconds(1)).output(out)
                    .inPlace(false).start()) {
                assertThat(out).as("nothing before the first interval").isEmpty();
                clock.advance(Duration.ofSeconds(1));
                Await.until("the first line", () -> lines(out).size() == 1);
                assertThat(lines(out).getFirst()).startsWith("  1.0s    0.0 jobs/s  queue 0/3  running 0/2");

                for (int i = 0; i < 4; i++) {
                    pool.submit(ctx -> {
                        gate.await();
                        return "done";
                    });
                }
                Await.until("two jobs running, two waiting",
                        () -> pool.metrics().running() == 2 && pool.metrics().waiting() == 2);
                clock.advance(Duration.ofSeconds(1));
                Await.until("the second line", () -> lines(out).size() == 2);
                assertThat(lines(out).get(1)).startsWith("  2.0s    0.0 jobs/s  queue 2/3  running 2/2");
                assertThat(monitor.maxQueued()).isEqualTo(2);

                gate.countDown();
                Await.until("all four done", () -> pool.metrics().succeeded() == 4);
                clock.advance(Duration.ofSeconds(1));
                Await.until("the third line", () -> lines(out).size() == 3);
                assertThat(lines(out).get(2)).contains("queue 0/3  running 0/2").endsWith("rejected 0  failed 0");
            }
            assertThat(out.toString()).doesNotContain("\r", PoolMonitor.CLEAR_TO_EOL).endsWith("\n");
            assertThat(lines(out)).hasSize(4);
            assertThat(lines(out).getLast()).startsWith("done in 3.0s: 4 jobs (4 ok, 0 failed, 0 cancelled)")
                    .contains("queue at most 2/3");
        }
    }

    @Test
    @DisplayName("on a terminal: each interval rewrites the line in place (\\r, line, clear to end), close adds the"
            + " summary")
    void inPlaceRewritesOneLine() throws Exception {
        FakeClock clock = new FakeClock();
        StringBuffer out = new StringBuffer();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            try (PoolMonitor monitor = PoolMonitor.builder(pool).output(out).inPlace(true).start()) {
                clock.advance(Duration.ofSeconds(1));
                Await.until("the first rewrite", () -> out.toString().split("\r", -1).length == 2);
                clock.advance(Duration.ofSeconds(1));
                Await.until("the second rewrite", () -> out.toString().split("\r", -1).length == 3);
                String live = out.toString();
                assertThat(live).as("a live line never ends the line").doesNotContain("\n");
                assertThat(live).isEqualTo("\r" + PoolMonitor.line(pool.metrics(), Duration.ofSeconds(1))
                        + PoolMonitor.CLEAR_TO_EOL + "\r" + PoolMonitor.line(pool.metrics(), Duration.ofSeconds(2))
                        + PoolMonitor.CLEAR_TO_EOL);
            }
            assertThat(out.toString()).as("the live line is kept; the summary goes on the next line")
                    .matches("(?s)\r.*\u001b\\[K\ndone in 2\\.0s: .*\n");
        }
    }

    @Test
    @DisplayName("close stops the ticker and joins the monitor's thread: nothing runs or is scheduled after it, and a"
            + " second close writes nothing")
    void closeJoinsAndStops() throws Exception {
        FakeClock clock = new FakeClock();
        StringBuffer out = new StringBuffer();
        AtomicReference<Thread> monitorThread = new AtomicReference<>();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            int poolTasks = clock.pendingTasks();
            PoolMonitor monitor = PoolMonitor.builder(pool).output(out).inPlace(false)
                    .threadFactory(r -> {
                        Thread t = Thread.ofVirtual().name("monitor-under-test").unstarted(r);
                        monitorThread.set(t);
                        return t;
                    })
                    .start();
            assertThat(clock.pendingTasks()).as("the ticker is scheduled").isEqualTo(poolTasks + 1);
            clock.advance(Duration.ofSeconds(1));
            Await.until("the first line", () -> lines(out).size() == 1);

            monitor.close();
            assertThat(monitorThread.get().getState()).as("joined by close").isEqualTo(Thread.State.TERMINATED);
            assertThat(clock.pendingTasks()).as("the ticker is stopped").isEqualTo(poolTasks);
            String closed = out.toString();
            assertThat(lines(out)).hasSize(2);

            clock.advance(Duration.ofSeconds(5));
            monitor.close();
            assertThat(out.toString()).as("no line after close, and only one summary").isEqualTo(closed);
        }
    }

    @Test
    @DisplayName("close interrupted while joining still joins, writes the summary and keeps the interrupt flag")
    void closeKeepsInterrupt() {
        FakeClock clock = new FakeClock();
        StringBuffer out = new StringBuffer();
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            PoolMonitor monitor = PoolMonitor.builder(pool).output(out).inPlace(false).start();
            Thread.currentThread().interrupt();
            try {
                monitor.close();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(out.toString()).startsWith("done in 0.0s: 0 jobs");
        }
    }

    @Test
    @DisplayName("an output that fails stops the live lines, and close reports the failure instead of hiding it")
    void outputFailureIsReported() throws Exception {
        FakeClock clock = new FakeClock();
        List<String> written = new ArrayList<>();
        IOException broken = new IOException("disk full");
        Appendable failing = new Appendable() {
            @Override
            public Appendable append(CharSequence s) throws IOException {
                synchronized (written) {
                    written.add(s.toString());
                }
                throw broken;
            }

            @Override
            public Appendable append(CharSequence s, int start, int end) throws IOException {
                return append(s.subSequence(start, end));
            }

            @Override
            public Appendable append(char c) throws IOException {
                return append(String.valueOf(c));
            }
        };
        try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
            PoolMonitor monitor = PoolMonitor.builder(pool).output(failing).inPlace(false).start();
            clock.advance(Duration.ofSeconds(1));
            Await.until("the first attempt to write", () -> {
                synchronized (written) {
                    return written.size() == 1;
                }
            });
            assertThatThrownBy(monitor::close).isInstanceOf(UncheckedIOException.class).hasCause(broken)
                    .hasMessage("pool monitor: writing a line failed");
        }
    }

    @Test
    @DisplayName("misuse fails at once with a message naming the rule")
    void misuse() {
        try (WorkerPool pool = WorkerPool.fixed(1)) {
            assertThatThrownBy(() -> PoolMonitor.builder(pool).every(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pool monitor: interval must be > 0, was PT0S");
        }
    }
}
