package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What each pool kind adds to the contract ({@link WorkerPoolTest}): growth, priority, routing, timing. */
class PoolKindsTest {

    private static Task<String> gated(CountDownLatch gate, String value) {
        return ctx -> {
            gate.await();
            return value;
        };
    }

    /** A task that records its name in {@code order} when it runs. */
    private static Task<String> recording(List<String> order, String name) {
        return ctx -> {
            order.add(name);
            return name;
        };
    }

    @Nested
    @DisplayName("dynamic")
    class Dynamic {

        @Test
        @DisplayName("grows a worker for each job that finds none idle, up to max; then queues, then rejects")
        void growsUpToMax() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            try (WorkerPool pool = WorkerPool.builder().workers(0, 3).queueCapacity(2).build()) {
                assertThat(pool.metrics().workers()).isZero();
                for (int i = 0; i < 3; i++) {
                    pool.trySubmit(gated(gate, "r" + i)).orThrow();
                    assertThat(pool.metrics().workers()).as("a worker per job while below max").isEqualTo(i + 1);
                }
                pool.trySubmit(gated(gate, "q1")).orThrow();
                pool.trySubmit(gated(gate, "q2")).orThrow();
                assertThat(pool.metrics().workers()).isEqualTo(3);
                assertThat(pool.trySubmit(gated(gate, "x")))
                        .isEqualTo(new Submission.Rejected<>(Submission.Reason.QUEUE_FULL));
                gate.countDown();
            }
        }

