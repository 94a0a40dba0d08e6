package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Failures in {@link Pipeline} stages: the three policies, retries with backoff, per-item timeouts. */
@ExtendWith(UncaughtExceptions.class)
class PipelineErrorsTest {

    private static final Context BG = Context.background();

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /** Fails the items divisible by 10. */
    private static Integer failTens(Context ctx, Integer i) throws IOException {
        if (i % 10 == 0) {
            throw new IOException("bad item " + i);
        }
        return i;
    }

    @AfterEach
    void everyStageThreadEnded() {
        awaitStagesEnded();
    }

    @Test
    void failFastCancelsThePipelineAndReportsTheFirstFailureOnce() {
        AtomicInteger after = new AtomicInteger();
        assertThatThrownBy(() -> Pipeline.<Integer>generate((ctx, emit) -> {
            for (int i = 1; emit.emit(i); i++) {
                // endless: only the failure ends it
            }
        }).map((ctx, i) -> {
            if (i == 5) {
                throw new IOException("item five");
            }
            return i;
        }).named("check").map(i -> after.incrementAndGet()).forEach(BG, v -> { }))
                .isInstanceOfSatisfying(PipelineException.class, e -> {
                    assertThat(e.failure().stage()).isEqualTo("check");
                    assertThat(e.failure().item()).isEqualTo(5);
                    assertThat(e.failure().attempts()).isEqualTo(1);
                    assertThat(e).hasCauseInstanceOf(IOException.class)
                            .hasMessage("stage 'check' failed on 5: java.io.IOException: item five");
                    e.summary().checkBalanced();
                    assertThat(e.summary().failed()).isEqualTo(1);
                });
        assertThat(after.get()).as("items after the failing one never got past the cancel").isLessThanOrEqualTo(4);
    }

    @Test
    void failFastGivesStageFunctionsTheFailureAsTheContextsCause() throws InterruptedException {
        List<Throwable> causes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoIsWaiting = new CountDownLatch(1);
        try (Run<Integer> run = Pipeline.of(1, 2).mapUnordered(2, (ctx, i) -> {
            if (i == 1) {
                twoIsWaiting.await();
                throw new IOException("one");
            }
            twoIsWaiting.countDown();
            try {
                ctx.done().receiveOrClosed(); // until the other item's failure cancels the run
            } finally { // the cancel both closes done and interrupts this call: either may wake it
                causes.add(ctx.cause().orElseThrow());
            }
            return i;
        }).start(BG)) {
            assertThatThrownBy(run::await).isInstanceOf(PipelineException.class);
            assertThat(causes).hasSize(1);
            assertThat(causes.getFirst()).isInstanceOf(IOException.class).hasMessage("one");
        }
    }

    @Test
    void reportSendsEachFailureWithItsItemBesideTheResults() throws InterruptedException {
        List<Integer> values = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        Summary s = Pipeline.from(range(50)).mapUnordered(3, PipelineErrorsTest::failTens).onError(ErrorPolicy.REPORT)
                .forEach(BG, values::add, failures::add);
        assertThat(values).hasSize(45).doesNotContain(0, 10, 20, 30, 40);
        assertThat(failures).extracting(Failure::item).containsExactlyInAnyOrder(0, 10, 20, 30, 40);
        assertThat(failures).allSatisfy(f -> {
            assertThat(f.stage()).isEqualTo("1:mapUnordered");
            assertThat(f.error()).isInstanceOf(IOException.class).hasMessage("bad item " + f.item());
        });
        s.checkBalanced();
        assertThat(s.failed()).isEqualTo(5);
    }

