package dev.gopatterns.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link LiveThreads} finds the threads started since its mark that run a class's code, virtual ones included. */
class LiveThreadsTest {

    /** The "stage" whose threads are looked for: it parks its caller until released. */
    static final class Stage {
        static void park(CountDownLatch release) throws InterruptedException {
            release.await();
        }
    }

    @Test
    @DisplayName("a virtual thread parked in a class's code is found, and is no longer once it has ended")
    void findsParkedVirtualThreadUntilItEnds() throws Exception {
        LiveThreads threads = LiveThreads.mark();
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().name("stage thread").start(() -> {
            try {
                Stage.park(release);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Await.until("the stage thread to be found parked", () -> threads.runningCodeOf(Stage.class).stream()
                    .anyMatch(l -> l.name().equals("stage thread") && l.parked() && l.virtual()));
            assertThat(threads.runningCodeOf(LiveThreadsTest.class)).as("the lambda of this test class runs it too")
                    .extracting(LiveThreads.Live::name).contains("stage thread");
            assertThat(threads.runningCodeOf(String.class)).as("no frame in String").isEmpty();
        } finally {
            release.countDown();
            assertThat(t.join(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(threads.runningCodeOf(Stage.class)).as("after it ended").isEmpty();
        assertThat(LiveThreads.mark().runningCodeOf(Stage.class)).as("a later mark sees nothing").isEmpty();
    }

    @Test
    @DisplayName("a dump frame is in a class, or nested in it, whatever its loader or module prefix")
    void frameMatching() {
        String c = "dev.gopatterns.x.Merge";
        assertThat(LiveThreads.inClass("app//dev.gopatterns.x.Merge.lambda$merge$0(Merge.java:12)", c)).isTrue();
        assertThat(LiveThreads.inClass("dev.gopatterns.x.Merge$Forwarder.run(Merge.java:40)", c)).isTrue();
        assertThat(LiveThreads.inClass("dev.gopatterns.x.MergeTest.run(MergeTest.java:40)", c)).isFalse();
        assertThat(LiveThreads.inClass("java.base/java.lang.Thread.run(Thread.java:1)", c)).isFalse();
    }
}
