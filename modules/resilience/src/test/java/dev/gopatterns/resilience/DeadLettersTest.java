package dev.gopatterns.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.chan.Received;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.testkit.TestThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link DeadLetters}: a buffered channel of letters that never drops one, and a replay that hands back. */
class DeadLettersTest {

    private final FakeClock clock = new FakeClock();
    private final Context ctx = Context.background(clock);

    private static DeadLetter<String> letter(String item, String... errors) {
        List<Throwable> list = new ArrayList<>();
        for (String e : errors) {
            list.add(new IOException(e));
        }
        return new DeadLetter<>("orders", item, list, list.size(), 0);
    }

    @Test
    @DisplayName("letters come out in order with their history; a full queue makes add wait, never drops")
    void inOrderAndBackPressure() throws Exception {
        DeadLetters<String> dlq = DeadLetters.withCapacity(2, clock);
        dlq.add(ctx, letter("a", "reset", "refused"));
        assertThat(dlq.offer(letter("b", "reset"))).isTrue();
        assertThat(dlq.offer(letter("c", "reset"))).as("full: not added, still the caller's").isFalse();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Void> adding = threads.start("adds c", () -> dlq.add(ctx, letter("c", "reset")));
            dev.gopatterns.testkit.Await.blocked(threads.threads().getFirst());
            assertThat(adding).isNotDone();
            DeadLetter<String> first = ((Received.Value<DeadLetter<String>>) dlq.letters().receiveOrClosed())
                    .value();
            assertThat(first.item()).isEqualTo("a");
            assertThat(first.attempts()).isEqualTo(2);
            assertThat(first.lastError()).hasMessage("refused");
            assertThat(first.describe()).isEqualTo("'orders' gave up on a after 2 attempts: java.io.IOException:"
                    + " refused");
            adding.get();
        }
        assertThat(dlq.drain()).extracting(DeadLetter::item).containsExactly("b", "c");
        assertThat(dlq.added()).isEqualTo(3);
        assertThat(dlq.depth()).isZero();
    }

    @Test
    @DisplayName("an add whose context ends while the queue is full throws, and the letter is not in the queue")
    void addCancelled() throws Exception {
        DeadLetters<String> dlq = DeadLetters.withCapacity(1, clock);
        dlq.add(ctx, letter("a", "x"));
        try (TestThreads threads = TestThreads.virtual(); CancellableContext c = Context.withCancel(ctx)) {
            Future<ContextCanceledException> adding = threads.submitExpecting("adds b",
                    ContextCanceledException.class, () -> dlq.add(c, letter("b", "x")));
            dev.gopatterns.testkit.Await.blocked(threads.threads().getFirst());
            c.cancel();
            assertThat(adding.get()).isNotNull();
        }
        assertThat(dlq.drain()).extracting(DeadLetter::item).containsExactly("a");
        assertThat(dlq.added()).isOne();
    }

    @Test
    @DisplayName("replay takes the letters waiting now; failures come back with the new error, none is lost")
    void replayHandsBackFailures() throws Exception {
        DeadLetters<String> dlq = DeadLetters.withCapacity(10, clock);
        for (String item : List.of("a", "b", "c")) {
            dlq.add(ctx, letter(item, "first"));
        }
        clock.advance(Duration.ofSeconds(5));
        List<String> replayed = new ArrayList<>();
        DeadLetters.Replay<String> r = dlq.replay(ctx, (c, l) -> {
            if (l.item().equals("b")) {
                throw new IOException("still down");
            }
            replayed.add(l.item());
            dlq.add(c, letter("late", "x")); // added during the replay: not replayed by this one
        });
        assertThat(replayed).containsExactly("a", "c");
        assertThat(r.replayed()).isEqualTo(2);
        assertThat(r.notTried()).isEmpty();
        assertThat(r.failed()).singleElement().satisfies(l -> {
            assertThat(l.item()).isEqualTo("b");
            assertThat(l.attempts()).isEqualTo(2);
            assertThat(l.errors()).extracting(Throwable::getMessage).containsExactly("first", "still down");
            assertThat(l.atNanos()).isEqualTo(clock.nanoTime());
        });
        assertThat(dlq.replayed()).isEqualTo(2);
        assertThat(dlq.drain()).extracting(DeadLetter::item).containsExactly("late", "late");
    }

    @Test
    @DisplayName("a replay whose context ends hands back the letters it did not try")
    void replayStopsOnCancel() throws Exception {
        DeadLetters<String> dlq = DeadLetters.withCapacity(10, clock);
        for (String item : List.of("a", "b", "c")) {
            dlq.add(ctx, letter(item, "first"));
        }
        try (CancellableContext c = Context.withCancel(ctx)) {
            DeadLetters.Replay<String> r = dlq.replay(c, (cc, l) -> c.cancel());
            assertThat(r.replayed()).isOne();
            assertThat(r.notTried()).extracting(DeadLetter::item).containsExactly("b", "c");
        }
    }

    @Test
    @DisplayName("misuse fails with a message naming the rule")
    void misuse() {
        assertThatThrownBy(() -> DeadLetters.withCapacity(0)).hasMessage(
                "dead letters: the capacity must be >= 1, was 0");
        assertThatThrownBy(() -> new DeadLetter<>("s", "x", List.of(), 1, 0)).hasMessage(
                "dead letter: a dead letter carries at least one error");
    }
}
