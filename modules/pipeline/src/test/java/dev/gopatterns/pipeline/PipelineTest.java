package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static dev.gopatterns.pipeline.Pipes.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.context.Context;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.resilience.Retry;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stages of {@link Pipeline}: what each sends, in what order, how it closes, and that nothing is lost. */
@ExtendWith(UncaughtExceptions.class)
class PipelineTest {

    private static final Context BG = Context.background();

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @AfterEach
    void everyStageThreadEnded() {
        awaitStagesEnded();
    }

    @ParameterizedTest(name = "buffers {0}")
    @ValueSource(ints = {0, 1, 64})
    void genSquareSumIsGosFirstPipeline(int buffer) throws InterruptedException {
        long sum = Pipeline.from(range(1000)).buffer(buffer)
                .map(n -> (long) n * n).buffer(buffer)
                .reduce(BG, 0L, Long::sum);
        assertThat(sum).isEqualTo(LongStream.range(0, 1000).map(n -> n * n).sum());
    }

    @Test
    void theSummaryAccountsForEveryItemAndTheSinkDeliveredThemAll() throws InterruptedException {
        Summary s = Pipeline.from(range(100)).map(n -> n + 1).named("inc").filter(n -> n % 2 == 0)
                .forEach(BG, v -> { });
        s.checkBalanced();
        assertThat(s.stages()).extracting(Summary.Stage::name).containsExactly("0:source", "inc", "2:filter", "sink");
        assertThat(s.source().out()).isEqualTo(100);
        assertThat(s.stage("2:filter").dropped()).isEqualTo(50);
        assertThat(s.last().passed()).isEqualTo(50);
        assertThat(s.cancelled() + s.failed() + s.skipped()).isZero();
    }

    @Test
    void startHandsOutTheOutputChannelWhichClosesOnceWhenTheLastStageIsDone() throws InterruptedException {
        try (Run<String> run = Pipeline.of(1, 2, 3).map(n -> "v" + n).start(BG)) {
            assertThat(drain(run.output())).containsExactly("v1", "v2", "v3");
            Summary s = run.await().checkBalanced();
            assertThat(s.last().out()).isEqualTo(3);
            assertThat(run.done().receiveOrClosed()).isInstanceOf(Received.Closed.class);
            assertThat(run.summary()).contains(s);
            assertThat(run.errors().receiveOrClosed()).as("errors closed at the end").isInstanceOf(Received.Closed.class);
        }
    }

    @Test
    void filterFlatMapAndAChannelSourceCompose() throws InterruptedException {
        try (TestThreads threads = TestThreads.virtual()) {
            Channel<Integer> in = Pipes.feed(threads, 0, 1, 2, 3, 4);
            List<String> out = Pipeline.from(in).filter(n -> n % 2 == 0)
                    .flatMap((ctx, n) -> List.of(n + "a", n + "b")).toList(BG);
            assertThat(out).containsExactly("2a", "2b", "4a", "4b");
        }
    }

    @Test
    void aGeneratorSourceStopsWhenTheRunNoLongerWantsValues() throws InterruptedException {
        AtomicLong emitted = new AtomicLong();
        List<Long> first = Pipeline.<Long>generate((ctx, emit) -> {
            for (long i = 0; emit.emit(i); i++) {
                emitted.incrementAndGet();
            }
        }).take(5).toList(BG);
        assertThat(first).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(emitted.get()).as("the generator returned when emit said no").isBetween(5L, 6L);
    }

    @Test
    void takeCancelsTheStagesBeforeItAndTheRunStillCompletes() throws InterruptedException {
        Summary s = Pipeline.<Integer>generate((ctx, emit) -> {
            for (int i = 0; emit.emit(i); i++) {
                // endless until take has its 3
            }
        }).map(n -> n * 10).take(3).forEach(BG, v -> { });
        s.checkBalanced();
        assertThat(s.last().passed()).isEqualTo(3);
        assertThat(s.stage("2:take").passed()).isEqualTo(3);
    }

    @Test
    void takeZeroSendsNothing() throws InterruptedException {
        assertThat(Pipeline.of(1, 2, 3).take(0).toList(BG)).isEmpty();
    }

    @Test
    void mapOrderedKeepsInputOrderWhenLaterItemsFinishFirst() throws InterruptedException {
        // item i waits for item i+1 to have finished: completion order is the reverse of input order
        int n = 4;
        List<CountDownLatch> finished = IntStream.range(0, n + 1).mapToObj(i -> new CountDownLatch(1)).toList();
        finished.get(n).countDown();
        List<Integer> out = Pipeline.from(range(n)).mapOrdered(n, (ctx, i) -> {
            finished.get(i + 1).await();
            finished.get(i).countDown();
            return i;
        }).toList(BG);
        assertThat(out).containsExactly(0, 1, 2, 3);
    }

