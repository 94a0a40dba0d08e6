package dev.gopatterns.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    @Test
    @DisplayName("concurrent calls for one key run the function once and share its result")
    void coalesces() throws Exception {
        SingleFlight<String, Integer> group = new SingleFlight<>();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<SingleFlight.Result<Integer>> leader = threads.submit("leader", () -> group.run("k", () -> {
                calls.incrementAndGet();
                release.await();
                return 42;
            }));
            Await.until("the leader's flight to start", () -> calls.get() == 1);
            List<Future<SingleFlight.Result<Integer>>> followers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                followers.add(threads.submit("follower-" + i, () -> group.run("k", () -> {
                    calls.incrementAndGet();
                    return -1;
                })));
            }
            for (Thread t : threads.threads().subList(1, 6)) {
                Await.blocked(t);
            }
            release.countDown();
            assertThat(leader.get()).isEqualTo(new SingleFlight.Result<>(42, true));
            for (var f : followers) {
                assertThat(f.get()).isEqualTo(new SingleFlight.Result<>(42, true));
            }
        }
        assertThat(calls.get()).isEqualTo(1);
        assertThat(group.inFlight()).isZero();
        assertThat(group.run("k", () -> 7)).as("no caching after the flight").isEqualTo(new SingleFlight.Result<>(7, false));
    }

    @Test
    @DisplayName("a leader's interrupt is not passed to its followers: one of them runs a new flight")
    void leaderInterruptIsNotShared() throws Exception {
        SingleFlight<String, String> group = new SingleFlight<>();
        CountDownLatch leaderIn = new CountDownLatch(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> leader = threads.submit("leader", () -> {
                try {
                    group.run("k", () -> {
                        leaderIn.countDown();
                        new CountDownLatch(1).await(); // interrupted below
                        return "never";
                    });
                    return "no error";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            leaderIn.await();
            Future<SingleFlight.Result<String>> follower = threads.submit("follower", () -> group.run("k", () -> "own"));
            Await.blocked(threads.threads().get(1));
            threads.threads().getFirst().interrupt();
            assertThat(leader.get()).isEqualTo("interrupted");
            assertThat(follower.get().value()).isEqualTo("own");
        }
    }

    @Test
    @DisplayName("a failure is delivered to every caller of the flight")
    void sharesFailure() throws Exception {
        SingleFlight<String, String> group = new SingleFlight<>();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (TestThreads threads = TestThreads.virtual()) {
            Future<String> leader = threads.submit("leader", () -> {
                try {
                    group.run("k", () -> {
                        started.incrementAndGet();
                        release.await();
                        throw new java.io.IOException("backend down");
                    });
                    return "no error";
                } catch (java.io.IOException e) {
                    return e.getMessage();
                }
            });
            Await.until("the flight to start", () -> started.get() == 1);
            Future<String> follower = threads.submit("follower", () -> {
                try {
                    group.run("k", () -> "mine");
                    return "no error";
                } catch (java.io.IOException e) {
                    return e.getMessage();
                }
            });
            Await.blocked(threads.threads().get(1));
            release.countDown();
            assertThat(leader.get()).isEqualTo("backend down");
            assertThat(follower.get()).isEqualTo("backend down");
        }
        assertThatThrownBy(() -> group.run(null, () -> "x")).isInstanceOf(NullPointerException.class);
    }
}
