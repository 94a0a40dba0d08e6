package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.testkit.HangTimeout;
import dev.gopatterns.testkit.TestThreads;
import dev.gopatterns.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A million jobs through pools of random kinds and shapes (every {@link PoolKind}, fixed pools with random
 * distributions, with and without stealing; dynamic pools retiring and
 * regrowing workers constantly), submitted by every route (submit, trySubmit, onSubmit) at random priorities,
 * with random cancellation, resizes at random moments, and a shutdown, graceful or immediate, at a random
 * moment, while a sampler checks the metrics' invariants (and that no counter goes down) the whole time. Every job is accounted for exactly once: it ran at most once, and ran if
 * and only if its result says it may have; every rejected job never ran; the counters add up.
 * {@code -Dgopatterns.pool.stressJobs=N} changes the total.
 */
class PoolStressTest {

    private static final int TOTAL = Integer.getInteger("gopatterns.pool.stressJobs", 1_000_000);
    private static final int PER_ROUND = 20_000;

    @Test
    @HangTimeout(seconds = 120)
    @DisplayName("a million jobs with random cancel and shutdown: every job accounted for exactly once")
    void everyJobAccountedForOnce() throws Exception {
        long accepted = 0;
        long rejected = 0;
        for (int done = 0; done < TOTAL; done += PER_ROUND) {
            long[] r = round(Math.min(PER_ROUND, TOTAL - done));
            accepted += r[0];
            rejected += r[1];
        }
        assertThat(accepted + rejected).isEqualTo(TOTAL);
        assertThat(accepted).as("most jobs get in").isGreaterThan(TOTAL / 4);
    }

    /** The shared queue half the time, else a random per-worker strategy, with or without stealing. */
    private static Distribution distribution(ThreadLocalRandom rnd, int workers) {
        int[] weights = rnd.ints(workers, 1, 4).toArray();
        Distribution d = switch (rnd.nextInt(8)) {
            case 0 -> Distribution.roundRobin();
            case 1 -> Distribution.leastLoaded();
            case 2 -> Distribution.random();
            case 3 -> Distribution.weighted(weights);
            default -> Distribution.shared();
        };
        return !d.equals(Distribution.shared()) && rnd.nextBoolean() ? d.withStealing() : d;
    }

