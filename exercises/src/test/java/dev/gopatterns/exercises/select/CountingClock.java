package dev.gopatterns.exercises.select;

import dev.gopatterns.clock.Clock;
import dev.gopatterns.clock.FakeClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FakeClock} that also counts how it is used: how often the time is read, and the deadline of every
 * park. That is how a test tells one blocking wait from a loop: a select with a timeout case reads the clock a few
 * times and parks once, until its deadline; a loop over {@code tryReceive} reads it thousands of times a second, and
 * a loop that naps between tries parks again and again, each time for a nap, not for the whole timeout.
 */
final class CountingClock implements Clock {

    private final FakeClock time;
    private final AtomicLong reads = new AtomicLong();
    private final List<Long> parkDeadlines = new CopyOnWriteArrayList<>();

    CountingClock(FakeClock time) {
        this.time = time;
    }

    @Override
    public long nanoTime() {
        reads.incrementAndGet();
        return time.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos, Object blocker) {
        parkDeadlines.add(deadlineNanos);
        time.parkUntil(deadlineNanos, blocker);
    }

    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        return time.schedule(delayNanos, task);
    }

    @Override
    public Scheduled scheduleAt(long deadlineNanos, Runnable task) {
        return time.scheduleAt(deadlineNanos, task);
    }

    /** How many times the time was read. */
    long reads() {
        return reads.get();
    }

    /** The deadline of every park so far, in order, on the fake clock's scale. */
    List<Long> parkDeadlines() {
        return List.copyOf(parkDeadlines);
    }

    @Override
    public String toString() {
        return time + " (read " + reads() + " times, parked " + parkDeadlines.size() + " times)";
    }
}
