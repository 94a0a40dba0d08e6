package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicIntegerArray;
import dev.gopatterns.testkit.Await;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What each per-worker {@link Distribution} promises beyond the contract every pool keeps ({@link WorkerPoolTest}
 * runs that over them too): which worker gets which job, and the rules {@code build()} enforces. A job learns its
 * worker's index from the thread it runs on: the test's thread factory makes the workers' threads in index order.
 */
class DistributionTest {

    /** Virtual threads, remembered in the order the pool asks for them, which is the workers' index order. */
    private static final class Threads implements ThreadFactory {
        private final List<Thread> made = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Thread newThread(Runnable r) {
            Thread t = Thread.ofVirtual().unstarted(r);
            made.add(t);
            return t;
        }

        /** The index of the worker whose thread calls this. */
        int current() {
            int i = made.indexOf(Thread.currentThread());
            if (i < 0) {
                throw new IllegalStateException("not a worker thread: " + Thread.currentThread());
            }
            return i;
        }
    }

    private static WorkerPool.Builder pool(Threads threads, int workers, Distribution d) {
        return WorkerPool.builder().workers(workers).queueCapacity(1000).distribution(d).threadFactory(threads);
    }

    /** Submits {@code jobs} jobs that record their worker, waits for them all, and returns the workers in order. */
    private static int[] workersOf(WorkerPool pool, Threads threads, int jobs) throws InterruptedException {
        AtomicIntegerArray ranOn = new AtomicIntegerArray(jobs);
        List<Job<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            int k = i;
            handles.add(pool.submit(ctx -> {
                ranOn.set(k, threads.current());
                return k;
            }));
        }
        for (Job<Integer> j : handles) {
            assertThat(j.result().isOk()).isTrue();
        }
        int[] out = new int[jobs];
        for (int i = 0; i < jobs; i++) {
            out[i] = ranOn.get(i);
        }
        return out;
    }

    /** A job that waits for {@code gate}, having told {@code started} which worker runs it. */
    private static Task<Integer> gated(Threads threads, CountDownLatch started, CountDownLatch gate) {
        return ctx -> {
            started.countDown();
            gate.await();
            return threads.current();
        };
    }

    private static void awaitAllIdle(WorkerPool pool, int workers) {
        Await.until("every worker has started and idles", () -> pool.metrics().idle() == workers);
    }

    private static Task<Integer> whichWorker(Threads threads) {
        return ctx -> threads.current();
    }

    @Test
    @DisplayName("round-robin: job k runs on worker k mod n, and each worker runs its jobs in submission order")
    void roundRobinOrder() throws Exception {
        Threads threads = new Threads();
        List<Integer> startOrder = Collections.synchronizedList(new ArrayList<>());
        try (WorkerPool pool = pool(threads, 3, Distribution.roundRobin()).build()) {
            List<Job<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int k = i;
                jobs.add(pool.submit(ctx -> {
                    startOrder.add(k);
                    return threads.current();
                }));
            }
            for (int i = 0; i < 30; i++) {
                assertThat(jobs.get(i).result()).as("job " + i).isEqualTo(new Result.Ok<>(i % 3));
            }
        }
        for (int w = 0; w < 3; w++) {
            int worker = w;
            List<Integer> own = startOrder.stream().filter(k -> k % 3 == worker).toList();
            assertThat(own).as("worker " + w + "'s jobs in the order they started").isSorted().hasSize(10);
        }
    }

    @Test
    @DisplayName("least-loaded: while one worker is stuck on a long job, every new job goes to the idle one")
    void leastLoadedAvoidsBusyWorker() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = pool(threads, 2, Distribution.leastLoaded()).build()) {
            Job<Integer> longJob = pool.submit(gated(threads, started, gate));
            started.await();
            for (int i = 0; i < 5; i++) {
                Await.until("the other worker is idle", () -> pool.metrics().idle() == 1);
                assertThat(pool.submit(whichWorker(threads)).result()).as("job " + i).isEqualTo(new Result.Ok<>(1));
            }
            assertThat(longJob.tryResult()).as("still running").isEmpty();
            gate.countDown();
            assertThat(longJob.result()).isEqualTo(new Result.Ok<>(0));
        }
    }

    @Test
    @DisplayName("least-loaded counts queued and running jobs: with both workers busy, queued jobs alternate")
    void leastLoadedCountsQueuedJobs() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (WorkerPool pool = pool(threads, 2, Distribution.leastLoaded()).build()) {
            Job<Integer> a = pool.submit(gated(threads, started, gate)); // both idle, load 0: the lowest, worker 0
            Job<Integer> b = pool.submit(gated(threads, started, gate)); // worker 0 has 1: worker 1
            started.await();
            List<Job<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // loads 1,1 -> 0; 2,1 -> 1; 2,2 -> 0; 3,2 -> 1; 3,3 -> 0
                queued.add(pool.submit(whichWorker(threads)));
            }
            assertThat(pool.metrics().waiting()).isEqualTo(5);
            gate.countDown();
            assertThat(a.result()).isEqualTo(new Result.Ok<>(0));
            assertThat(b.result()).isEqualTo(new Result.Ok<>(1));
            List<Object> ranOn = new ArrayList<>();
            for (Job<Integer> j : queued) {
                ranOn.add(((Result.Ok<Integer>) j.result()).value());
            }
            assertThat(ranOn).containsExactly(0, 1, 0, 1, 0);
        }
    }

    @Test
    @DisplayName("weighted: smooth weighted round-robin spreads weights 5, 1, 1 as a a b a c a a")
    void weightedSmoothOrder() throws Exception {
        Threads threads = new Threads();
        try (WorkerPool pool = pool(threads, 3, Distribution.weighted(5, 1, 1)).build()) {
            assertThat(workersOf(pool, threads, 14)).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
        }
    }

    @Test
    @DisplayName("weighted: over 600 jobs, weights 3, 2, 1 give exactly 300, 200 and 100")
    void weightedProportions() throws Exception {
        Threads threads = new Threads();
        try (WorkerPool pool = pool(threads, 3, Distribution.weighted(3, 2, 1)).build()) {
            int[] counts = new int[3];
            for (int w : workersOf(pool, threads, 600)) {
                counts[w]++;
            }
            assertThat(counts).containsExactly(300, 200, 100);
        }
    }

    @Test
    @DisplayName("random: 400 jobs over 4 workers reach every worker (a miss has probability below 1e-49)")
    void randomReachesEveryWorker() throws Exception {
        Threads threads = new Threads();
        try (WorkerPool pool = pool(threads, 4, Distribution.random()).build()) {
            int[] counts = new int[4];
            for (int w : workersOf(pool, threads, 400)) {
                counts[w]++;
            }
            assertThat(counts).doesNotContain(0);
        }
    }

    @Test
    @DisplayName("without stealing, a job queued behind a long job waits even though another worker is idle")
    void headOfLineBlocking() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = pool(threads, 2, Distribution.roundRobin()).build()) {
            Job<Integer> longJob = pool.submit(gated(threads, started, gate)); // turn 0: worker 0
            started.await();
            assertThat(pool.submit(whichWorker(threads)).result()).isEqualTo(new Result.Ok<>(1)); // turn 1
            Await.until("worker 1 is idle", () -> pool.metrics().idle() == 1);
            Job<Integer> behind = pool.submit(whichWorker(threads)); // turn 0 again: queued behind the long job
            PoolMetrics m = pool.metrics();
            assertThat(m.idle()).as("worker 1 idles").isEqualTo(1);
            assertThat(m.waiting()).as("while the job waits for worker 0").isEqualTo(1);
            assertThat(behind.tryResult()).isEmpty();
            gate.countDown();
            assertThat(behind.result()).isEqualTo(new Result.Ok<>(0));
        }
    }

    @Test
    @DisplayName("with stealing, that job goes to the idle worker at once")
    void stealingHandsToIdleWorker() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = pool(threads, 2, Distribution.roundRobin().withStealing()).build()) {
            awaitAllIdle(pool, 2); // else a starting worker could steal the first job from its owner
            Job<Integer> longJob = pool.submit(gated(threads, started, gate));
            started.await();
            assertThat(pool.submit(whichWorker(threads)).result()).isEqualTo(new Result.Ok<>(1));
            Await.until("worker 1 is idle", () -> pool.metrics().idle() == 1);
            assertThat(pool.submit(whichWorker(threads)).result()).as("worker 0's turn, run by worker 1")
                    .isEqualTo(new Result.Ok<>(1));
            assertThat(longJob.tryResult()).isEmpty();
            gate.countDown();
            assertThat(longJob.result()).isEqualTo(new Result.Ok<>(0));
        }
    }

    @Test
    @DisplayName("with stealing, a worker that empties its own queue takes the oldest jobs of the longest other queue")
    void stealingFromQueues() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate0 = new CountDownLatch(1);
        CountDownLatch gate1 = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        try (WorkerPool pool = pool(threads, 2, Distribution.roundRobin().withStealing()).build()) {
            awaitAllIdle(pool, 2); // else a starting worker could steal the first job from its owner
            Job<Integer> a = pool.submit(gated(threads, started, gate0)); // worker 0, until gate0
            Job<Integer> b = pool.submit(gated(threads, started, gate1)); // worker 1, until gate1
            started.await();
            List<Job<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // turns 0, 1, 0, 1, 0: queues [c0, c2, c4] and [c1, c3]
                int k = i;
                queued.add(pool.submit(ctx -> {
                    order.add(k);
                    return threads.current();
                }));
            }
            assertThat(pool.metrics().waiting()).isEqualTo(5);
            gate1.countDown(); // worker 1 runs c1, c3, then steals c0, c2, c4 from worker 0, still stuck on a
            for (Job<Integer> j : queued) {
                assertThat(j.result()).isEqualTo(new Result.Ok<>(1));
            }
            assertThat(order).containsExactly(1, 3, 0, 2, 4);
            assertThat(a.tryResult()).isEmpty();
            gate0.countDown();
            assertThat(a.result()).isEqualTo(new Result.Ok<>(0));
            assertThat(b.result()).isEqualTo(new Result.Ok<>(1));
        }
    }

    @Test
    @DisplayName("the queue capacity bounds all the workers' queues together, whichever worker a job is for")
    void capacityIsTotal() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        try (WorkerPool pool = WorkerPool.builder().workers(2).queueCapacity(3).distribution(Distribution.roundRobin())
                .threadFactory(threads).build()) {
            pool.submit(gated(threads, started, gate));
            pool.submit(gated(threads, started, gate));
            started.await();
            for (int i = 0; i < 3; i++) { // worker 0's queue gets 2, worker 1's gets 1
                assertThat(pool.trySubmit(whichWorker(threads))).isInstanceOf(Submission.Accepted.class);
            }
            assertThat(pool.trySubmit(whichWorker(threads)))
                    .as("worker 1's queue holds only one job, but the pool's three places are taken")
                    .isEqualTo(new Submission.Rejected<>(Submission.Reason.QUEUE_FULL));
            gate.countDown();
        }
    }

    @Test
    @DisplayName("graceful shutdown drains every worker's queue")
    void shutdownDrainsEveryQueue() throws Exception {
        Threads threads = new Threads();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        WorkerPool pool = pool(threads, 3, Distribution.leastLoaded()).build();
        List<Job<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(pool.submit(gated(threads, started, gate)));
        }
        started.await();
        for (int i = 0; i < 9; i++) {
            jobs.add(pool.submit(whichWorker(threads)));
        }
        pool.shutdown();
        gate.countDown();
        pool.close();
        int[] perWorker = new int[3];
        for (Job<Integer> j : jobs) {
            perWorker[((Result.Ok<Integer>) j.result()).value()]++;
        }
        assertThat(perWorker).containsExactly(4, 4, 4);
        assertThat(pool.metrics().checkInvariants().succeeded()).isEqualTo(12);
    }

    @Test
    @DisplayName("a pool with per-worker queues cannot be resized, and says why")
    void noResize() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().workers(2).distribution(Distribution.roundRobin()).build()) {
            assertThatThrownBy(() -> pool.resize(3)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("pool: a pool with per-worker queues (roundRobin) cannot be resized: each worker's"
                            + " queue lives as long as the pool");
            assertThat(pool.submit(ctx -> "still fine").result()).isEqualTo(new Result.Ok<>("still fine"));
        }
    }

    @Test
    @DisplayName("bad configuration fails in build() naming the rule")
    void badConfiguration() {
        assertThatThrownBy(() -> WorkerPool.builder().workers(1, 4).distribution(Distribution.roundRobin()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pool: per-worker queues (roundRobin) need a fixed number of workers (workers(n), not"
                        + " workers(min, max)), was workers(1, 4)");
        assertThatThrownBy(() -> WorkerPool.builder().workerGroup(2, "io").distribution(Distribution.leastLoaded())
                .build())
                .hasMessage("pool: per-worker queues (leastLoaded) need general workers only, not capability groups"
                        + " (workerGroup)");
        assertThatThrownBy(() -> WorkerPool.builder().workers(2).workerGroup(2, "io")
                .distribution(Distribution.random()).build())
                .hasMessage("pool: per-worker queues (random) need general workers only, not capability groups"
                        + " (workerGroup)");
        assertThatThrownBy(() -> WorkerPool.builder().workers(2).priorities(3).distribution(Distribution.random())
                .build())
                .hasMessage("pool: per-worker queues (random) need one priority level, was 3");
        assertThatThrownBy(() -> WorkerPool.builder().workers(3).distribution(Distribution.weighted(1, 2)).build())
                .hasMessage("pool: weighted needs exactly one weight per worker, was 2 weights for 3 workers");
        assertThatThrownBy(() -> WorkerPool.builder().distribution(Distribution.weighted(1, 2)).build())
                .as("the default is 4 workers")
                .hasMessage("pool: weighted needs exactly one weight per worker, was 2 weights for 4 workers");
        assertThatThrownBy(() -> Distribution.weighted(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pool: weights must be >= 1, was 0 (weight 1)");
        assertThatThrownBy(Distribution::weighted).hasMessage("pool: weighted needs at least one weight");
        assertThatThrownBy(() -> Distribution.shared().withStealing()).isInstanceOf(IllegalStateException.class)
                .hasMessage("pool: the shared distribution has nothing to steal");
        assertThatThrownBy(() -> WorkerPool.builder().distribution(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("a weighted distribution keeps its own copy of the weights, and names itself")
    void weightsCopied() {
        int[] weights = {2, 1};
        Distribution d = Distribution.weighted(weights);
        weights[0] = 0;
        assertThat(d).hasToString("weighted[2, 1]").isEqualTo(Distribution.weighted(2, 1));
        assertThat(d.withStealing()).hasToString("weighted[2, 1]+stealing").isNotEqualTo(d);
        assertThat(Distribution.shared()).hasToString("shared");
    }
}