    @Test
    void mapUnorderedSendsInCompletionOrder() throws InterruptedException {
        // Item i returns only once item i + 1 has reached the consumer, so the last item must go out first. (Gating
        // on the previous function's return instead raced: two workers' sends can swap after their functions end.)
        // A stage that restored input order would wait for item 0, which waits for the rest: the hang guard.
        int n = 4;
        List<CountDownLatch> delivered = IntStream.range(0, n + 1).mapToObj(i -> new CountDownLatch(1)).toList();
        delivered.get(n).countDown();
        List<Integer> out = Collections.synchronizedList(new ArrayList<>());
        Pipeline.from(range(n)).mapUnordered(n, (ctx, i) -> {
            delivered.get(i + 1).await();
            return i;
        }).forEach(BG, i -> {
            out.add(i);
            delivered.get(i).countDown();
        });
        assertThat(out).containsExactly(3, 2, 1, 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mapUnordered", "mapOrdered", "mapPartitioned"})
    void aParallelStageRunsItsItemsAtOnce(String kind) throws InterruptedException {
        int n = 3;
        CountDownLatch allRunning = new CountDownLatch(n);
        Pipeline.StageFunction<Integer, Integer> fn = (ctx, i) -> {
            allRunning.countDown();
            allRunning.await(); // returns only if n items are being worked on at once; the hang guard otherwise
            return i;
        };
        Pipeline<Integer> p = Pipeline.from(range(30));
        p = switch (kind) {
            case "mapUnordered" -> p.mapUnordered(n, fn);
            case "mapOrdered" -> p.mapOrdered(n, fn);
            default -> p.mapPartitioned(n, i -> i % n, fn);
        };
        assertThat(p.toList(BG)).containsExactlyInAnyOrderElementsOf(range(30));
    }

    @Test
    void mapOrderedRunsAtMostItsWindowAheadOfAConsumerThatIsNotReading() throws InterruptedException {
        int n = 4;
        AtomicInteger taken = new AtomicInteger();
        Thread[] source = new Thread[1];
        try (Run<Integer> run = Pipeline.<Integer>generate((ctx, emit) -> {
            source[0] = Thread.currentThread();
            for (int i = 0; ; i++) {
                taken.incrementAndGet();
                if (!emit.emit(i)) {
                    return;
                }
            }
        }).mapOrdered(n, (ctx, i) -> i).start(BG)) {
            assertThat(run.output().receive()).isZero();
            // Quiescent, with nobody reading: the collector holds 1 (blocked on the output), `order` holds n slots,
            // the dispatcher holds 1 (blocked entering `order`), the source holds 1 (blocked in emit): 0 was
            // delivered, so n + 4 were taken. A stage that reads ahead without bound never gets here.
            Await.until(() -> "the stage to fill its window: " + taken.get() + " taken", () -> taken.get() >= n + 4);
            Await.blocked(source[0]);
            assertThat(taken.get()).as("items taken from the source").isEqualTo(n + 4);
        }
    }

    @Test
    void mapPartitionedKeepsPerKeyOrder() throws InterruptedException {
        int keys = 5;
        List<int[]> out = Pipeline.from(range(2000))
                .mapPartitioned(4, i -> i % keys, (ctx, i) -> new int[] {i % keys, i})
                .toList(BG);
        assertThat(out).hasSize(2000);
        Map<Integer, Integer> lastPerKey = new HashMap<>();
        for (int[] kv : out) {
            Integer before = lastPerKey.put(kv[0], kv[1]);
            assertThat(before == null || before < kv[1]).as("key %d: %s then %d", kv[0], before, kv[1]).isTrue();
        }
    }

    @Test
    void mapPartitionedSendsEqualKeysToOneThread() throws InterruptedException {
        Map<Integer, String> threadOfKey = new ConcurrentHashMap<>();
        Pipeline.from(range(500)).mapPartitioned(4, i -> i % 7, (ctx, i) -> {
            String mine = Thread.currentThread().getName();
            String first = threadOfKey.putIfAbsent(i % 7, mine);
            assertThat(first == null ? mine : first).isEqualTo(mine);
            return i;
        }).toList(BG);
        assertThat(threadOfKey).hasSize(7);
    }

    @Test
    void batchBySizeSendsFullListsAndTheRemainder() throws InterruptedException {
        List<List<Integer>> out = Pipeline.from(range(7)).batch(3).toList(BG);
        assertThat(out).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6));
    }

