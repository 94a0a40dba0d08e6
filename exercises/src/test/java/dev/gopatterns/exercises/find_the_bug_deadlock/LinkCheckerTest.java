package dev.gopatterns.exercises.find_the_bug_deadlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.exercises.Background;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `find_the_bug_deadlock`: the rules {@link LinkChecker#checkAll} must follow. As shipped it breaks one of
 * them; these tests say which, in plain words. The checker and the report are played by {@link Fake}: it writes
 * down each check (and the thread that made it) and each report, and can hold one check or one report until the
 * test lets it go.
 *
 * <p>A deadlock is caught here by making it happen, not by hoping for it: a batch larger than any buffer, and a
 * check held while the others finish. A caller that reads results as they come reports the others at once; one
 * that waits for every sender first reports nothing, every time. Each wait is bounded by a second.
 *
 * <p>How to run: {@code ./learn check find_the_bug_deadlock}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `find_the_bug_deadlock`: find the deadlock in a batch link checker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkCheckerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String WAITS_FIRST = "It waits for the senders before it reads their results: every"
            + " sender is blocked sending a result nobody reads yet, so the wait never ends. A buffer only moves"
            + " the deadlock: any buffer smaller than the batch fills up. Read the results while the senders run,"
            + " and close the channel only once they have all ended (a thread that waits for them, then closes)";

    @Test
    @Order(1)
    @DisplayName("a batch of 500 links: no deadlock, every link checked once and reported once")
    void aLargeBatch() throws Exception {
        List<String> urls = links(500);
        Fake fake = new Fake();
        Background.within(ONE_SECOND, "calls checkAll", () -> {
            LinkChecker.checkAll(urls, fake, fake);
            return null;
        }, () -> "checkAll with 500 links (instant checks) did not return within 1 s, " + fake.reported().size()
                + " reported: a deadlock. " + WAITS_FIRST);
        fake.checkEveryLinkCheckedOnce(urls);
        assertThat(fake.reported()).as("checked %d links but reported %d results: results were dropped (lost"
                + " results). Every result must be reported, however long the caller takes to read it: a send"
                + " that gives up after a timeout loses it", fake.checks.get(), fake.reported().size())
                .hasSameSizeAs(urls);
        assertThat(new HashSet<>(fake.reported())).as("each link reported once").isEqualTo(new HashSet<>(urls));
    }

    @Test
    @Order(2)
    @DisplayName("results are reported as they come: one slow check does not hold up the reports of the others")
    void reportsAsTheyCome() throws Exception {
        List<String> urls = links(10);
        Fake fake = new Fake();
        fake.holdCheck = "link-0";
        try (Background<Void> call = Background.start("calls checkAll", () -> {
            LinkChecker.checkAll(urls, fake, fake);
            return null;
        })) {
            try {
                // The 9 other checks end, and their threads; then either checkAll returned (wrongly) or the caller
                // has reported their 9 results and is parked, waiting for the 10th.
                boolean settled = withinOneSecond(() -> fake.otherChecksEnded(9)
                        && (call.isDone() || fake.reported().size() >= 9 && parked(call.thread())));
                if (!settled) {
                    fail("with the check of link-0 held, the other 9 links' checks ended, but %d of their results"
                            + " were reported within 1 s: a deadlock as soon as one check is slow. %s",
                            fake.reported().size(), WAITS_FIRST);
                }
                assertThat(call.isDone()).as("checkAll returned while the check of link-0 was still running:"
                        + " lost results. It must wait for every sender, and read until the channel is closed;"
                        + " the channel must not be closed before every sender had sent").isFalse();
            } finally {
                fake.release.countDown();
            }
            call.await(ONE_SECOND, () -> "checkAll did not return within 1 s of the last check ending, "
                    + fake.reported().size() + " of 10 reported: " + WAITS_FIRST);
        }
        fake.checkEveryLinkCheckedOnce(urls);
        if (!fake.reported().contains("link-0")) {
            fail("the result of link-0, whose check ended last, was never reported: the results channel was closed"
                    + " before every sender had sent (lost results). Close it once, after every sender has ended:"
                    + " in the thread that waits for them, after the wait");
        }
        assertThat(fake.reported()).as("checkAll returned having reported %d of 10 results: it returned before"
                + " every result was reported (lost results)", fake.reported().size()).hasSize(10);
    }

    @Test
    @Order(3)
    @DisplayName("checkAll returns only once every result has been reported")
    void returnsAfterTheLastReport() throws Exception {
        List<String> urls = links(3);
        Fake fake = new Fake();
        fake.holdReport = 3;
        try (Background<Void> call = Background.start("calls checkAll", () -> {
            LinkChecker.checkAll(urls, fake, fake);
            return null;
        })) {
            try {
                boolean settled = withinOneSecond(() -> fake.reporting.getCount() == 0 && fake.otherChecksEnded(3)
                        && (call.isDone() || parked(call.thread())));
                if (!settled) {
                    fail("the 3 checks ended, but the 3rd result was not being reported within 1 s (%d reports"
                            + " began): %s", fake.reported().size(), WAITS_FIRST);
                }
                assertThat(call.isDone()).as("checkAll returned while the last result was still being reported:"
                        + " it returned before every result was reported (lost results). A thread that reads the"
                        + " results must be waited for (joined) before checkAll returns; or read them in the"
                        + " calling thread itself").isFalse();
            } finally {
                fake.release.countDown();
            }
            call.await(ONE_SECOND, () -> "checkAll did not return within 1 s of its last report");
        }
        assertThat(fake.reported()).hasSize(3);
    }

    @Test
    @Order(4)
    @DisplayName("an empty batch: checkAll returns at once and reports nothing")
    void anEmptyBatch() throws Exception {
        Fake fake = new Fake();
        Background.within(ONE_SECOND, "calls checkAll", () -> {
            LinkChecker.checkAll(List.of(), fake, fake);
            return null;
        }, () -> "checkAll with no links did not return within 1 s: with no sender, the channel must still be"
                + " closed, or the reading never ends");
        assertThat(fake.reported()).isEmpty();
    }

    private static List<String> links(int n) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add("link-" + i);
        }
        return urls;
    }

    /** Whether {@code t} is parked: waiting for a lock, a channel or a condition. */
    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /** Waits (yielding, never sleeping) until {@code condition} holds, for at most a second; whether it did. */
    private static boolean withinOneSecond(BooleanSupplier condition) {
        long deadline = System.nanoTime() + ONE_SECOND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /**
     * The checker and the report: each check answers "200 OK" and writes down its link and thread; each report is
     * written down. If asked, it holds the check of one link, or the n-th report, until {@link #release} is counted
     * down.
     */
    private static final class Fake implements LinkChecker.Checker, LinkChecker.Report {
        final AtomicInteger checks = new AtomicInteger();
        final Map<String, Integer> checked = new ConcurrentHashMap<>();
        final Set<Thread> checkThreads = ConcurrentHashMap.newKeySet();
        /** Guarded by itself. */
        final List<String> reports = new ArrayList<>();
        final CountDownLatch reporting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String holdCheck;
        volatile int holdReport;

        @Override
        public String check(String url) throws InterruptedException {
            checks.incrementAndGet();
            checked.merge(url, 1, Integer::sum);
            if (url.equals(holdCheck)) {
                hold("check of " + url);
            } else {
                checkThreads.add(Thread.currentThread());
            }
            return "200 OK";
        }

        @Override
        public void add(String url, String status) throws InterruptedException {
            int n;
            synchronized (reports) {
                reports.add(url);
                n = reports.size();
            }
            if (n == holdReport) {
                reporting.countDown();
                hold("report " + n);
            }
        }

        private void hold(String what) throws InterruptedException {
            if (!release.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the " + what + " go");
            }
        }

        List<String> reported() {
            synchronized (reports) {
                return List.copyOf(reports);
            }
        }

        /** Whether {@code n} checks not held have been made and every thread that made one has ended. */
        boolean otherChecksEnded(int n) {
            return checkThreads.size() >= n && checkThreads.stream().allMatch(t -> t.getState()
                    == Thread.State.TERMINATED);
        }

        void checkEveryLinkCheckedOnce(List<String> urls) {
            for (String url : urls) {
                assertThat(checked.getOrDefault(url, 0)).as("times %s was checked: each link is checked once", url)
                        .isEqualTo(1);
            }
        }
    }
}
