package dev.gopatterns.pool;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.time.Ticker;
import java.io.Console;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * A live view of a {@link WorkerPool}: every interval it takes one {@link WorkerPool#metrics()} snapshot and writes
 * one line (throughput, queue length, busy workers, p99 queue wait and run time, rejections, failures); when it is
 * closed it writes a summary line. On a terminal it rewrites its line in place ({@code \r}, then the line, then
 * clear-to-end-of-line); anywhere else (a pipe, CI, a test) it writes one plain line per interval.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.builder().workers(8).queueCapacity(20).rateLimit(limiter).build()) {
 *     try (PoolMonitor monitor = PoolMonitor.builder(pool).output(System.out).start()) {
 *         produce(pool);
 *         pool.shutdown();
 *         pool.awaitTermination();
 *     }   // stops the ticker, joins the monitor's thread, writes the summary
 * }
 * }</pre>
 *
 * <p>Go equivalent: the goroutine every service grows next to its pool,
 * {@code t := time.NewTicker(d); defer t.Stop(); for { select { case <-t.C: log(stats()); case <-quit: return } }},
 * with {@code close(quit); wg.Wait()} to stop it. Here that goroutine is the monitor's thread and
 * {@link #close()} is the close-and-wait.
 *
 * <p>Time is read from the pool's clock (its context's) unless another is given, and the interval is a
 * {@link Ticker} on that clock: with a {@code FakeClock}, a line appears when the test advances the clock, and
 * never otherwise. A slow output does not make lines pile up: a tick that finds the last one unread is dropped,
 * as a Go ticker drops it.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code start()} happen-before the monitor's first
 * write; the monitor's writes happen-before {@link #close()} returns.
 */
public final class PoolMonitor implements AutoCloseable {
    /*
     * One thread, one ticker, one quit channel. The thread selects on the tick and on quit; close() closes quit
     * (which makes that case ready for good, so a close that races a tick still ends the loop at the next select),
     * joins the thread, and only then stops the ticker and writes the summary from the closing thread: so the
     * summary is always the last thing written, and after close() returns nothing of the monitor runs or is
     * scheduled on the clock.
     */

    /** Clear from the cursor to the end of the line (ANSI "erase in line"). */
    static final String CLEAR_TO_EOL = "\u001b[K";

    private final WorkerPool pool;
    private final Clock clock;
    private final Appendable out;
    private final boolean inPlace;
    private final long startNanos;
    private final Ticker ticker;
    private final Channel<Void> quit = Channel.unbuffered();
    private final Thread thread;
    /** Written by the monitor's thread, then by close() after joining it; read by anyone. */
    private volatile long maxQueued;
    /** Written only by the monitor's thread; read by close() after joining it. */
    private boolean wroteInPlace;
    private IOException failure;
    /** Guarded by this. */
    private boolean closed;

    private PoolMonitor(Builder b) {
        this.pool = b.pool;
        this.clock = b.clock != null ? b.clock : b.pool.context().clock();
        this.out = b.out;
        this.inPlace = b.inPlace != null ? b.inPlace : onTerminal();
        this.startNanos = clock.nanoTime();
        this.ticker = Ticker.every(clock, b.interval);
        ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name(b.name + "-monitor").factory();
        this.thread = factory.newThread(this::loop);
        if (thread == null) {
            ticker.stop();
            throw new IllegalStateException("pool monitor: the thread factory returned null");
        }
        thread.start();
    }

    /** A monitor of {@code pool}, to be configured and {@linkplain Builder#start() started}. */
    public static Builder builder(WorkerPool pool) {
        return new Builder(Objects.requireNonNull(pool, "pool"));
    }

    /** Whether this JVM's standard output is a terminal (JDK 22+: {@link Console#isTerminal()}). */
    public static boolean onTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    private void loop() {
        try {
            for (;;) {
                boolean tick = Select.select(ticker.channel().onReceive(t -> true),
                        quit.onReceiveOrClosed(r -> false));
                if (!tick) {
                    return;
                }
                PoolMetrics m = pool.metrics();
                maxQueued = Math.max(maxQueued, m.queued());
                String line = line(m, elapsed());
                write(inPlace ? "\r" + line + CLEAR_TO_EOL : line + "\n");
                wroteInPlace |= inPlace;
            }
        } catch (InterruptedException e) {
            // Nobody in the monitor interrupts this thread. An interrupt from outside ends the live lines early;
            // close() still joins and writes the summary. The flag dies with the thread, which ends here.
        } catch (IOException e) {
            failure = e; // reported by close()
        }
    }

