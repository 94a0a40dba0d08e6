package dev.gopatterns.clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} that stands still until a test {@linkplain #advance(Duration) advances} it.
 *
 * <p>Threads that wait on this clock (a timed receive, a {@code select} with a timeout case) register here as
 * <em>sleepers</em>. {@link #advance(Duration)} moves the time forward and wakes every sleeper whose deadline has
 * come. {@link #awaitSleepers(int, Duration)} lets a test wait, without sleeping, until the code under test has
 * reached its timed wait, so the order "the operation is waiting, then time passes" is certain:
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * Future<String> f = executor.submit(() -> firstOrTimeout(ch, Duration.ofSeconds(1), clock));
 * clock.awaitSleepers(1, Duration.ofSeconds(5));   // the select is parked on its timeout
 * clock.advance(Duration.ofSeconds(1));            // ... and now it times out
 * assertThat(f.get()).isEqualTo("timeout");
 * }</pre>
 *
 * <p>Go equivalent: the fake time inside a {@code testing/synctest} bubble.
 *
 * <p>Memory consistency effects: actions in a thread prior to {@code advance} happen-before actions of a sleeper
 * after it observes the advanced time.
 */
public final class FakeClock implements Clock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sleepersChanged = lock.newCondition();
    /** Guarded by lock. */
    private long now;
    /** Guarded by lock. */
    private final List<Sleeper> sleepers = new ArrayList<>();

    private record Sleeper(Thread thread, long deadline) {}

    /** Guarded by lock. Scheduled tasks, run in deadline order by advance. */
    private final java.util.PriorityQueue<Task> tasks = new java.util.PriorityQueue<>();
    /** Guarded by lock. */
    private long taskSeq;

    private final class Task implements Comparable<Task>, Scheduled {
        final long deadline;
        final long seq;
        final Runnable body;
        /** Guarded by lock. */
        boolean done;

        Task(long deadline, long seq, Runnable body) {
            this.deadline = deadline;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (done) {
                    return false;
                }
                done = true;
                tasks.remove(this);
                sleepersChanged.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A clock at an arbitrary fixed origin. */
    public FakeClock() {
        this(0L);
    }

    /** A clock whose {@link #nanoTime()} starts at {@code originNanos}. */
    public FakeClock(long originNanos) {
        this.now = originNanos;
    }

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void parkUntil(long deadlineNanos, Object blocker) {
        Sleeper me = new Sleeper(Thread.currentThread(), deadlineNanos);
        lock.lock();
        try {
            if (now - deadlineNanos >= 0) {
                return; // already due: the caller re-checks the clock and times out
            }
            sleepers.add(me);
            sleepersChanged.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            LockSupport.park(blocker);
        } finally {
            lock.lock();
            try {
                sleepers.remove(me);
                sleepersChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs {@code task} in the thread that calls {@link #advance} past its time, in deadline order (ties in the
     * order scheduled), with {@link #nanoTime()} reading the task's own deadline while it runs.
     */
    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        return add(task, delayNanos, true);
    }

    /** Atomic with respect to {@link #advance}: the task runs when the time reaches {@code deadlineNanos}. */
    @Override
    public Scheduled scheduleAt(long deadlineNanos, Runnable task) {
        return add(task, deadlineNanos, false);
    }

    /** Schedules {@code task} at {@code time} after now ({@code relative}) or at {@code time}, read under the lock. */
    private Task add(Runnable task, long time, boolean relative) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            long deadline = relative ? Clock.deadlineAfter(now, Math.max(0, time)) : time - now > 0 ? time : now;
            Task t = new Task(deadline, taskSeq++, task);
            tasks.add(t);
            sleepersChanged.signalAll();
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** The number of scheduled tasks not yet run or cancelled (timers, tickers, context deadlines). */
    public int pendingTasks() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the time forward by {@code duration}: runs, in order, every scheduled task that falls due (each at its
     * own deadline, so a ticker that reschedules itself fires once per period), then wakes every parked thread
     * whose deadline has come.
     *
     * <p>A task that throws does not stop the others: every due task runs, the time reaches its target, the due
     * sleepers are woken, and only then is the first task's exception rethrown, with those of later failing tasks
     * {@linkplain Throwable#addSuppressed suppressed} in it. So a failing deadline callback fails the test at the
     * {@code advance} that fired it, and the clock is left as if the call had succeeded. ({@link Clock#system()}
     * hands the same failure to its timer thread's uncaught-exception handler instead: there is no caller to
     * throw to.)
     *
     * @throws IllegalArgumentException if {@code duration} is negative: time never runs backwards
     * @throws RuntimeException         or whatever else the first failing task threw, rethrown as it is, after the
     *                                  other due tasks ran
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock never goes back: duration must be >= 0, was " + duration);
        }
        long target;
        lock.lock();
        try {
            target = Clock.deadlineAfter(now, Clock.toNanosSaturated(duration));
        } finally {
            lock.unlock();
        }
        Throwable failure = null;
        for (;;) {
            Task next;
            lock.lock();
            try {
                next = tasks.peek();
                if (next == null || next.deadline - target > 0) {
                    now = target;
                    break;
                }
                tasks.poll();
                next.done = true;
                if (next.deadline - now > 0) {
                    now = next.deadline;
                }
            } finally {
                lock.unlock();
            }
            wakeDueSleepers();
            try {
                next.body.run();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                } else {
                    failure.addSuppressed(t);
                }
            }
        }
        wakeDueSleepers();
        if (failure != null) {
            throw sneaky(failure);
        }
    }

    /** Rethrows {@code t} as it is, checked or not (a task may throw a checked exception it did not declare). */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    private void wakeDueSleepers() {
        List<Thread> due = new ArrayList<>();
        lock.lock();
        try {
            for (Sleeper s : sleepers) {
                if (now - s.deadline >= 0) {
                    due.add(s.thread);
                }
            }
        } finally {
            lock.unlock();
        }
        due.forEach(LockSupport::unpark);
    }

    /** The number of threads currently parked on this clock with a deadline. */
    public int sleepers() {
        lock.lock();
        try {
            return sleepers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of threads parked on this clock whose deadline has passed: woken by an {@link #advance}, and not
     * yet running again. A test that needs everything to have reacted to an advance waits for this to be 0 (a
     * woken thread stays among the {@link #sleepers()} until it runs).
     */
    public int dueSleepers() {
        lock.lock();
        try {
            int due = 0;
            for (Sleeper s : sleepers) {
                due += now - s.deadline >= 0 ? 1 : 0;
            }
            return due;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until at least {@code count} threads are parked on this clock, so that a following
     * {@link #advance(Duration)} is certain to be seen by them as the passing of time.
     *
     * @param timeout how long to wait (real time) before giving up: a safety net, not an ordering device
     * @throws TimeoutException if fewer than {@code count} threads are parked after {@code timeout}
     */
    public void awaitSleepers(int count, Duration timeout) throws InterruptedException, TimeoutException {
        awaitCondition(() -> sleepers.size() >= count, timeout, () -> "expected " + count
                + " thread(s) waiting on the fake clock, found " + sleepers.size() + " after " + timeout
                + ": the code under test never reached its timed wait");
    }

    /**
     * Blocks until at least {@code count} tasks are scheduled on this clock (timers, tickers, context deadlines),
     * so that a following {@link #advance(Duration)} is certain to fire them.
     *
     * @throws TimeoutException if fewer than {@code count} tasks are pending after {@code timeout}
     */
    public void awaitPendingTasks(int count, Duration timeout) throws InterruptedException, TimeoutException {
        awaitCondition(() -> tasks.size() >= count, timeout, () -> "expected " + count
                + " timer(s) scheduled on the fake clock, found " + tasks.size() + " after " + timeout
                + ": the code under test never started its timer");
    }

    private void awaitCondition(java.util.function.BooleanSupplier holds, Duration timeout,
                                java.util.function.Supplier<String> failure)
            throws InterruptedException, TimeoutException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long remaining = Clock.toNanosSaturated(timeout);
        lock.lock();
        try {
            while (!holds.getAsBoolean()) {
                if (remaining <= 0) {
                    throw new TimeoutException(failure.get());
                }
                remaining = sleepersChanged.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FakeClock[now=" + TimeUnit.NANOSECONDS.toMillis(nanoTime()) + "ms, sleepers=" + sleepers() + "]";
    }
}
