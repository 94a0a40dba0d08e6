package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.resilience.CallNotPermittedException;
import dev.gopatterns.resilience.CircuitBreaker;
import dev.gopatterns.resilience.DeadLetter;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Retry;
import dev.gopatterns.testkit.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Pipeline#deadLetters} and {@link Pipeline#policy}: failed items kept with their history, a shared breaker. */
@ExtendWith(UncaughtExceptions.class)
class PipelineResilienceTest {

    private static final Context BG = Context.background();

    @AfterEach
    void everyStageThreadEnded() {
        awaitStagesEnded();
    }

    @Test
    @DisplayName("failed items go to the dead letters with every attempt's failure; the pipeline goes on")
    void failedItemsAreDeadLetters() throws Exception {
        DeadLetters<Object> dlq = DeadLetters.withCapacity(100);
        AtomicInteger calls = new AtomicInteger();
        List<Integer> out = Pipeline.from(IntStream.range(0, 30).boxed().toList()).map((c, i) -> {
            if (i % 10 == 0) {
                throw new IOException("bad " + i + " #" + calls.incrementAndGet());
            }
            return i;
        }).named("parse").retry(Retry.backoff(2, Duration.ZERO, Duration.ZERO)).deadLetters(dlq).toList(BG);
        assertThat(out).hasSize(27).doesNotContain(0, 10, 20);
        List<DeadLetter<Object>> letters = dlq.drain();
        assertThat(letters).extracting(DeadLetter::item).containsExactly(0, 10, 20);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.source()).isEqualTo("parse");
            assertThat(l.attempts()).isEqualTo(2);
            assertThat(l.errors()).hasSize(2);
            assertThat(l.errors().get(0).getMessage()).startsWith("bad " + l.item() + " #");
        });
    }

    @Test
    @DisplayName("the summary counts dead-lettered items as failed, and still balances")
    void summaryBalances() throws Exception {
        DeadLetters<Object> dlq = DeadLetters.withCapacity(10);
        try (Run<Integer> run = Pipeline.of(1, 2, 3).map((c, i) -> {
            if (i == 2) {
                throw new IOException("two");
            }
            return i;
        }).deadLetters(dlq).start(BG)) {
            assertThat(run.output().receive()).isEqualTo(1);
            assertThat(run.output().receive()).isEqualTo(3);
            Summary s = run.await().checkBalanced();
            assertThat(s.failed()).isOne();
        }
        assertThat(dlq.depth()).isOne();
    }

    @Test
    @DisplayName("a full dead-letter queue holds the stage back; cancelling the run then ends it, the item counted")
    void fullQueueHoldsTheStageBack() throws Exception {
        DeadLetters<Object> dlq = DeadLetters.withCapacity(1);
        AtomicInteger tried = new AtomicInteger();
        try (CancellableContext ctx = Context.withCancel(BG);
             Run<Integer> run = Pipeline.of(1, 2, 3).<Integer>map((c, i) -> {
                 tried.incrementAndGet();
                 throw new IOException("no " + i);
             }).deadLetters(dlq).start(ctx)) {
            Await.until("two items tried, one letter in the queue", () -> tried.get() == 2 && dlq.depth() == 1);
            ctx.cancel();
            assertThatThrownBy(run::await).isInstanceOf(ContextCanceledException.class);
            // Item 2 is counted failed if its failure was judged before the cancel, cancelled if after (a failure
            // once the context has ended is the cancel's, as Retry rules); either way its letter was not added.
            Summary.Stage map = run.summary().orElseThrow().checkBalanced().stage("1:map");
            assertThat(map.in()).as("the stage took items 1 and 2, not 3").isEqualTo(2);
            assertThat(map.failed() + map.cancelled()).as("item 1 failed; item 2 failed or was cancelled")
                    .isEqualTo(2);
            assertThat(map.failed()).isBetween(1L, 2L);
        }
        assertThat(tried).as("the stage waited for room with item 2's letter, and never took item 3").hasValue(2);
        assertThat(dlq.drain()).extracting(DeadLetter::item).containsExactly(1);
    }

    @Test
    @DisplayName("onError(DEAD_LETTER) without a queue is refused, naming the rule")
    void deadLetterNeedsAQueue() {
        assertThatThrownBy(() -> Pipeline.of(1).map(i -> i).onError(ErrorPolicy.DEAD_LETTER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("onError(DEAD_LETTER) has no queue to send to: use deadLetters(queue)");
    }

    @Test
    @DisplayName("a stage behind a breaker: once it opens, items are refused without calling the service")
    void stageBehindABreaker() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("geo").slidingWindow(CircuitBreaker.Window.count(3))
                .minimumCalls(3).waitInOpen(Duration.ofHours(1)).build();
        AtomicInteger calls = new AtomicInteger();
        DeadLetters<Object> dlq = DeadLetters.withCapacity(100);
        List<String> out = Pipeline.from(IntStream.range(0, 10).boxed().toList()).<String>map((c, i) -> {
            calls.incrementAndGet();
            throw new IOException("geo down");
        }).policy(breaker).deadLetters(dlq).toList(BG);
        assertThat(out).isEmpty();
        assertThat(calls).as("three failures open the breaker; the other seven never reach the service").hasValue(3);
        List<DeadLetter<Object>> letters = dlq.drain();
        assertThat(letters).hasSize(10);
        assertThat(letters.subList(3, 10)).allSatisfy(l ->
                assertThat(l.lastError()).isInstanceOf(CallNotPermittedException.class));
    }
}