        @Test
        @DisplayName("a worker idle for the idle timeout retires, down to min, measured on the pool's clock")
        void idleWorkersRetire() throws Exception {
            FakeClock clock = new FakeClock();
            CountDownLatch gate = new CountDownLatch(1);
            try (WorkerPool pool = WorkerPool.builder().workers(1, 3).idleTimeout(Duration.ofSeconds(5))
                    .clock(clock).build()) {
                List<Job<String>> jobs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    jobs.add(pool.submit(gated(gate, "j" + i)));
                }
                Await.until("three workers run the three jobs", () -> pool.metrics().running() == 3);
                gate.countDown();
                Await.until("all three are idle", () -> pool.metrics().idle() == 3);
                clock.advance(Duration.ofMillis(4999));
                assertThat(pool.metrics().workers()).as("not yet: idle 4.999 s of 5").isEqualTo(3);
                clock.advance(Duration.ofMillis(1));
                Await.until("the two above min retire", () -> pool.metrics().workers() == 1);
                clock.advance(Duration.ofMinutes(1));
                assertThat(pool.metrics().workers()).as("min stays").isEqualTo(1);
                assertThat(pool.submit(ctx -> "still works").result()).isEqualTo(new Result.Ok<>("still works"));
            }
        }

        @Test
        @DisplayName("resize down never interrupts a running job: surplus workers retire when their job ends")
        void resizeDownLetsJobsFinish() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            try (WorkerPool pool = WorkerPool.builder().workers(3).build()) {
                List<Job<String>> jobs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    jobs.add(pool.submit(gated(gate, "j" + i)));
                }
                Await.until("three running", () -> pool.metrics().running() == 3);
                pool.resize(1);
                assertThat(pool.metrics().workers()).as("busy workers stay until their job ends").isEqualTo(3);
                gate.countDown();
                for (Job<String> j : jobs) {
                    assertThat(j.result()).isInstanceOf(Result.Ok.class);
                }
                Await.until("two retired", () -> pool.metrics().workers() == 1);
                pool.resize(4);
                assertThat(pool.metrics().workers()).as("growing to a new min starts workers at once").isEqualTo(4);
            }
        }

        @Test
        @DisplayName("resize up admits a submitter that was waiting for room")
        void resizeUpAdmitsWaitingSubmitter() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            try (WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(0).build();
                 TestThreads threads = TestThreads.virtual()) {
                pool.submit(gated(gate, "busy"));
                Future<Job<String>> waiting = threads.submit("submitter", () -> pool.submit(ctx -> "admitted"));
                Await.blocked(threads.threads().getFirst());
                pool.resize(2);
                assertThat(waiting.get().result()).isEqualTo(new Result.Ok<>("admitted"));
                gate.countDown();
            }
        }

        @Test
        @DisplayName("bad sizes fail naming the rule")
        void badSizes() {
            assertThatThrownBy(() -> WorkerPool.builder().workers(3, 2))
                    .hasMessage("pool: max workers must be >= min workers, was 2 < 3");
            assertThatThrownBy(() -> WorkerPool.builder().workers(-1, 2))
                    .hasMessage("pool: workers must be >= 0, was -1");
            try (WorkerPool pool = WorkerPool.fixed(1)) {
                assertThatThrownBy(() -> pool.resize(0)).hasMessage("pool: workers must be >= 1, was 0");
                pool.shutdown();
                assertThatThrownBy(() -> pool.resize(2)).hasMessage("pool: resize after shutdown");
            }
        }
    }

    @Nested
    @DisplayName("priority")
    class Priority {

        @Test
        @DisplayName("higher levels run first, FIFO within a level")
        void higherFirst() throws Exception {
            FakeClock clock = new FakeClock(); // never advanced: no aging
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            try (WorkerPool pool = WorkerPool.builder().workers(1).priorities(3).clock(clock).build()) {
                pool.submit(gated(gate, "blocker"));
                Await.until("the blocker runs", () -> pool.metrics().running() == 1);
                pool.submit(Context.background(), JobOptions.defaults().priority(0), recording(order, "low"));
                pool.submit(Context.background(), JobOptions.defaults().priority(2), recording(order, "high-1"));
                pool.submit(Context.background(), JobOptions.defaults().priority(1), recording(order, "mid"));
                pool.submit(Context.background(), JobOptions.defaults().priority(2), recording(order, "high-2"));
                gate.countDown();
                pool.shutdown();
                pool.awaitTermination();
            }
            assertThat(order).containsExactly("high-1", "high-2", "mid", "low");
        }

        @Test
        @DisplayName("aging: a low job that waited (levels - 1) * aging goes before newer high jobs; less, and it waits")
        void agingPreventsStarvation() throws Exception {
            assertThat(runAfterWaiting(Duration.ofSeconds(2))).containsExactly("low", "high-1", "high-2");
            assertThat(runAfterWaiting(Duration.ofMillis(1999))).containsExactly("high-1", "high-2", "low");
        }

        private List<String> runAfterWaiting(Duration waited) throws Exception {
            FakeClock clock = new FakeClock();
            CountDownLatch gate = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            try (WorkerPool pool = WorkerPool.builder().workers(1).priorities(3).aging(Duration.ofSeconds(1))
                    .clock(clock).build()) {
                pool.submit(gated(gate, "blocker"));
                Await.until("the blocker runs", () -> pool.metrics().running() == 1);
                pool.submit(Context.background(), JobOptions.defaults().priority(0), recording(order, "low"));
                clock.advance(waited);
                pool.submit(Context.background(), JobOptions.defaults().priority(2), recording(order, "high-1"));
                pool.submit(Context.background(), JobOptions.defaults().priority(2), recording(order, "high-2"));
                gate.countDown();
                pool.shutdown();
                pool.awaitTermination();
            }
            return order;
        }

        @Test
        @DisplayName("a level the pool does not have is refused at submit, naming the rule")
        void levelOutOfRange() {
            try (WorkerPool pool = WorkerPool.builder().workers(1).priorities(2).build()) {
                assertThatThrownBy(() -> pool.trySubmit(JobOptions.defaults().priority(2), ctx -> "x"))
                        .hasMessage("pool: priority must be < 2 (the pool's priority levels), was 2");
                assertThat(pool.metrics().submitted()).isZero();
            }
            assertThatThrownBy(() -> JobOptions.defaults().priority(-1)).hasMessage("pool: priority must be >= 0, was -1");
        }
    }

    @Nested
    @DisplayName("capability routing")
    class Capabilities {

        @Test
        @DisplayName("a job runs only on a worker with every capability it requires")
        void routes() throws Exception {
            Set<Thread> gpuThreads = ConcurrentHashMap.newKeySet();
            Set<Thread> ioThreads = ConcurrentHashMap.newKeySet();
            try (WorkerPool pool = WorkerPool.builder().workerGroup(1, "gpu", "fast").workerGroup(2, "io").build()) {
                List<Job<?>> jobs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    jobs.add(pool.submit(Context.background(), JobOptions.defaults().requires("gpu"), ctx -> {
                        gpuThreads.add(Thread.currentThread());
                        return null;
                    }));
                    jobs.add(pool.submit(Context.background(), JobOptions.defaults().requires("io"), ctx -> {
                        ioThreads.add(Thread.currentThread());
                        return null;
                    }));
                }
                for (Job<?> j : jobs) {
                    assertThat(j.result().isOk()).isTrue();
                }
            }
            assertThat(gpuThreads).hasSize(1).doesNotContainAnyElementsOf(ioThreads);
            assertThat(ioThreads).hasSizeBetween(1, 2);
        }

        @Test
        @DisplayName("a job waiting for a busy capable worker does not hold up jobs other workers can run")
        void noHeadOfLineBlocking() throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            try (WorkerPool pool = WorkerPool.builder().workerGroup(1, "gpu").workerGroup(1, "io").build()) {
                pool.submit(Context.background(), JobOptions.defaults().requires("gpu"), gated(gate, "gpu-busy"));
                Await.until("the gpu worker is busy", () -> pool.metrics().running() == 1);
                Job<String> queuedGpu = pool.submit(Context.background(), JobOptions.defaults().requires("gpu"), ctx -> "gpu");
                Job<String> io = pool.submit(Context.background(), JobOptions.defaults().requires("io"), ctx -> "io");
                assertThat(io.result()).isEqualTo(new Result.Ok<>("io"));
                assertThat(queuedGpu.isDone()).isFalse();
                gate.countDown();
                assertThat(queuedGpu.result()).isEqualTo(new Result.Ok<>("gpu"));
            }
        }

        @Test
        @DisplayName("a job no worker can run is refused at submit, naming what is missing and what there is")
        void noCapableWorker() {
            try (WorkerPool pool = WorkerPool.builder().workerGroup(1, "gpu").workerGroup(2, "io").build()) {
                assertThatThrownBy(() -> pool.trySubmit(JobOptions.defaults().requires("tpu"), ctx -> "x"))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("pool: no worker has the capabilities [tpu] (this pool has 1 with [gpu], 2 with [io])");
                assertThatThrownBy(() -> pool.trySubmit(JobOptions.defaults().requires("gpu", "io"), ctx -> "x"))
                        .hasMessageStartingWith("pool: no worker has the capabilities [gpu, io]");
            }
            assertThatThrownBy(() -> WorkerPool.builder().workerGroup(1))
                    .hasMessageStartingWith("pool: a worker group needs at least one capability");
        }
    }

    @Nested
    @DisplayName("timing")
    class Timing {

        @Test
        @DisplayName("a job timeout runs from the job's start, on the pool's clock, and interrupts it: Cancelled")
        void jobTimeout() throws Exception {
            FakeClock clock = new FakeClock();
            CountDownLatch gate = new CountDownLatch(1);
            Channel<Void> never = Channel.unbuffered();
            try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).build()) {
                pool.submit(gated(gate, "first"));
                Await.until("the first job runs", () -> pool.metrics().running() == 1);
                JobOptions fiveSeconds = JobOptions.defaults().timeout(Duration.ofSeconds(5));
                AtomicInteger startedDone = new AtomicInteger(-1);
                Job<Object> slow = pool.submit(Context.background(), fiveSeconds, ctx -> {
                    startedDone.set(ctx.isDone() ? 1 : 0);
                    return never.receive();
                });
                clock.advance(Duration.ofSeconds(10)); // queued for 10 s: does not count
                gate.countDown();
                Await.until("the slow job starts", () -> startedDone.get() >= 0);
                assertThat(startedDone.get()).as("time in the queue is not run time").isZero();
                clock.advance(Duration.ofMillis(4999));
                assertThat(slow.isDone()).isFalse();
                clock.advance(Duration.ofMillis(1));
                Result<Object> r = slow.result();
                assertThat(r).isInstanceOfSatisfying(Result.Cancelled.class, c -> {
                    assertThat(c.cause()).isInstanceOf(DeadlineExceededException.class);
                    assertThat(c.started()).isTrue();
                });
            }
        }

        @Test
        @DisplayName("the pool's default job timeout applies to jobs that set none")
        void defaultTimeout() throws Exception {
            FakeClock clock = new FakeClock();
            Channel<Void> never = Channel.unbuffered();
            try (WorkerPool pool = WorkerPool.builder().workers(1).clock(clock).jobTimeout(Duration.ofSeconds(1))
                    .build()) {
                CountDownLatch running = new CountDownLatch(1);
                Job<Object> job = pool.submit(ctx -> {
                    running.countDown();
                    return never.receive();
                });
                running.await(); // its deadline is set before it runs: from its start
                clock.advance(Duration.ofSeconds(1));
                assertThat(job.result()).isInstanceOf(Result.Cancelled.class);
            }
        }

        @Test
        @DisplayName("rate-limited: never more starts than burst + rate * elapsed, and the queue holds the rest")
        void rateLimited() throws Exception {
            FakeClock clock = new FakeClock();
            Limiter limiter = new Limiter(10, 2, clock); // 10/s, burst 2
            AtomicInteger started = new AtomicInteger();
            try (WorkerPool pool = WorkerPool.builder().workers(4).queueCapacity(20).rateLimit(limiter).clock(clock)
                    .build()) {
                for (int i = 0; i < 12; i++) {
                    pool.submit(ctx -> started.incrementAndGet());
                }
                Await.until("the burst starts", () -> started.get() == 2);
                assertThat(pool.metrics().waiting()).as("the rest wait in the queue").isEqualTo(10);
                for (int step = 1; step <= 10; step++) {
                    clock.advance(Duration.ofMillis(100));
                    int allowed = 2 + step;
                    int ms = step * 100;
                    Await.until(() -> "start " + allowed + " after " + ms + " ms, saw " + started.get(),
                            () -> started.get() == allowed);
                    assertThat(started.get()).as("never more than burst + rate * t").isLessThanOrEqualTo(allowed);
                }
                assertThat(pool.metrics().waiting()).isZero();
            }
        }

        @Test
        @DisplayName("rate-limited: idle workers hold no tokens, so a burst of jobs after a quiet spell starts only the limiter's burst")
        void idleWorkersHoldNoTokens() throws Exception {
            FakeClock clock = new FakeClock();
            Limiter limiter = new Limiter(1, 1, clock); // 1/s, burst 1
            AtomicInteger started = new AtomicInteger();
            WorkerPool pool = WorkerPool.builder().workers(8).rateLimit(limiter).clock(clock).build();
            try {
                Await.until("eight idle workers", () -> pool.metrics().idle() == 8);
                int otherTasks = clock.pendingTasks();
                clock.advance(Duration.ofSeconds(10)); // a quiet spell: the bucket fills to its burst, 1
                for (int i = 0; i < 5; i++) {
                    pool.submit(ctx -> started.incrementAndGet());
                }
                // A job counts as waiting from the moment its worker takes it, before the worker has reserved its
                // token and scheduled its wake-up on the clock. An advance in between would come too early for
                // it: its wake-up, due by then, would run only at the next advance, with the next job's. So wait
                // for the exact state: four wake-ups scheduled, one per job waiting for its token.
                Await.until(() -> "one starts, four wait for tokens with their wake-ups scheduled; saw "
                        + started.get() + " started, " + pool.metrics().waiting() + " waiting, "
                        + (clock.pendingTasks() - otherTasks) + " wake-ups",
                        () -> started.get() == 1 && pool.metrics().waiting() == 4
                                && clock.pendingTasks() - otherTasks == 4);
                assertThat(started.get()).as("the bucket held one token: idle workers banked none").isEqualTo(1);
                for (int s = 1; s <= 4; s++) {
                    clock.advance(Duration.ofSeconds(1));
                    int allowed = 1 + s;
                    Await.until(() -> allowed + " started after " + allowed + " s, saw " + started.get(),
                            () -> started.get() == allowed);
                }
                Await.until("every job counted", () -> pool.metrics().completed() == 5);
            } finally {
                // Not close(): after a failure above, jobs may still wait for tokens that this frozen clock will
                // never grant, and close() would wait for them until the hang guard fired, hiding the failure.
                pool.shutdownNow();
                pool.awaitTermination();
            }
            assertThatThrownBy(() -> WorkerPool.builder().rateLimit(new Limiter(5, 0)))
                    .hasMessage("pool: the rate limiter's burst must be >= 1 (with 0 no job could ever start), was 0");
        }

        @Test
        @DisplayName("rate-limited shutdownNow hands back the jobs waiting for their tokens too, never run")
        void shutdownNowHandsBackJobsWaitingForTokens() throws Exception {
            FakeClock clock = new FakeClock();
            Limiter limiter = new Limiter(1, 1, clock);
            AtomicInteger ran = new AtomicInteger();
            WorkerPool pool = WorkerPool.builder().workers(3).queueCapacity(5).rateLimit(limiter).clock(clock).build();
            List<Job<Integer>> jobs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                jobs.add(pool.submit(ctx -> ran.incrementAndGet()));
            }
            Await.until("one ran; each worker holds a job waiting for its token; two queued",
                    () -> ran.get() == 1 && pool.metrics().waiting() == 5 && pool.metrics().queued() == 2);
            List<Job<?>> handedBack = pool.shutdownNow();
            pool.awaitTermination();
            List<Job<Integer>> ranJobs = new ArrayList<>();
            for (Job<Integer> j : jobs) {
                if (j.result().isOk()) {
                    ranJobs.add(j);
                }
            }
            assertThat(ranJobs).as("the one job that had the burst's token").hasSize(1);
            List<Job<Integer>> notRun = new ArrayList<>(jobs);
            notRun.removeAll(ranJobs);
            assertThat(handedBack).as("every other job, in acceptance order").containsExactlyElementsOf(notRun);
            for (Job<?> j : handedBack) {
                assertThat(j.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                        c -> assertThat(c.started()).isFalse());
            }
            assertThat(ran.get()).isEqualTo(1);
            PoolMetrics m = pool.metrics().checkInvariants();
            assertThat(m.cancelled()).isEqualTo(5);
            assertThat(m.succeeded()).isEqualTo(1);
        }

        @Test
        @DisplayName("metrics: queue-wait and run-time percentiles, throughput over the window, utilization")
        void timings() throws Exception {
            FakeClock clock = new FakeClock();
            try (WorkerPool pool = WorkerPool.builder().workers(1).queueCapacity(4).clock(clock)
                    .metricsWindow(Duration.ofSeconds(10)).build()) {
                CountDownLatch bothQueued = new CountDownLatch(1);
                Job<String> a = pool.submit(ctx -> {
                    bothQueued.await();
                    clock.advance(Duration.ofMillis(100));
                    return "a";
                });
                Job<String> b = pool.submit(ctx -> {
                    clock.advance(Duration.ofMillis(300));
                    return "b";
                });
                bothQueued.countDown();
                a.result();
                b.result();
                Await.until("both counted", () -> pool.metrics().runTime().count() == 2);
                PoolMetrics m = pool.metrics().checkInvariants();
                assertThat(m.runTime().max()).isCloseTo(Duration.ofMillis(300), Duration.ofMillis(1));
                assertThat(m.runTime().p50()).isCloseTo(Duration.ofMillis(100), Duration.ofMillis(1));
                assertThat(m.queueWait().count()).isEqualTo(2);
                assertThat(m.queueWait().max()).as("b waited while a ran")
                        .isCloseTo(Duration.ofMillis(100), Duration.ofMillis(1));
                assertThat(m.utilization()).as("busy the whole 0.4 s").isCloseTo(1.0, within(0.01));
                assertThat(m.throughput()).as("2 jobs in 0.4 s").isCloseTo(5.0, within(0.1));
                clock.advance(Duration.ofMillis(400));
                m = pool.metrics().checkInvariants();
                assertThat(m.utilization()).as("then idle as long").isCloseTo(0.5, within(0.01));
                clock.advance(Duration.ofSeconds(20));
                assertThat(pool.metrics().throughput()).as("nothing in the last window").isZero();
            }
        }
    }
}
