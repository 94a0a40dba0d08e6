package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static dev.gopatterns.pipeline.Pipes.endless;
import static dev.gopatterns.pipeline.Pipes.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.CapacitySweep;
import dev.gopatterns.testkit.TestThreads;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(UncaughtExceptions.class)
class SourcesTest {

    private static final Context BG = Context.background();

    @Test
    void generatorDeliversItsValuesInOrderThenClosesOnce() throws InterruptedException {
        assertThat(drain(Sources.generator(BG, 1, 2, 3))).containsExactly(1, 2, 3);
        assertThat(drain(Sources.generator(BG))).isEmpty();
    }

    @Test
    void generatorOverAnIterableIsLazy() throws InterruptedException {
        Iterable<Integer> naturals = () -> Stream.iterate(0, i -> i + 1).iterator();
        try (CancellableContext ctx = Context.withCancel(BG)) {
            assertThat(drain(Sources.take(ctx, Sources.generator(ctx, naturals), 5))).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void generatorRejectsNullValuesAtOnce() {
        assertThatThrownBy(() -> Sources.generator(BG, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void repeatCyclesUntilTakeHasEnough() throws InterruptedException {
        try (CancellableContext ctx = Context.withCancel(BG)) {
            assertThat(drain(Sources.take(ctx, Sources.repeat(ctx, "a", "b"), 5)))
                    .containsExactly("a", "b", "a", "b", "a");
        } // the repeat is blocked sending its sixth value: the cancel ends it
    }

    @Test
    void repeatNeedsAValue() {
        assertThatThrownBy(() -> Sources.repeat(BG)).hasMessage("repeat needs at least one value");
    }

    @Test
    void repeatFnCallsTheFunctionOncePerValue() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        try (CancellableContext ctx = Context.withCancel(BG)) {
            assertThat(drain(Sources.take(ctx, Sources.repeatFn(ctx, calls::incrementAndGet), 3)))
                    .containsExactly(1, 2, 3);
            ctx.cancel();
            awaitStagesEnded();
            // the fourth value was computed and was being offered when the cancel came; no fifth
            assertThat(calls.get()).isEqualTo(4);
        }
    }

    @CapacitySweep
    void takeDeliversTheFirstNAndLeavesTheRest(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            var in = feed(threads, capacity, 1, 2, 3, 4, 5);
            assertThat(drain(Sources.take(BG, in, 2))).containsExactly(1, 2);
            assertThat(drain(in)).containsExactly(3, 4, 5);
        }
    }

    @CapacitySweep
    void takeClosesWhenItsInputClosesFirst(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            assertThat(drain(Sources.take(BG, feed(threads, capacity, 1, 2), 10))).containsExactly(1, 2);
        }
    }

    @Test
    void takeZeroClosesAtOnceAndLeavesItsUpstreamToTheContext() throws InterruptedException {
        try (CancellableContext ctx = Context.withCancel(BG)) {
            assertThat(drain(Sources.take(ctx, Sources.generator(ctx, 1), 0))).isEmpty();
        } // the generator is blocked offering 1 to nobody: Go's leak, ended here by the cancel
    }

    @CapacitySweep
    void cancelEndsEveryStageBlockedSendingToAConsumerThatStopped(int capacity) throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual();
             CancellableContext ctx = Context.withCancel(BG)) {
            ReceiveChannel<Integer> taken = Sources.take(ctx, endless(threads, ctx, capacity), 1000);
            ReceiveChannel<String> repeated = Sources.repeat(ctx, "x");
            ReceiveChannel<Integer> generated = Sources.generator(ctx, List.of(1, 2, 3));
            assertThat(taken.receive()).isZero();
            assertThat(repeated.receive()).isEqualTo("x");
            assertThat(generated.receive()).isEqualTo(1);
            // the consumer stops reading; every stage is (or soon will be) blocked in a send
            ctx.cancel();
            assertThat(drain(taken)).hasSizeLessThanOrEqualTo(1);
            assertThat(drain(repeated)).hasSizeLessThanOrEqualTo(1);
            assertThat(drain(generated)).hasSizeLessThanOrEqualTo(1);
            awaitStagesEnded();
        }
    }

    @Test
    void aContextAlreadyDoneSendsNothing() throws InterruptedException {
        CancellableContext ctx = Context.withCancel(BG);
        ctx.cancel();
        for (int i = 0; i < 100; i++) {
            assertThat(drain(Sources.generator(ctx, 1, 2, 3))).isEmpty();
        }
    }
}
