package dev.gopatterns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The guards must be able to fail: run small sample tests through the Jupiter engine and check the verdicts. */
class GuardsTest {

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(sample))
                .execute()
                .testEvents();
    }

    private static String failureMessage(Events events) {
        return events.failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow())
                .map(r -> r.getThrowable().orElseThrow().getMessage())
                .findFirst().orElse("");
    }

    static class HangingSample {
        @Test
        @HangTimeout(seconds = 1)
        void blocksForever() throws InterruptedException {
            HungCode.waitForever();
        }
    }

    static class SpinningSample {
        @Test
        @HangTimeout(seconds = 1)
        void spins() {
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // RUNNABLE the whole time, and deaf to the interrupt
            }
        }
    }

    static class IgnoresInterruptSample {
        @Test
        @HangTimeout(seconds = 1)
        void swallowsInterrupts() {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    static class LeakingSample {
        static final CountDownLatch release = new CountDownLatch(1);

        @Test
        void leavesAVirtualThreadParked() {
            Thread.ofVirtual().name("leaked-worker").start(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    static class TidySample {
        @Test
        void joinsItsThreads() throws Exception {
            try (TestThreads threads = TestThreads.virtual()) {
                Future<Integer> f = threads.submit("adder", () -> 1 + 1);
                assertThat(f.get()).isEqualTo(2);
            }
        }
    }

    static class FailingHelperSample {
        @Test
        void helperThrows() throws Exception {
            try (TestThreads threads = TestThreads.platform()) {
                threads.start("broken", () -> {
                    throw new IllegalStateException("boom");
                });
            }
        }
    }

    static class ExpectationSample {
        @Test
        void expectedExceptionNeverComes() throws Exception {
            try (TestThreads threads = TestThreads.virtual()) {
                threads.submitExpecting("quiet", IllegalStateException.class, () -> { });
            }
        }
    }

    @Test
    @DisplayName("submitExpecting yields the expected exception, and fails the test when none is thrown")
    void submitExpecting() throws Exception {
        try (TestThreads threads = TestThreads.virtual()) {
            IllegalStateException e = threads.submitExpecting("thrower", IllegalStateException.class, () -> {
                throw new IllegalStateException("as expected");
            }).get();
            assertThat(e).hasMessage("as expected");
        }
        Events events = run(ExpectationSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("'quiet' was expected to throw IllegalStateException but returned normally");
    }

    @Test
    @DisplayName("a test blocked forever fails within its limit, naming where its thread is stuck")
    void hangIsReported() {
        Events events = run(HangingSample.class);
        events.assertStatistics(s -> s.started(1).failed(1));
        assertThat(failureMessage(events))
                .startsWith("HUNG: \"blocksForever()\" did not finish within 1 s")
                .contains("\nall goroutines are asleep - deadlock!")
                .containsPattern("goroutine \"test: blocksForever\\(\\)\" \\[CountDownLatch.await\\]: GuardsTest.java:\\d+"
                        + " \\(HungCode.waitForever\\)")
                .contains("It ended when interrupted")
                .contains("CountDownLatch.await")
                .contains("Full thread dump (virtual threads included)");
    }

    @Test
    @DisplayName("a hang with a thread still running is reported as a spin, not as a deadlock")
    void spinIsNotADeadlock() {
        Events events = run(SpinningSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).doesNotContain("deadlock!")
                .contains("a thread is still running and never finished").contains("[running]");
    }

    @Test
    @DisplayName("a test that ignores interrupts is abandoned, not waited for")
    void uninterruptibleHangIsAbandoned() {
        long start = System.nanoTime();
        Events events = run(IgnoresInterruptSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("did not even end when interrupted");
        assertThat(System.nanoTime() - start).as("abandoned after the limit, not after 3 s").isLessThan(2_900_000_000L);
    }

    @Test
    @DisplayName("a virtual thread left running fails the test that started it")
    void leakIsReported() {
        try {
            Events events = run(LeakingSample.class);
            events.assertStatistics(s -> s.failed(1));
            assertThat(failureMessage(events)).startsWith("THREAD LEAK").contains("leaked-worker").contains("virtual");
        } finally {
            LeakingSample.release.countDown();
        }
    }

    @Test
    @DisplayName("a tidy test passes both guards")
    void tidyTestPasses() {
        run(TidySample.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("an exception in a helper thread fails the test at close")
    void helperFailureSurfaces() {
        Events events = run(FailingHelperSample.class);
        events.assertStatistics(s -> s.failed(1));
        assertThat(failureMessage(events)).contains("thread 'broken' failed").contains("boom");
    }
}

/** Code under test that hangs: the guard's report points at its line, not at the test's. */
final class HungCode {

    private HungCode() {}

    static void waitForever() throws InterruptedException {
        new CountDownLatch(1).await();
    }
}
