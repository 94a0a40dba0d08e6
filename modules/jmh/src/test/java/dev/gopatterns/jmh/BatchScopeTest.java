package dev.gopatterns.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.Sources;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pipeline benchmarks' scope: it waits for its goroutines, and a hung batch fails at the deadline (fake clock). */
class BatchScopeTest {

    @Test
    void awaitReturnsAfterEveryGoroutineWithTheirWritesVisible() throws Exception {
        AtomicLong sum = new AtomicLong();
        try (BatchScope g = new BatchScope()) {
            Context ctx = g.context();
            g.go(() -> {
                for (Integer v : Sources.generator(ctx, 1, 2, 3)) {
                    sum.addAndGet(v);
                }
            });
            g.await();
        }
        assertThat(sum).hasValue(6);
    }

    @Test
    void aHungBatchFailsAtTheDeadlineNamingTheRuleAndLeavesNoGoroutine() throws Exception {
        FakeClock clock = new FakeClock();
        Channel<Integer> nobodySends = Channel.unbuffered();
        try (BatchScope g = new BatchScope(Context.background(clock))) {
            g.go(nobodySends::receive); // a lost wake-up, as far as the batch can tell
            clock.advance(BatchScope.BATCH_TIMEOUT);
            assertThatThrownBy(g::await)
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).contains(BatchScope.TIMED_OUT));
        }
        assertThat(BatchScope.TIMED_OUT).hasMessageContaining("did not finish within PT1M");
    }
}