    @Test
    void theErrorsChannelOfAStartedRunIsReadInTheSameSelectAsTheOutput() throws InterruptedException {
        try (Run<Integer> run = Pipeline.from(range(30)).map(PipelineErrorsTest::failTens)
                .onError(ErrorPolicy.REPORT).start(BG)) {
            ReceiveChannel<Integer> out = run.output();
            ReceiveChannel<Failure> errs = run.errors();
            int values = 0;
            int failures = 0;
            while (out != null || errs != null) {
                ReceiveChannel<Integer> o = out;
                ReceiveChannel<Failure> e = errs;
                String what = Select.select(
                        (o != null ? o : dev.gopatterns.chan.Channel.<Integer>nil()).onReceiveOrClosed(
                                r -> r instanceof Received.Value<?> ? "value" : "out closed"),
                        (e != null ? e : dev.gopatterns.chan.Channel.<Failure>nil()).onReceiveOrClosed(
                                r -> r instanceof Received.Value<?> ? "failure" : "errors closed"));
                switch (what) {
                    case "value" -> values++;
                    case "failure" -> failures++;
                    case "out closed" -> out = null;
                    default -> errs = null;
                }
            }
            assertThat(values).isEqualTo(27);
            assertThat(failures).isEqualTo(3);
            run.await().checkBalanced();
        }
    }

    @Test
    void skipCountsAndDropsFailures() throws InterruptedException {
        Summary[] summary = new Summary[1];
        List<Integer> out = new ArrayList<>();
        summary[0] = Pipeline.from(range(100)).mapOrdered(4, PipelineErrorsTest::failTens).onError(ErrorPolicy.SKIP)
                .forEach(BG, out::add);
        assertThat(out).hasSize(90).isSorted();
        assertThat(summary[0].checkBalanced().skipped()).isEqualTo(10);
        assertThat(summary[0].failed()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ErrorPolicy.class)
    void anErrorIsAlwaysFailFast(ErrorPolicy policy) {
        DeadLetters<Object> dlq = DeadLetters.withCapacity(10);
        Pipeline<Object> broken = Pipeline.of(1, 2, 3).map((ctx, i) -> {
            throw new AssertionError("broken");
        });
        Pipeline<Object> p = policy == ErrorPolicy.DEAD_LETTER ? broken.deadLetters(dlq) : broken.onError(policy);
        assertThatThrownBy(() -> p.forEach(BG, v -> { }, f -> { })).isInstanceOf(PipelineException.class)
                .hasCauseInstanceOf(AssertionError.class);
        assertThat(dlq.depth()).as("an Error is the program's, not the item's: no dead letter").isZero();
    }

    @Test
    void aNullResultFailsTheItemAndNamesTheStage() {
        assertThatThrownBy(() -> Pipeline.of(1).map(i -> (String) null).toList(BG))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("stage '1:map' returned null for 1");
    }

    @Test
    void aSinkThatThrowsFailsTheRunAsStageSink() {
        assertThatThrownBy(() -> Pipeline.of(1, 2, 3).forEach(BG, v -> {
            if (v == 2) {
                throw new IllegalStateException("consumer broke");
            }
        })).isInstanceOfSatisfying(PipelineException.class, e -> {
            assertThat(e.failure().stage()).isEqualTo("sink");
            assertThat(e.failure().item()).isEqualTo(2);
            e.summary().checkBalanced();
        });
    }

    // ------------------------------------------------------------------------------------------------ retries

    /** Always draws the ceiling: delays are then exactly the backoff's ceilings. */
    private static final RandomGenerator MAX = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void retriesWaitTheJitteredBackoffOnTheContextsClockAndThenSucceed() throws Exception {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);
        List<Long> attemptsAt = Collections.synchronizedList(new ArrayList<>());
        Retry retry = Retry.backoff(4, Duration.ofMillis(100), Duration.ofMillis(250)).jitter(MAX);
        try (Run<String> run = Pipeline.of("x").map((c, s) -> {
            attemptsAt.add(clock.nanoTime() / 1_000_000);
            if (attemptsAt.size() < 4) {
                throw new IOException("flaky");
            }
            return s + "!";
        }).retry(retry).start(ctx)) {
            long[] waits = {100, 200, 250}; // the ceilings: 100, 200, min(250, 400)
            for (int k = 0; k < waits.length; k++) {
                long wait = waits[k];
                int made = k + 1;
                dev.gopatterns.testkit.Await.until(() -> "attempt " + made, () -> attemptsAt.size() == made);
                clock.awaitSleepers(1, Duration.ofSeconds(5)); // the stage, pausing before the next attempt
                clock.advance(Duration.ofMillis(wait - 1));
                assertThat(run.output().tryReceive()).isNotInstanceOf(Received.class);
                clock.advance(Duration.ofMillis(1));
            }
            assertThat(run.output().receive()).isEqualTo("x!");
            Summary s = run.await().checkBalanced();
            assertThat(s.retries()).isEqualTo(3);
        }
        assertThat(attemptsAt).containsExactly(0L, 100L, 300L, 550L);
    }

