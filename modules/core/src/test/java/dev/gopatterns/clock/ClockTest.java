package dev.gopatterns.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClockTest {

    @Test
    @DisplayName("a system-clock task that throws is handed to the timer thread's uncaught-exception handler, "
            + "and the timer thread runs later tasks")
    void systemTaskFailureReachesUncaughtExceptionHandler() throws Exception {
        Clock clock = Clock.system();
        CompletableFuture<Thread> timerThread = new CompletableFuture<>();
        clock.schedule(0, () -> timerThread.complete(Thread.currentThread()));
        Thread timer = timerThread.get(5, TimeUnit.SECONDS);
        assertThat(timer.getName()).isEqualTo("gopatterns-timer");

        RuntimeException boom = new RuntimeException("deadline callback failed");
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        CompletableFuture<Thread> reportedOn = new CompletableFuture<>();
        Thread.UncaughtExceptionHandler previous = timer.getUncaughtExceptionHandler();
        timer.setUncaughtExceptionHandler((t, e) -> {
            if (e == boom) {
                reportedOn.complete(t);
                reported.complete(e);
            } else {
                previous.uncaughtException(t, e);
            }
        });
        try {
            clock.schedule(0, () -> {
                throw boom;
            });
            assertThat(reported.get(5, TimeUnit.SECONDS)).as("the failure was reported, not left in a future")
                    .isSameAs(boom);
            assertThat(reportedOn.get()).isSameAs(timer);

            CompletableFuture<Thread> later = new CompletableFuture<>();
            clock.schedule(0, () -> later.complete(Thread.currentThread()));
            assertThat(later.get(5, TimeUnit.SECONDS)).as("the same timer thread is alive and runs the next task")
                    .isSameAs(timer);
        } finally {
            // The thread had no handler of its own (it answered with its thread group): go back to that.
            timer.setUncaughtExceptionHandler(previous == timer.getThreadGroup() ? null : previous);
        }
    }
}
