package dev.gopatterns.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TimerTest {

    @Test
    @DisplayName("a timer sends the clock's time once, when its duration has passed")
    void firesOnce() throws Exception {
        FakeClock clock = new FakeClock();
        Timer t = Timer.start(clock, Duration.ofSeconds(3));
        clock.advance(Duration.ofSeconds(2));
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.channel().tryReceive()).isEqualTo(new Received.Value<>(Duration.ofSeconds(3).toNanos()));
        clock.advance(Duration.ofSeconds(10));
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
        assertThat(t.stop()).as("stop after it fired").isFalse();
    }

    @Test
    @DisplayName("stop prevents the firing and discards an unreceived value; reset re-arms")
    void stopAndReset() {
        FakeClock clock = new FakeClock();
        Timer t = Timer.start(clock, Duration.ofSeconds(1));
        assertThat(t.stop()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
        assertThat(clock.pendingTasks()).isZero();

        assertThat(t.reset(Duration.ofSeconds(1))).as("reset of a stopped timer").isFalse();
        clock.advance(Duration.ofSeconds(1)); // fires, nobody receives yet
        assertThat(t.reset(Duration.ofSeconds(2))).as("fired but not received counts as stopped (Go 1.23+)").isTrue();
        assertThat(t.channel().tryReceive()).as("no stale value after reset").isEqualTo(TryReceived.notReady());
        clock.advance(Duration.ofSeconds(2));
        assertThat(t.channel().tryReceive()).isInstanceOf(Received.Value.class);
    }

    @Test
    @DisplayName("after(d) is a channel usable in select, like time.After")
    void afterInSelect() throws Exception {
        FakeClock clock = new FakeClock();
        ReceiveChannel<Long> timeout = Timer.after(clock, Duration.ofMillis(500));
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> r = threads.submit("selector", () -> Select.select(
                    dev.gopatterns.chan.Channel.<String>unbuffered().onReceive(v -> v),
                    timeout.onReceive(now -> "timeout at " + now)));
            clock.advance(Duration.ofMillis(500));
            assertThat(r.get()).isEqualTo("timeout at 500000000");
        }
    }

    @Test
    @DisplayName("a ticker ticks once per period, drops ticks a slow receiver misses, and stops")
    void ticker() {
        FakeClock clock = new FakeClock();
        Ticker t = Ticker.every(clock, Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.channel().tryReceive()).isEqualTo(new Received.Value<>(1_000_000_000L));
        clock.advance(Duration.ofSeconds(3)); // three ticks, only one fits in the channel
        assertThat(t.channel().tryReceive()).isEqualTo(new Received.Value<>(2_000_000_000L));
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
        clock.advance(Duration.ofSeconds(1));
        assertThat(t.channel().tryReceive()).as("phase kept: the next tick at 5 s")
                .isEqualTo(new Received.Value<>(5_000_000_000L));
        t.stop();
        clock.advance(Duration.ofSeconds(5));
        assertThat(t.channel().tryReceive()).isEqualTo(TryReceived.notReady());
        assertThat(clock.pendingTasks()).isZero();
        assertThatThrownBy(() -> Ticker.every(clock, Duration.ZERO)).hasMessageStartingWith("non-positive interval");
    }

    @Test
    @DisplayName("the system clock's timer really fires (the one test on real time: 1 ms)")
    void systemClockFires() throws Exception {
        Timer t = Timer.start(Duration.ofMillis(1));
        assertThat(t.channel().receive()).isPositive();
    }
}