    @Test
    void anItemThatKeepsFailingFailsAfterMaxAttemptsWithItsCount() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Pipeline.of(7).map((c, i) -> {
            calls.incrementAndGet();
            throw new IOException("down");
        }).retry(Retry.backoff(3, Duration.ZERO, Duration.ZERO)).toList(BG))
                .isInstanceOfSatisfying(PipelineException.class, e -> {
                    assertThat(e.failure().attempts()).isEqualTo(3);
                    assertThat(e.getMessage()).isEqualTo("stage '1:map' failed on 7 after 3 attempts: java.io.IOException: down");
                });
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aNonRetryableErrorFailsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> Pipeline.of(7).map((c, i) -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        }).retry(Retry.backoff(5, Duration.ZERO, Duration.ZERO).retryOn(IOException.class)).toList(BG))
                .isInstanceOfSatisfying(PipelineException.class, e -> assertThat(e.failure().attempts()).isOne());
        assertThat(calls.get()).isOne();
    }

    @Test
    void cancellingDuringABackoffPauseCancelsTheItemInsteadOfFailingIt() throws Exception {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);
        Run<Integer> run = Pipeline.of(1).<Integer>map((c, i) -> {
            throw new IOException("flaky");
        }).retry(Retry.backoff(10, Duration.ofHours(1), Duration.ofHours(1))).start(ctx);
        clock.awaitSleepers(1, Duration.ofSeconds(5)); // pausing before the second attempt
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(dev.gopatterns.context.ContextCanceledException.class);
        Summary s = run.summary().orElseThrow().checkBalanced();
        assertThat(s.stage("1:map").cancelled()).isOne();
        assertThat(s.stage("1:map").failed()).isZero();
    }

    // ------------------------------------------------------------------------------------------------ timeouts

    @Test
    void eachAttemptHasItsOwnTimeoutWhichInterruptsABlockedCall() throws Exception {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);
        Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
        try (Run<Integer> run = Pipeline.of(1).map((c, i) -> {
            int n = attempts.merge(i, 1, Integer::sum);
            assertThat(c.deadline()).as("attempt %d has a deadline", n).isPresent();
            if (n < 3) {
                Thread.sleep(Long.MAX_VALUE); // blocked in a call that knows nothing of contexts
            }
            return i * 100;
        }).timeout(Duration.ofSeconds(2)).retry(Retry.backoff(3, Duration.ZERO, Duration.ZERO)).start(ctx)) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                int made = attempt;
                dev.gopatterns.testkit.Await.until(() -> "attempt " + made, () -> attempts.getOrDefault(1, 0) == made);
                clock.awaitPendingTasks(1, Duration.ofSeconds(5)); // this attempt's deadline timer
                clock.advance(Duration.ofSeconds(2));
            }
            assertThat(run.output().receive()).isEqualTo(100);
            assertThat(run.await().checkBalanced().retries()).isEqualTo(2);
        }
        assertThat(attempts).containsEntry(1, 3);
    }

    @Test
    void aTimedOutItemFailsWithDeadlineExceeded() {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);
        Thread advancer = Thread.ofVirtual().start(() -> {
            try {
                clock.awaitPendingTasks(1, Duration.ofSeconds(5));
                clock.advance(Duration.ofSeconds(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> Pipeline.of(1).map((c, i) -> {
            c.done().receiveOrClosed(); // honours its context, as Go code would
            c.throwIfDone();
            return i;
        }).timeout(Duration.ofSeconds(1)).toList(ctx)).isInstanceOfSatisfying(PipelineException.class,
                e -> assertThat(e.failure().error()).isInstanceOf(DeadlineExceededException.class));
        try {
            advancer.join();
        } catch (InterruptedException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