    /** One pool, {@code jobs} submissions; returns {accepted, rejected}. */
    private long[] round(int jobs) throws Exception {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int producers = 1 + rnd.nextInt(3);
        int perProducer = jobs / producers;
        int total = perProducer * producers;
        int shutdownAt = rnd.nextInt(total + total / 4); // sometimes never: close() then drains
        boolean immediate = rnd.nextBoolean();
        int workers = 1 + rnd.nextInt(4);
        PoolKind kind = PoolKind.values()[rnd.nextInt(PoolKind.values().length)];
        List<Thread> made = new CopyOnWriteArrayList<>();
        ThreadFactory virtualThreads = Thread.ofVirtual().factory();
        WorkerPool.Builder builder = kind.builder(workers).queueCapacity(rnd.nextInt(17)).threadFactory(task -> {
            Thread t = virtualThreads.newThread(task);
            made.add(t);
            return t;
        });
        Distribution distribution = kind == PoolKind.FIXED ? distribution(rnd, workers) : Distribution.shared();
        if (kind == PoolKind.FIXED) {
            builder.distribution(distribution);
        }
        if (kind == PoolKind.DYNAMIC) {
            builder.idleTimeout(Duration.ofNanos(1 + rnd.nextInt(100_000))); // retire and regrow all the time
        }
        WorkerPool pool = builder.build();
        int levels = kind == PoolKind.PRIORITY ? 3 : 1;
        boolean resizable = switch (kind) {
            case FIXED -> distribution.equals(Distribution.shared()); // per-worker queues cannot be resized
            case DYNAMIC, PRIORITY, RATE_LIMITED -> true;
            default -> false;
        };
        int resizeEvery = 1 + rnd.nextInt(2_000);
        AtomicIntegerArray ran = new AtomicIntegerArray(total);
        ConcurrentLinkedQueue<Object[]> outcomes = new ConcurrentLinkedQueue<>(); // {index, Job or Rejected}
        AtomicLong submitted = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Channel<Void> never = Channel.unbuffered();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Long> sampler = threads.submit("sampler", () -> {
                long samples = 0;
                PoolMetrics previous = pool.metrics().checkInvariants();
                while (sampling.get()) {
                    PoolMetrics now = pool.metrics().checkInvariants().checkFollows(previous);
                    previous = now;
                    samples++;
                }
                return samples;
            });
            List<Future<Void>> work = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                work.add(threads.start("producer-" + p, () -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = base; i < base + perProducer; i++) {
                        int index = i;
                        Task<Integer> task = ctx -> {
                            ran.incrementAndGet(index);
                            if (index % 97 == 0) {
                                throw new IllegalStateException("job " + index + " fails");
                            }
                            return index;
                        };
                        long count = submitted.incrementAndGet();
                        if (resizable && count % resizeEvery == 0) {
                            try {
                                int min = r.nextInt(3);
                                pool.resize(Math.min(min, 1 + r.nextInt(4)) , Math.max(min, 1 + r.nextInt(4)));
                            } catch (IllegalStateException afterShutdown) {
                                assertThat(afterShutdown).hasMessage("pool: resize after shutdown");
                            }
                        }
                        if (count == shutdownAt) {
                            if (immediate) {
                                pool.shutdownNow();
                            } else {
                                pool.shutdown();
                            }
                        }
                        Object outcome;
                        JobOptions options = JobOptions.defaults().priority(r.nextInt(levels));
                        if (kind == PoolKind.CAPABILITY && r.nextBoolean()) {
                            options = options.requires("io");
                        }
                        try {
                            outcome = switch (r.nextInt(3)) {
                                case 0 -> pool.submit(Context.background(), options, task);
                                case 1 -> pool.trySubmit(options, task);
                                default -> Select.select(pool.onSubmit(options, task, j -> j),
                                        never.onReceiveOrClosed(x -> null));
                            };
                        } catch (RejectedException e) {
                            outcome = new Submission.Rejected<Integer>(e.reason());
                        }
                        if (outcome instanceof Submission.Accepted<?>(var job)) {
                            outcome = job;
                        }
                        if (outcome instanceof Job<?> job && r.nextInt(50) == 0) {
                            job.cancel();
                        }
                        outcomes.add(new Object[] {index, outcome});
                    }
                }));
            }
            for (Future<Void> f : work) {
                f.get();
            }
            pool.close();
            sampling.set(false);
            assertThat(sampler.get()).isPositive();
            assertThat(made).as("no worker thread of a %s pool outlives close()", kind).noneMatch(Thread::isAlive);
        }
        long accepted = 0;
        long rejected = 0;
        long mayHaveRun = 0;
        for (Object[] o : outcomes) {
            int index = (Integer) o[0];
            int runs = ran.get(index);
            assertThat(runs).as("job %d ran at most once", index).isLessThanOrEqualTo(1);
            if (o[1] instanceof Job<?> job) {
                accepted++;
                Result<?> result = job.tryResult().orElseThrow(() -> new AssertionError("job " + index + " never ended"));
                switch (result) {
                    case Result.Ok<?>(var v) -> assertThat(runs).as("job %d Ok", index).isEqualTo(1);
                    case Result.Failed<?>(var e) -> assertThat(runs).as("job %d Failed", index).isEqualTo(1);
                    case Result.Cancelled<?>(var cause, var started) -> {
                        if (!started) {
                            assertThat(runs).as("job %d cancelled before starting never ran", index).isZero();
                        }
                    }
                }
                mayHaveRun += runs;
            } else {
                assertThat(o[1]).isInstanceOf(Submission.Rejected.class);
                assertThat(runs).as("rejected job %d never ran", index).isZero();
                rejected++;
            }
        }
        assertThat(accepted + rejected).isEqualTo(total);
        PoolMetrics m = pool.metrics().checkInvariants();
        assertThat(m.submitted()).isEqualTo(accepted);
        assertThat(m.completed()).as("every accepted job ended").isEqualTo(accepted);
        assertThat(m.waiting() + m.running()).isZero();
        assertThat(m.succeeded() + m.failed()).isLessThanOrEqualTo(mayHaveRun);
        assertThat(m.rejected()).isEqualTo(rejected);
        assertThat(m.workers()).as("every worker has exited").isZero();
        return new long[] {accepted, rejected + (jobs - total)};
    }
}
