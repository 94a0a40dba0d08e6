package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import java.io.IOException;
import java.util.BitSet;
import java.util.SplittableRandom;
import dev.gopatterns.testkit.HangTimeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A million items through four-stage pipelines with parallel stages, random buffers and random cancellation: every
 * item delivered exactly once (with the right value) or counted cancelled or skipped, the books balanced, and no
 * stage thread left after each run.
 */
@ExtendWith(UncaughtExceptions.class)
class PipelineStressTest {

    private static final int TOTAL = 1_000_000;
    private static final int ITEMS_PER_RUN = 25_000;

    @Test
    @HangTimeout(seconds = 120)
    void aMillionItemsAreEachDeliveredOnceOrAccountedFor() throws Exception {
        long seed = Long.getLong("stress.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        long entered = 0;
        long delivered = 0;
        long cancelled = 0;
        long skipped = 0;
        int runs = 0;
        int cancelledRuns = 0;
        long t0 = System.nanoTime();
        while (entered < TOTAL) {
            String config = "seed " + seed + ", run " + runs;
            // a third of the runs complete; the others are cancelled somewhere in their second half
            long cancelAfter = random.nextInt(3) == 0 ? Long.MAX_VALUE
                    : ITEMS_PER_RUN / 2 + random.nextLong(ITEMS_PER_RUN / 2);
            long t = System.nanoTime();
            Outcome o = runOnce(random, ITEMS_PER_RUN, cancelAfter, config);
            if (Boolean.getBoolean("stress.verbose")) {
                System.out.printf("run %d: %s, %d ms%n", runs, o, (System.nanoTime() - t) / 1_000_000);
            }
            entered += o.entered;
            delivered += o.delivered;
            cancelled += o.cancelled;
            skipped += o.skipped;
            cancelledRuns += o.wasCancelled ? 1 : 0;
            runs++;
            assertThat(Stages.liveThreads()).as("%s: stage threads after the run", config).isZero();
        }
        assertThat(delivered + cancelled + skipped).as("seed %d: every item that entered accounted for", seed)
                .isEqualTo(entered);
        assertThat(cancelledRuns).as("seed %d: some runs were cancelled", seed).isPositive();
        System.out.printf("pipeline stress, seed %d: %d items entered in %d runs (%d cancelled) in %d ms: %d delivered"
                        + " once each, %d cancelled, %d skipped; no stage thread left after any run%n", seed, entered,
                runs, cancelledRuns, (System.nanoTime() - t0) / 1_000_000, delivered, cancelled, skipped);
    }

    private record Outcome(long entered, long delivered, long cancelled, long skipped, boolean wasCancelled) {}

    private Outcome runOnce(SplittableRandom random, int items, long cancelAfter, String config)
            throws InterruptedException {
        int[] buffers = {0, 0, 1, 16, 64};
        int par1 = 1 + random.nextInt(4);
        int par2 = 1 + random.nextInt(4);
        int mode = random.nextInt(3);
        boolean firstOrdered = random.nextBoolean();
        String shape = (firstOrdered ? "ordered " : "unordered ") + par1 + ", then "
                + new String[] {"ordered", "unordered", "partitioned"}[mode] + " " + par2;
        Pipeline<Long> p = Pipeline.<Long>generate((ctx, emit) -> {
            for (long i = 0; i < items; i++) {
                if (!emit.emit(i)) {
                    return;
                }
            }
        }).buffer(buffers[random.nextInt(buffers.length)]);
        Pipeline.StageFunction<Long, Long> first = (ctx, i) -> i * 3;
        p = (firstOrdered ? p.mapOrdered(par1, first) : p.mapUnordered(par1, first))
                .buffer(buffers[random.nextInt(buffers.length)]);
        Pipeline.StageFunction<Long, Long> second = (ctx, v) -> {
            if (v % 1009 == 0) {
                throw new IOException("skip " + v);
            }
            return v + 1;
        };
        p = switch (mode) {
            case 0 -> p.mapOrdered(par2, second);
            case 1 -> p.mapUnordered(par2, second);
            default -> p.mapPartitioned(par2, v -> v % 13, second);
        };
        p = p.onError(ErrorPolicy.SKIP).buffer(buffers[random.nextInt(buffers.length)]).map(v -> (v - 1) / 3);

        BitSet seen = new BitSet(items);
        long delivered = 0;
        long afterCancel = 0;
        long last = -1;
        boolean ordered = firstOrdered && mode == 0; // input order survives only ordered stages
        boolean wasCancelled = false;
        Summary summary;
        try (CancellableContext ctx = Context.withCancel(Context.background());
             Run<Long> run = p.start(ctx)) {
            while (run.output().receiveOrClosed() instanceof dev.gopatterns.chan.Received.Value<Long>(Long id)) {
                if (wasCancelled) {
                    afterCancel++; // sent before the stages saw the cancel: the caller's, not lost
                    continue;
                }
                int i = Math.toIntExact(id);
                assertThat(seen.get(i)).as("%s (%s): item %d delivered twice", config, shape, i).isFalse();
                seen.set(i);
                if (ordered) {
                    assertThat(id).as("%s (%s): order", config, shape).isGreaterThan(last);
                    last = id;
                }
                if (++delivered == cancelAfter) {
                    ctx.cancel();
                    wasCancelled = true;
                }
            }
            try {
                summary = run.await();
                assertThat(wasCancelled && delivered < items - skippedAmong(items, null))
                        .as("%s: a run cut short must say so", config).isFalse();
            } catch (ContextCanceledException expected) {
                assertThat(wasCancelled).as("%s: cancelled without a cancel", config).isTrue();
                summary = run.summary().orElseThrow();
            }
        }
        summary.checkBalanced();
        assertThat(summary.last().out()).as("%s: values sent to the output", config).isEqualTo(delivered + afterCancel);
        assertThat(seen.cardinality()).isEqualTo((int) delivered);
        long skipped = summary.skipped();
        long cancelled = summary.cancelled() + afterCancel;
        assertThat(delivered + cancelled + skipped).as("%s (%s): %s", config, shape, summary)
                .isEqualTo(summary.source().in());
        if (!wasCancelled) {
            assertThat(summary.source().in()).isEqualTo(items);
            assertThat(skipped).as("%s: skipped are the i divisible by 1009", config)
                    .isEqualTo(skippedAmong(items, null));
            assertThat(delivered).isEqualTo(items - skipped);
        }
        return new Outcome(summary.source().in(), delivered, cancelled, skipped, wasCancelled);
    }

    /** Items whose second stage fails: 3i divisible by 1009, that is i divisible by 1009 (1009 is prime). */
    private static long skippedAmong(int items, BitSet delivered) {
        long n = 0;
        for (int i = 0; i < items; i += 1009) {
            if (delivered == null || !delivered.get(i)) {
                n++;
            }
        }
        return n;
    }
}
