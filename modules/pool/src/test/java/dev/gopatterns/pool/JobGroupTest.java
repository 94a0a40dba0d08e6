package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.Context;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobGroupTest {

    private static List<Result<Integer>> drain(JobGroup<Integer> group) {
        List<Result<Integer>> out = new ArrayList<>();
        for (Result<Integer> r : group.results()) {
            out.add(r);
        }
        return out;
    }

    @Test
    @DisplayName("submission order: results come back in the order submitted, however the jobs finish")
    void submissionOrder() throws Exception {
        int n = 6;
        List<CountDownLatch> gates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gates.add(new CountDownLatch(1));
        }
        try (WorkerPool pool = WorkerPool.fixed(n); TestThreads threads = TestThreads.virtual()) {
            JobGroup<Integer> group = JobGroup.submissionOrder(pool, n);
            for (int i = 0; i < n; i++) {
                int k = i;
                group.submit(Context.background(), ctx -> {
                    gates.get(k).await();
                    return k;
                });
            }
            group.close();
            Future<List<Result<Integer>>> consumer = threads.submit("consumer", () -> drain(group));
            for (int i = n - 1; i >= 0; i--) {
                gates.get(i).countDown(); // the last submitted finishes first
            }
            assertThat(consumer.get()).containsExactly(new Result.Ok<>(0), new Result.Ok<>(1), new Result.Ok<>(2),
                    new Result.Ok<>(3), new Result.Ok<>(4), new Result.Ok<>(5));
            group.awaitClosed();
        }
    }

    @Test
    @DisplayName("a job that throws is a Failed in its own place; the others still come, in order")
    void failureInItsPlace() throws Exception {
        IllegalStateException boom = new IllegalStateException("job 2 fails");
        try (WorkerPool pool = WorkerPool.fixed(3); TestThreads threads = TestThreads.virtual()) {
            JobGroup<Integer> group = JobGroup.submissionOrder(pool, 4);
            Future<List<Result<Integer>>> consumer = threads.submit("consumer", () -> drain(group));
            for (int i = 0; i < 50; i++) {
                int k = i;
                group.submit(Context.background(), ctx -> {
                    if (k == 2) {
                        throw boom;
                    }
                    return k;
                });
            }
            group.close();
            List<Result<Integer>> results = consumer.get();
            assertThat(results).hasSize(50);
            assertThat(results.get(2)).isEqualTo(new Result.Failed<>(boom));
            for (int i = 0; i < 50; i++) {
                if (i != 2) {
                    assertThat(results.get(i)).isEqualTo(new Result.Ok<>(i));
                }
            }
        }
    }

    @Test
    @DisplayName("completion order: every result once, and the channel closes after the last, once closed")
    void completionOrder() throws Exception {
        try (WorkerPool pool = WorkerPool.fixed(4); TestThreads threads = TestThreads.virtual()) {
            JobGroup<Integer> group = JobGroup.completionOrder(pool, 8);
            Future<List<Result<Integer>>> consumer = threads.submit("consumer", () -> drain(group));
            for (int i = 0; i < 1000; i++) {
                int k = i;
                group.submit(Context.background(), ctx -> k);
            }
            group.close();
            assertThat(consumer.get()).hasSize(1000)
                    .extracting(r -> ((Result.Ok<Integer>) r).value())
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 1000).boxed().toList());
            group.awaitClosed();
        }
    }

    @Test
    @DisplayName("the window bounds outstanding results: a submit beyond it waits until the consumer takes one")
    void windowBoundsOutstanding() throws Exception {
        try (WorkerPool pool = WorkerPool.fixed(2); TestThreads threads = TestThreads.virtual()) {
            JobGroup<Integer> group = JobGroup.completionOrder(pool, 2);
            group.submit(Context.background(), ctx -> 1);
            group.submit(Context.background(), ctx -> 2);
            Future<Job<Integer>> third = threads.submit("producer", () -> group.submit(Context.background(), ctx -> 3));
            Await.blocked(threads.threads().getFirst());
            assertThat(third.isDone()).as("two results outstanding, nobody received").isFalse();
            assertThat(group.results().receive()).isIn(new Result.Ok<>(1), new Result.Ok<>(2));
            assertThat(third.get().result()).isEqualTo(new Result.Ok<>(3));
            group.close();
            assertThat(group.results().receive()).isNotNull();
            assertThat(group.results().receive()).isNotNull();
            assertThat(group.results().receiveOrClosed()).isInstanceOf(dev.gopatterns.chan.Received.Closed.class);
        }
    }

    @Test
    @DisplayName("cancel closes the results now, cancels unfinished jobs, and ends the forwarder")
    void cancel() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (WorkerPool pool = WorkerPool.fixed(1)) {
            JobGroup<Integer> group = JobGroup.submissionOrder(pool, 4);
            Job<Integer> running = group.submit(Context.background(), ctx -> {
                never.await();
                return 0;
            });
            Job<Integer> queued = group.submit(Context.background(), ctx -> 1);
            group.cancel();
            group.awaitClosed();
            assertThat(group.results().receiveOrClosed()).isInstanceOf(dev.gopatterns.chan.Received.Closed.class);
            assertThat(running.result()).isInstanceOf(Result.Cancelled.class);
            assertThat(queued.result()).isInstanceOfSatisfying(Result.Cancelled.class,
                    c -> assertThat(c.started()).as("the queued job never ran").isFalse());
            assertThatThrownBy(() -> group.submit(Context.background(), ctx -> 2))
                    .hasMessage("group: submit after close");
        }
    }

    @Test
    @DisplayName("a submission the pool rejects leaves no hole: later results still come, and the channel closes")
    void rejectedSubmissionLeavesNoHole() throws Exception {
        WorkerPool pool = WorkerPool.fixed(1);
        JobGroup<Integer> group = JobGroup.submissionOrder(pool, 4);
        group.submit(Context.background(), ctx -> 0);
        pool.shutdown();
        assertThatThrownBy(() -> group.submit(Context.background(), ctx -> 1))
                .isInstanceOf(RejectedException.class);
        group.close();
        assertThat(drain(group)).containsExactly(new Result.Ok<>(0));
        group.awaitClosed();
        pool.close();
        assertThatThrownBy(() -> JobGroup.completionOrder(pool, 0)).hasMessage("group: window must be >= 1, was 0");
    }
}
