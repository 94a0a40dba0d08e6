package dev.gopatterns.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A ticker whose timer thread was held up. A {@link FakeClock} cannot show this: it runs every task at its own
 * deadline, so on it a tick is never late (and advancing it by 10^12 periods would run 10^12 ticks). The
 * {@link StallingClock} below runs a task when the test says, at the time the test says.
 */
class TickerTest {

    private static final long PERIOD = Duration.ofMillis(1).toNanos();

    @Test
    @DisplayName("a tick that runs 10^12 periods late skips the missed ticks in one step and keeps the phase")
    void stallOfAnEnormousNumberOfPeriodsIsSkippedInOneStep() {
        StallingClock clock = new StallingClock(0);
        Ticker t = Ticker.every(clock, Duration.ofNanos(PERIOD));
        assertThat(clock.nextDeadline()).isEqualTo(PERIOD);

        long late = 1_000_000_000_000L * PERIOD + PERIOD / 2; // 10^12 periods and a half: about 31.7 years
        clock.runNextAt(late); // the old catch-up loop ran once per missed period here: practically forever
        assertThat(t.channel().tryReceive()).isEqualTo(new Received.Value<>(late));
        assertThat(clock.nextDeadline()).as("the next multiple of the period after the stall")
                .isEqualTo((1_000_000_000_000L + 1) * PERIOD);

        clock.runNextAt(clock.nextDeadline());
        assertThat(t.channel().tryReceive()).isEqualTo(new Received.Value<>((1_000_000_000_000L + 1) * PERIOD));
        assertThat(clock.nextDeadline()).isEqualTo((1_000_000_000_000L + 2) * PERIOD);
        t.stop();
        assertThat(clock.pending()).isZero();
    }

    @Test
    @DisplayName("a late tick with a period too long for a long, or a clock that wraps past Long.MAX_VALUE, "
            + "schedules the next tick in the future without overflowing")
    void catchUpNeverOverflows() {
        long max = Long.MAX_VALUE;
        assertThat(Ticker.nextDeadline(0, max, max / 2 + 1_000)).as("period Long.MAX_VALUE, late: the grid point")
                .isEqualTo(max);
        assertThat(Ticker.nextDeadline(0, max, 0)).as("period Long.MAX_VALUE, on time: saturated like any deadline")
                .isEqualTo(max / 2);
        assertThat(Ticker.nextDeadline(max - 10, 10, max - 10 + 25)).as("nanoTime wraps past Long.MAX_VALUE")
                .isEqualTo(max - 10 + 30);
        assertThat(Ticker.nextDeadline(-5_000, 1_000, -5_000)).as("on time: one period on").isEqualTo(-4_000);
        assertThat(Ticker.nextDeadline(-5_000, 1_000, -3_000)).as("exactly on a missed tick: the one after it")
                .isEqualTo(-2_000);
        assertThat(Ticker.nextDeadline(0, 1, max / 2)).as("one-nanosecond period, stalled for a century")
                .isEqualTo(max / 2 + 1);

        StallingClock clock = new StallingClock(max - PERIOD); // a clock origin right below the wrap
        Ticker t = Ticker.every(clock, Duration.ofSeconds(max)); // saturates: a tick about every 146 years
        long due = clock.nextDeadline();
        clock.runNextAt(due + 1_000);
        assertThat(t.channel().tryReceive()).isInstanceOf(Received.Value.class);
        assertThat(clock.nextDeadline() - clock.nanoTime()).as("the next tick is ahead of now").isPositive();
        t.stop();
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
    }

    /** A clock whose tasks run only in {@link #runNextAt}, at a time the test picks: a timer thread that stalls. */
    private static final class StallingClock implements Clock {
        private record Task(long deadline, Runnable body) {}

        private final List<Task> tasks = new ArrayList<>();
        private long now;

        StallingClock(long origin) {
            this.now = origin;
        }

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadlineNanos, Object blocker) {
            throw new UnsupportedOperationException("nothing parks on this clock in these tests");
        }

        @Override
        public synchronized Scheduled schedule(long delayNanos, Runnable body) {
            Task task = new Task(Clock.deadlineAfter(now, Math.max(0, delayNanos)), body);
            tasks.add(task);
            return () -> {
                synchronized (this) {
                    return tasks.remove(task);
                }
            };
        }

        synchronized int pending() {
            return tasks.size();
        }

        synchronized long nextDeadline() {
            assertThat(tasks).as("scheduled tasks").hasSize(1);
            return tasks.getFirst().deadline();
        }

        /** Sets the time to {@code when} (at or after the earliest task's deadline) and runs that task. */
        void runNextAt(long when) {
            Task task;
            synchronized (this) {
                task = tasks.stream().min(Comparator.comparingLong(x -> x.deadline() - now)).orElseThrow();
                assertThat(when - task.deadline()).as("a task runs at or after its deadline").isNotNegative();
                tasks.remove(task);
                now = when;
            }
            task.body().run();
        }
    }
}