    @Test
    void batchByTimeSendsAPartialListMaxWaitAfterItsFirstItem() throws Exception {
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);      // every timer of the run is on this clock
        CountDownLatch handedOver = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Pipeline<Integer> p = Pipeline.generate((c, emit) -> {
            emit.emit(1);
            emit.emit(2);                                // returns once the batch stage has taken 2
            handedOver.countDown();
            finish.await();
        });
        try (Run<List<Integer>> run = p.batch(10, Duration.ofMillis(100)).start(ctx)) {
            handedOver.await();                          // the batch holds 1 and 2: no race with its timer
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));   // the batch's timer, started by item 1
            clock.advance(Duration.ofMillis(99));
            assertThat(run.output().tryReceive()).isNotInstanceOf(Received.class);   // not yet
            clock.advance(Duration.ofMillis(1));
            assertThat(run.output().receive()).containsExactly(1, 2);
            finish.countDown();                          // the source ends; the batch has nothing left to send
            assertThat(run.output().receiveOrClosed()).isInstanceOf(Received.Closed.class);
            run.await().checkBalanced();
        }
    }

    @Test
    void throttlePassesAtMostTheLimitersRate() throws Exception {
        FakeClock clock = new FakeClock();
        Limiter limiter = new Limiter(10, 1, clock); // one token per 100 ms, burst 1
        Context ctx = Context.background(clock);
        try (Run<Integer> run = Pipeline.from(range(3)).throttle(limiter).start(ctx)) {
            assertThat(run.output().receive()).isEqualTo(0); // the burst
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofMillis(99));
            assertThat(run.output().tryReceive()).isNotInstanceOf(Received.class);
            clock.advance(Duration.ofMillis(1));
            assertThat(run.output().receive()).isEqualTo(1);
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));
            clock.advance(Duration.ofMillis(100));
            assertThat(run.output().receive()).isEqualTo(2);
            run.await().checkBalanced();
        }
    }

    @Test
    void toForwardsIntoTheCallersChannelWithoutClosingIt() throws InterruptedException {
        Channel<Integer> sink = Channel.buffered(10);
        Summary s = Pipeline.of(1, 2, 3).to(BG, sink);
        assertThat(s.last().passed()).isEqualTo(3);
        assertThat(List.of(sink.receive(), sink.receive(), sink.receive())).containsExactly(1, 2, 3);
        assertThat(sink.trySend(4)).as("still open").isTrue();
    }

    @Test
    void aFailureReleasesToBlockedOnAChannelNobodyReads() {
        Channel<Integer> unread = Channel.unbuffered();
        assertThatThrownBy(() -> Pipeline.of(1, 2).map((ctx, i) -> {
            if (i == 2) {
                throw new java.io.IOException("two");
            }
            return i;
        }).to(BG, unread)).isInstanceOfSatisfying(PipelineException.class, e -> {
            assertThat(e.failure().item()).isEqualTo(2);
            e.summary().checkBalanced();
        });
    }

    // ------------------------------------------------------------------------------------------------ cancellation

    @ParameterizedTest(name = "buffers {0}")
    @ValueSource(ints = {0, 4})
    void cancellingEndsEveryStageIncludingOnesBlockedSendingToAConsumerThatStopped(int buffer)
            throws InterruptedException {
        Run<Integer> run = Pipeline.<Integer>generate((ctx, emit) -> {
            for (int i = 0; emit.emit(i); i++) {
                // endless
            }
        }).buffer(buffer).mapUnordered(3, (ctx, i) -> i).buffer(buffer).mapOrdered(2, (ctx, i) -> i)
                .map(i -> i).start(BG);
        assertThat(run.output().receive()).isNotNull();
        run.cancel(); // the consumer stops reading, and says so
        assertThatThrownBy(run::await).isInstanceOf(ContextCanceledException.class);
        assertThat(Stages.liveThreads()).as("no stage thread outlives await").isZero();
        run.summary().orElseThrow().checkBalanced();
    }

    @Test
    void cancellingTheCallersContextEndsATerminalCallWithTheContextsError() throws InterruptedException {
        try (CancellableContext ctx = Context.withCancel(BG)) {
            AtomicInteger seen = new AtomicInteger();
            assertThatThrownBy(() -> Pipeline.<Integer>generate((c, emit) -> {
                for (int i = 0; emit.emit(i); i++) {
                    // endless
                }
            }).map(i -> i).forEach(ctx, v -> {
                if (seen.incrementAndGet() == 10) {
                    ctx.cancel();
                }
            })).isInstanceOf(ContextCanceledException.class);
            assertThat(seen.get()).as("no value handed over after the cancel").isEqualTo(10);
        }
    }

    @Test
    void cancelInterruptsAStageFunctionBlockedInAnInterruptibleCall() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        Run<Integer> run = Pipeline.of(1, 2).map((ctx, i) -> {
            blocked.countDown();
            Thread.sleep(TimeUnit.HOURS.toMillis(1)); // a blocking call that knows nothing of contexts
            return i;
        }).start(BG);
        blocked.await();
        run.cancel();
        assertThatThrownBy(run::await).isInstanceOf(ContextCanceledException.class);
        Summary s = run.summary().orElseThrow().checkBalanced();
        assertThat(s.stage("1:map").cancelled()).isEqualTo(1);
        assertThat(s.stage("1:map").failed()).as("an interrupt the cancel caused is no failure").isZero();
    }

    @Test
    void anInterruptedCallerCancelsTheRunWaitsForItAndRethrows() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            CountDownLatch started = new CountDownLatch(1);
            List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
            Thread[] callerThread = new Thread[1];
            CountDownLatch callerKnown = new CountDownLatch(1);
            var caller = threads.start("caller", () -> {
                callerThread[0] = Thread.currentThread();
                callerKnown.countDown();
                try {
                    Pipeline.<Integer>generate((c, emit) -> {
                        for (int i = 0; emit.emit(i); i++) {
                            // endless
                        }
                    }).map(i -> i).forEach(BG, v -> started.countDown());
                } catch (Throwable t) {
                    thrown.add(t);
                }
            });
            started.await();
            callerKnown.await();
            callerThread[0].interrupt();
            caller.get();
            assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
            assertThat(Stages.liveThreads()).isZero();
        }
    }

    @Test
    void closingARunCancelsItAndWaits() {
        Run<Integer> run = Pipeline.<Integer>generate((c, emit) -> {
            for (int i = 0; emit.emit(i); i++) {
                // endless
            }
        }).start(BG);
        run.close();
        assertThat(Stages.liveThreads()).isZero();
        assertThat(run.summary()).isPresent();
    }

    // ------------------------------------------------------------------------------------------------ misuse

    @Test
    void misuseFailsWithTheRule() {
        Pipeline<Integer> p = Pipeline.of(1);
        assertThatThrownBy(() -> p.mapUnordered(0, (c, i) -> i)).hasMessage("mapUnordered needs parallelism >= 1, was 0");
        assertThatThrownBy(() -> p.buffer(-1)).hasMessage("buffer capacity must be >= 0, was -1");
        assertThatThrownBy(() -> p.batch(0)).hasMessage("batch size must be >= 1, was 0");
        assertThatThrownBy(() -> p.batch(2, Duration.ZERO)).hasMessage("batch maxWait must be > 0, was PT0S");
        assertThatThrownBy(() -> p.take(-1)).hasMessage("take needs n >= 0, was -1");
        assertThatThrownBy(() -> p.take(2).retry(Retry.none())).hasMessageContaining(
                "retry applies to a stage that runs a function").hasMessageContaining("'1:take'");
        assertThatThrownBy(() -> p.map(i -> i).named("0:source")).hasMessageContaining("stage names must be unique");
        assertThatThrownBy(() -> p.map(i -> i).timeout(Duration.ofSeconds(-1))).hasMessageContaining("timeout must be > 0");
        assertThatThrownBy(() -> p.map(i -> i).onError(ErrorPolicy.REPORT).forEach(BG, v -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reports failures");
        assertThat(p.map(i -> i).named("inc")).hasToString("Pipeline[0:source, inc]");
        assertThatThrownBy(() -> p.named("1:map")).hasMessageContaining("stage names of the form N:kind are the default"
                + " names");
        assertThatThrownBy(() -> p.map(i -> i).onError(ErrorPolicy.REPORT).to(BG, Channel.<Integer>buffered(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nowhere to send them");
    }

    @Test
    void aNullElementOfTheSourceFailsTheRun() {
        List<Integer> withNull = new ArrayList<>(List.of(1));
        withNull.add(null);
        assertThatThrownBy(() -> Pipeline.from(withNull).toList(BG)).isInstanceOf(PipelineException.class)
                .hasMessageContaining("no null values");
    }
}
