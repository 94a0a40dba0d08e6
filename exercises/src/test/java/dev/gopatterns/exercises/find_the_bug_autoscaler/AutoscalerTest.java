package dev.gopatterns.exercises.find_the_bug_autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.testkit.HangTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `find_the_bug_autoscaler`: the rules {@link Autoscaler} must keep, on a pool the test simulates. The pool
 * is a few numbers: its queue, which the test sets tick by tick from a load curve (with a little deterministic
 * jitter, as a real queue has), and its workers, which only the scaler changes. Time is a {@link FakeClock}: the
 * test moves it one interval (10 s) and calls {@link Autoscaler#tick} itself, so each look is exactly where the test
 * wants it, and after each tick it checks the change the scaler made, if any, against every rule. The policy: 1 to
 * 10 workers, at most 2 per change, scale up above 8 jobs queued per worker, down below 3, a cooldown of 30 s.
 *
 * <p>How to run: {@code ./learn check find_the_bug_autoscaler}
 */
@HangTimeout(seconds = 8)
@DisplayName("Exercise `find_the_bug_autoscaler`: find the bug in an autoscaler that flaps")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalerTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Autoscaler.Policy POLICY = new Autoscaler.Policy(1, 10, 2, 8.0, 3.0, Duration.ofSeconds(30));
    /** The jitter added to the queue, tick after tick: a real queue never sits still. */
    private static final int[] JITTER = {2, -2, 1, -1, 2, -1, -2, 1};

    @Test
    @Order(1)
    @DisplayName("on a steady load, with a queue that jitters inside the band, the scaler holds still")
    void holdsStillOnASteadyLoad() {
        Simulation sim = new Simulation(4);
        for (int i = 0; i < 30; i++) {
            sim.tick(22 + JITTER[i % JITTER.length]); // 20 to 24 jobs for 4 workers: 5 to 6 each, inside [3, 8]
        }
        sim.finish();
        assertThat(sim.changes()).as("changes on a steady load inside the band").isEmpty();
    }

    @Test
    @Order(2)
    @DisplayName("a burst: up maxStep at a time, once per cooldown, to maxWorkers; then back down to minWorkers")
    void followsABurstWithinItsBounds() {
        Simulation sim = new Simulation(1);
        for (int i = 0; i < 20; i++) {
            sim.tick(200); // 200 jobs: more than maxWorkers can bring inside the band
        }
        sim.finish();
        assertThat(sim.pool.workers()).as("the pool's workers after 200 s of a queue of 200 jobs (the changes: %s):"
                + " the scaler did not follow the load. With steps of up to maxStep (2) toward ceil(queue /"
                + " target()), once per cooldown (30 s), it reaches maxWorkers (10) in 5 changes",
                sim.changes()).isEqualTo(POLICY.maxWorkers());
        for (int i = 0; i < 20; i++) {
            sim.tick(0); // the burst is over
        }
        sim.finish();
        assertThat(sim.pool.workers()).as("the pool's workers after 200 s of an empty queue (the changes: %s): the"
                + " scaler did not follow the load back down to minWorkers (1)", sim.changes())
                .isEqualTo(POLICY.minWorkers());
    }

    @Test
    @Order(3)
    @DisplayName("a load that ramps up and down: the workers follow it, with few changes and one turn")
    void followsARampWithoutFlapping() {
        Simulation sim = new Simulation(2);
        List<Integer> load = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            load.add(12);
        }
        for (int q = 12; q < 62; q += 2) {
            load.add(q); // up, 2 jobs a tick
        }
        for (int i = 0; i < 10; i++) {
            load.add(62);
        }
        for (int q = 62; q > 12; q -= 2) {
            load.add(q); // and down again
        }
        for (int i = 0; i < 10; i++) {
            load.add(12);
        }
        for (int i = 0; i < load.size(); i++) {
            sim.tick(load.get(i) + JITTER[i % JITTER.length]);
        }
        sim.finish();
        List<Change> changes = sim.changes();
        int turns = 0;
        for (int i = 1; i < changes.size(); i++) {
            if (Integer.signum(changes.get(i).delta()) != Integer.signum(changes.get(i - 1).delta())) {
                turns++;
            }
        }
        assertThat(changes.size()).as("the changes over a ramp from 12 jobs up to 62 and back (%s): the ramp needs"
                + " about 6 (2 to 8 workers and back, 2 at a time); many more means the scaler flaps", changes)
                .isLessThanOrEqualTo(8);
        assertThat(turns).as("the times the scaler turned from scaling up to scaling down or back (%s): a ramp up"
                + " and down needs one turn; more means it flaps", changes).isLessThanOrEqualTo(1);
        double perWorker = (double) (12 + JITTER[(load.size() - 1) % JITTER.length]) / sim.pool.workers();
        assertThat(perWorker).as("the queue per worker once the load is back where it started (%d workers): the"
                + " workers follow the load back into the band", sim.pool.workers())
                .isBetween(POLICY.scaleDownBelow(), POLICY.scaleUpAbove());
    }

    @Test
    @Order(4)
    @DisplayName("run ticks on a Ticker of the scaler's clock, and returns when ctx ends, its ticker stopped")
    void runTicksOnTheClockUntilCtxEnds() throws Exception {
        FakeClock clock = new FakeClock();
        SimPool pool = new SimPool(clock, 1);
        pool.setQueue(200);
        Autoscaler scaler = new Autoscaler(pool, POLICY, clock);
        CancellableContext ctx = Context.withCancel(Context.background());
        try (Background<Void> running = Background.start("runs the scaler", () -> {
            scaler.run(ctx, INTERVAL);
            return null;
        })) {
            clock.awaitPendingTasks(1, ONE_SECOND); // run's ticker
            for (int tick = 1; tick <= 4; tick++) {
                int reads = pool.reads();
                clock.advance(INTERVAL);
                int round = tick;
                Eventually.until(() -> pool.reads() > reads, () -> "the scaler to look at the pool after the clock"
                        + " moved one interval (tick " + round + "): run ticks on a Ticker of the scaler's clock");
                running.awaitDoneOrBlocked(() -> "run did not wait for the next tick: it spins");
            }
            assertThat(pool.changes()).as("the sizes the scaler gave the pool over 4 ticks of run, 10 s apart, with"
                    + " a queue of 200 jobs and 1 worker: 3 at once, 5 once the cooldown (30 s) had passed")
                    .extracting(Change::to).containsExactly(3, 5);
            ctx.cancel();
            running.await(ONE_SECOND, () -> "run did not return within 1 s after ctx was cancelled");
            Eventually.until(() -> clock.pendingTasks() == 0, () -> "run's ticker to be stopped after it returned");
        } finally {
            ctx.cancel();
        }
    }

    @Test
    @Order(5)
    @DisplayName("a policy whose numbers contradict each other is refused, with a message that names the rule")
    void contradictoryPoliciesAreRefused() {
        Duration cooldown = Duration.ofSeconds(30);
        assertRefused(() -> new Autoscaler.Policy(0, 10, 2, 8.0, 3.0, cooldown), "minWorkers must be >= 1");
        assertRefused(() -> new Autoscaler.Policy(3, 2, 2, 8.0, 3.0, cooldown), "maxWorkers must be >= minWorkers");
        assertRefused(() -> new Autoscaler.Policy(1, 10, 0, 8.0, 3.0, cooldown), "maxStep must be >= 1");
        assertRefused(() -> new Autoscaler.Policy(1, 10, 2, 3.0, 8.0, cooldown), "scaleDownBelow must be >= 0 and <"
                + " scaleUpAbove");
    }

    private static void assertRefused(Runnable make, String rule) {
        try {
            make.run();
            fail("the policy was accepted; it must be refused with IllegalArgumentException(\"" + rule + " ...\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains(rule);
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** A change the scaler made: when, on the clock (nanoseconds), and from how many workers to how many. */
    record Change(long at, int from, int to) {
        int delta() {
            return to - from;
        }

        @Override
        public String toString() {
            return from + "->" + to + " at " + seconds(at);
        }
    }

    /** The pool the scaler watches: a queue the test sets, and workers only the scaler changes. */
    static final class SimPool implements Autoscaler.Pool {
        private final FakeClock clock;
        /** Guarded by this. */
        private int queue;
        /** Guarded by this. */
        private int workers;
        /** Guarded by this. */
        private int reads;
        /** Guarded by this. */
        private final List<Change> changes = new ArrayList<>();

        SimPool(FakeClock clock, int workers) {
            this.clock = clock;
            this.workers = workers;
        }

        synchronized void setQueue(int jobs) {
            queue = jobs;
        }

        @Override
        public synchronized int queueLength() {
            reads++;
            return queue;
        }

        @Override
        public synchronized int workers() {
            return workers;
        }

        /** Written down, whatever the size: the test, not the pool, judges it. A resize to the same size is none. */
        @Override
        public synchronized void resize(int n) {
            if (n != workers) {
                changes.add(new Change(clock.nanoTime(), workers, n));
                workers = n;
            }
        }

        synchronized int reads() {
            return reads;
        }

        synchronized List<Change> changes() {
            return List.copyOf(changes);
        }
    }

    /**
     * The scaler on a simulated pool, ticked by the test: each {@link #tick} moves the clock one interval, sets the
     * queue, calls {@link Autoscaler#tick} and judges what it did.
     */
    static final class Simulation {
        final FakeClock clock = new FakeClock();
        final SimPool pool;
        final Autoscaler scaler;
        private final long start = clock.nanoTime();
        /** The first change inside the band, described; null while there was none. */
        private String flapped;

        Simulation(int workers) {
            pool = new SimPool(clock, workers);
            scaler = new Autoscaler(pool, POLICY, clock);
        }

        List<Change> changes() {
            return pool.changes();
        }

        /** One interval passes, the queue is {@code jobs}, and the scaler looks. */
        void tick(int jobs) {
            clock.advance(INTERVAL);
            pool.setQueue(jobs);
            int workers = pool.workers();
            int before = pool.changes().size();
            scaler.tick();
            List<Change> all = pool.changes();
            double perWorker = (double) jobs / workers;
            String state = String.format(Locale.ROOT, "%.1f: %d jobs, %d worker%s", perWorker, jobs, workers,
                    workers == 1 ? "" : "s");
            for (int i = before; i < all.size(); i++) {
                Change c = all.get(i);
                if (perWorker >= POLICY.scaleDownBelow() && perWorker <= POLICY.scaleUpAbove()) {
                    flapped(c, state);
                } else {
                    judge(c, i == 0 ? null : all.get(i - 1), perWorker, state);
                }
            }
            if (all.size() == before) {
                judgeStill(all.isEmpty() ? null : all.getLast(), perWorker, workers, state);
            }
        }

        /** Fails if the scaler broke a rule on the way, with the first it broke and every change it made. */
        void finish() {
            if (flapped != null) {
                fail(flapped + ". Its changes: " + changes());
            }
        }

        /**
         * A change inside the band: written down, and the simulation goes on (a later rule broken fails it with
         * this first), so that the failure shows the flapping, not only its first step.
         */
        private void flapped(Change c, String state) {
            if (flapped == null) {
                flapped = "the scaler changed the workers " + c + " with the queue per worker at " + state
                        + ", inside the band [" + POLICY.scaleDownBelow() + ", " + POLICY.scaleUpAbove() + "]: a"
                        + " scaler that steers to one number flaps, up and down as the queue jitters around it. Scale"
                        + " up only above scaleUpAbove and down only below scaleDownBelow, and hold still in between"
                        + " (hysteresis)";
            }
        }

        /** Fails with {@code rule}, or with the flapping seen before it if there was some. */
        private void broke(String rule) {
            finish();
            fail(rule + ". Changes so far: " + changes());
        }

        private void judge(Change c, Change previous, double perWorker, String state) {
            String what = "the scaler changed the workers " + c + " with the queue per worker at " + state;
            if (c.to() < POLICY.minWorkers()) {
                broke(what + ": " + c.to() + " is below minWorkers (" + POLICY.minWorkers() + "): the workers must"
                        + " never go below minWorkers. Clamp the new size to [minWorkers, maxWorkers]");
            }
            if (c.to() > POLICY.maxWorkers()) {
                broke(what + ": " + c.to() + " is above maxWorkers (" + POLICY.maxWorkers() + "): the workers must"
                        + " never go above maxWorkers. Clamp the new size to [minWorkers, maxWorkers]");
            }
            if ((perWorker > POLICY.scaleUpAbove()) != (c.delta() > 0)) {
                broke(what + ": it scaled the wrong way. Above scaleUpAbove add workers, below scaleDownBelow remove"
                        + " them");
            }
            if (Math.abs(c.delta()) > POLICY.maxStep()) {
                broke(what + ": " + Math.abs(c.delta()) + " workers in one change, more than maxStep workers at once"
                        + " (maxStep is " + POLICY.maxStep() + "). Move toward the size the queue asks for by at"
                        + " most maxStep per change");
            }
            if (previous != null && c.at() - previous.at() < POLICY.cooldown().toNanos()) {
                broke(what + ", " + seconds(c.at() - previous.at()) + " after the change before (" + previous
                        + "): it changed twice within the cooldown (" + seconds(POLICY.cooldown().toNanos())
                        + "). After a change, make no other until cooldown has passed on the scaler's clock: new"
                        + " workers take a while to bring the queue down, and a scaler that does not wait for them"
                        + " sees the old queue and overshoots");
            }
        }

        /** The scaler made no change: fine, unless the load called for one and the cooldown had long passed. */
        private void judgeStill(Change last, double perWorker, int workers, String state) {
            boolean up = perWorker > POLICY.scaleUpAbove() && workers < POLICY.maxWorkers();
            boolean down = perWorker < POLICY.scaleDownBelow() && workers > POLICY.minWorkers();
            long now = clock.nanoTime();
            long since = now - (last == null ? start : Math.max(last.at(), start));
            if ((up || down) && since >= POLICY.cooldown().toNanos() + INTERVAL.toNanos()) {
                broke("at " + seconds(now) + " the queue per worker was at " + state + ", "
                        + (up ? "above scaleUpAbove (" + POLICY.scaleUpAbove() + ")"
                              : "below scaleDownBelow (" + POLICY.scaleDownBelow() + ")")
                        + ", and the " + (last == null ? "scaler was made " : "last change, " + last + ", was made ")
                        + seconds(since) + " before on the scaler's clock, longer than the cooldown ("
                        + seconds(POLICY.cooldown().toNanos()) + "), yet the scaler did not scale. It must follow the"
                        + " load: outside the band, the first tick after the cooldown changes the pool. If it"
                        + " scaled once and then never again, measure the cooldown on the scaler's clock"
                        + " (clock.nanoTime()), not with System.nanoTime(), which the test's clock does not move");
            }
        }
    }

    private static String seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds() + " s";
    }
}