    private void write(String s) throws IOException {
        out.append(s);
        if (out instanceof Flushable f) {
            f.flush();
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos));
    }

    /**
     * Stops the ticker, waits for the monitor's thread to end, and writes the summary line. Idempotent: only the
     * first call writes. If interrupted while waiting it keeps waiting (the thread ends as soon as it runs), then
     * sets the interrupt flag again.
     *
     * @throws UncheckedIOException if writing to the output failed, now or at an earlier interval (the live lines
     *                              stopped then)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        quit.close();
        boolean interrupted = false;
        while (thread.getState() != Thread.State.TERMINATED) { // join() may return early just after start()
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        ticker.stop();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new UncheckedIOException("pool monitor: writing a line failed", failure);
        }
        PoolMetrics m = pool.metrics();
        maxQueued = Math.max(maxQueued, m.queued());
        try {
            write((wroteInPlace ? "\n" : "") + summary(m, elapsed(), maxQueued) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("pool monitor: writing the summary failed", e);
        }
    }

    /**
     * The most jobs seen waiting in the queue, over the snapshots taken so far (one per interval, and one at close):
     * a sample, so a peak between two intervals can be missed. Exact once {@link #close()} has returned, for the
     * snapshots it took.
     */
    public long maxQueued() {
        return maxQueued;
    }

    // ------------------------------------------------------------------------------------------- formatting

    /**
     * One live line, for example
     * {@code "  3.0s  19.8 jobs/s  queue 20/20  running 8/8  p99 wait 1.00s  p99 run 297ms  rejected 0  failed 0"}.
     * Jobs/s is the pool's windowed {@link PoolMetrics#throughput()}; the queue is
     * {@link PoolMetrics#queued()} out of {@link PoolMetrics#queueCapacity()}; running is out of the live workers;
     * a latency with nothing measured yet shows as {@code -}.
     */
    public static String line(PoolMetrics m, Duration elapsed) {
        return String.format(Locale.ROOT, "%6s  %5.1f jobs/s  queue %s  running %d/%d  p99 wait %s  p99 run %s"
                        + "  rejected %d  failed %d",
                seconds(elapsed), m.throughput(), queue(m.queued(), m.queueCapacity()), m.running(), m.workers(),
                p(m.queueWait().count(), m.queueWait().p99()), p(m.runTime().count(), m.runTime().p99()),
                m.rejected(), m.failed());
    }

    /**
     * The closing line, for example {@code "done in 7.3s: 150 jobs (150 ok, 0 failed, 0 cancelled), 0 rejected,
     * 20.5 jobs/s on average; queue at most 20/20; wait p50 950ms p99 1.00s; run p50 201ms p99 297ms"}. The
     * average is jobs completed over {@code elapsed}; {@code maxQueued} is the peak queue length seen.
     */
    public static String summary(PoolMetrics m, Duration elapsed, long maxQueued) {
        double secs = elapsed.toNanos() / 1e9;
        double average = secs > 0 ? m.completed() / secs : 0;
        return String.format(Locale.ROOT, "done in %s: %d jobs (%d ok, %d failed, %d cancelled), %d rejected,"
                        + " %.1f jobs/s on average; queue at most %s; wait p50 %s p99 %s; run p50 %s p99 %s",
                seconds(elapsed).strip(), m.completed(), m.succeeded(), m.failed(), m.cancelled(), m.rejected(),
                average, queue(maxQueued, m.queueCapacity()),
                p(m.queueWait().count(), m.queueWait().p50()), p(m.queueWait().count(), m.queueWait().p99()),
                p(m.runTime().count(), m.runTime().p50()), p(m.runTime().count(), m.runTime().p99()));
    }

    private static String queue(long queued, int capacity) {
        return queued + "/" + capacity;
    }

    private static String p(long count, Duration d) {
        return count == 0 ? "-" : duration(d);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%5.1fs", d.toMillis() / 1000.0);
    }

    /** A short duration as Go prints one, to 3 significant digits: {@code 850µs}, {@code 297ms}, {@code 1.25s}. */
    static String duration(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000) {
            return nanos / 1_000 + "µs";
        }
        if (nanos < 1_000_000_000) {
            return nanos / 1_000_000 + "ms";
        }
        return String.format(Locale.ROOT, nanos < 10_000_000_000L ? "%.2fs" : "%.1fs", nanos / 1e9);
    }

    /** Configures a {@link PoolMonitor}; every setting has a default. */
    public static final class Builder {
        private final WorkerPool pool;
        private Duration interval = Duration.ofSeconds(1);
        private Clock clock;
        private Appendable out = System.out;
        private Boolean inPlace;
        private ThreadFactory threadFactory;
        private String name = "pool";

        private Builder(WorkerPool pool) {
            this.pool = pool;
        }

        /** How often a line is written, {@code > 0}; default 1 s. */
        public Builder every(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pool monitor: interval must be > 0, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The clock the interval and the elapsed time are read from; default the pool's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the lines go; default {@code System.out}. Each line is one {@code append} call, from the monitor's
         * thread (the summary from the thread that closes it); a {@link Flushable} output is flushed after each.
         */
        public Builder output(Appendable out) {
            this.out = Objects.requireNonNull(out, "output");
            return this;
        }

        /**
         * Whether to rewrite one line in place ({@code true}) or write a line per interval ({@code false}); default
         * {@link PoolMonitor#onTerminal()}.
         */
        public Builder inPlace(boolean inPlace) {
            this.inPlace = inPlace;
            return this;
        }

        /** Where the monitor's one thread comes from; default a virtual thread named {@code NAME-monitor}. */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
            return this;
        }

        /** A name for the monitor's thread; default "pool". */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Starts the ticker and the monitor's thread. */
        public PoolMonitor start() {
            return new PoolMonitor(this);
        }
    }
}
