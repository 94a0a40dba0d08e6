package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.TestThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OnceTest {

    @Test
    @DisplayName("Once runs its action exactly once across racing threads, and every caller sees it finished")
    void exactlyOnce() throws Exception {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        int[] value = new int[1];
        CountDownLatch start = new CountDownLatch(1);
        try (TestThreads threads = TestThreads.platform()) {
            for (int i = 0; i < 8; i++) {
                threads.start("caller-" + i, () -> {
                    start.await();
                    once.run(() -> {
                        runs.incrementAndGet();
                        value[0] = 42;
                    });
                    assertThat(value[0]).as("the action has finished when run() returns").isEqualTo(42);
                });
            }
            start.countDown();
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(once.isDone()).isTrue();
    }

    @Test
    @DisplayName("if the action throws, Once still counts it as done, as in Go")
    void throwingActionIsDone() {
        Once once = new Once();
        assertThatThrownBy(() -> once.run(() -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        AtomicInteger runs = new AtomicInteger();
        once.run(runs::incrementAndGet);
        assertThat(runs.get()).isZero();
    }

    @Test
    @DisplayName("calling run or get from inside the action fails naming the rule, instead of deadlocking")
    void recursionFails() {
        Once once = new Once();
        assertThatThrownBy(() -> once.run(() -> once.run(() -> { })))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("called from its own action");
        OnceValue<String>[] self = new OnceValue[1];
        self[0] = OnceValue.of(() -> self[0].get());
        assertThatThrownBy(self[0]::get).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("called from its own function");
    }

    @Test
    @DisplayName("OnceValue computes once; a failure is rethrown to every caller")
    void onceValue() {
        AtomicInteger calls = new AtomicInteger();
        OnceValue<String> v = OnceValue.of(() -> "v" + calls.incrementAndGet());
        assertThat(v.get()).isEqualTo("v1");
        assertThat(v.get()).isEqualTo("v1");
        OnceValue<String> failing = OnceValue.of(() -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad config");
        });
        assertThatThrownBy(failing::get).hasMessage("bad config");
        assertThatThrownBy(failing::get).hasMessage("bad config");
        assertThat(calls.get()).isEqualTo(2);
    }
}
