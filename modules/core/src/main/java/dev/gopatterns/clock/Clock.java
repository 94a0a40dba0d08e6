package dev.gopatterns.clock;

import java.util.concurrent.locks.LockSupport;

/**
 * The source of time for every timed operation in gopatterns: timed send and receive, {@code select}'s timeout
 * case, and later timers, tickers, deadlines and rate limiters.
 *
 * <p>Production code uses {@link #system()}. Tests use {@link FakeClock}, which only moves when the test says so,
 * so a test of a timeout never sleeps and never races the wall clock.
 *
 * <p>Go equivalent: none in the standard library (Go code reads {@code time.Now} directly); the role is that of
 * {@code testing/synctest}'s fake time, and of Guava's injected {@code Ticker}.
 *
 * <p>Implementations must be thread-safe, and {@link #nanoTime()}, {@link #schedule} and
 * {@link Scheduled#cancel()} must be short, non-blocking leaf calls:
 * <ul>
 *   <li><b>They must not block</b>: no I/O, no sleeping, no waiting for another thread.</li>
 *   <li><b>They must not take a lock that a channel operation could hold</b>, nor wait for a thread that could hold
 *       one. A private lock held only for the call, with nothing else taken or called under it, is fine (this is
 *       what {@link FakeClock} does).</li>
 *   <li><b>They must not use a channel</b> (send, receive, close, select, or a timer or context built on one), and
 *       {@code schedule} must never run its task in the calling thread: the task runs later, on the clock's thread,
 *       with none of the caller's locks.</li>
 * </ul>
 * Why: a timed send or receive reads {@code nanoTime()} while it holds its channel's lock, and a timed
 * {@code select} while it holds the locks of all its channels. Every other operation on those channels waits behind
 * that call, so a slow {@code nanoTime()} stalls them all, and one that needs a lock held by a thread which is
 * itself waiting for one of those channel locks deadlocks. {@code Timer}, {@code Ticker} and a context's deadline
 * call {@code schedule} and {@code cancel} while holding their own lock, under which they also operate on their
 * channel; a task run inline, or a channel used from inside the clock, would take those locks in the opposite
 * order. ({@link #parkUntil} is called with no lock held, and may block: that is its job.)
 */
public interface Clock {

    /**
     * Returns the current value of this clock's monotonic time source, in nanoseconds.
     * As with {@link System#nanoTime()}, only differences between two values are meaningful, and they must be
     * compared as {@code t1 - t0 > 0}, never {@code t1 > t0}, to survive numerical overflow.
     *
     * <p>Called while channel locks are held: it must not block, must not take a lock a channel operation could
     * hold, and must not use a channel (see the rules in the class description).
     */
    long nanoTime();

    /**
     * Disables the current thread until this clock reaches {@code deadlineNanos}, the thread is
     * {@linkplain LockSupport#unpark unparked} or interrupted, or spuriously. Like {@link LockSupport#park}, it
     * reports nothing: the caller re-checks its own condition and the clock.
     *
     * @param deadlineNanos a value on this clock's {@link #nanoTime()} scale
     * @param blocker       the object the thread parks on, shown in thread dumps
     */
    void parkUntil(long deadlineNanos, Object blocker);

    /**
     * Runs {@code task} once, when this clock has advanced {@code delay} from now, on a thread of the clock's
     * choosing: for {@link #system()} one shared daemon timer thread ("gopatterns-timer"), for {@link FakeClock} the
     * thread that calls {@link FakeClock#advance}, never the thread that calls {@code schedule}, even for a zero
     * delay. No thread is created per scheduled task, so tasks must be short and must not block: close a channel,
     * cancel a context, {@code trySend} a tick. The bookkeeping of {@code schedule} and {@link Scheduled#cancel()}
     * itself is called with the caller's locks held, and obeys the rules in the class description.
     *
     * <p>A task that throws is reported, never dropped, and does not stop the clock: later tasks still run. For
     * {@link #system()} the exception goes to the timer thread's
     * {@linkplain Thread#getUncaughtExceptionHandler() uncaught-exception handler}, so a handler set with
     * {@link Thread#setDefaultUncaughtExceptionHandler} sees it (with none set, it is printed to {@code System.err}),
     * and the timer thread stays alive. {@link FakeClock#advance} runs the other due tasks and then rethrows it to
     * the test.
     *
     * <p>Go equivalent: the runtime timer behind {@code time.AfterFunc}. Go runs the function in its own goroutine,
     * and a panic there ends the program; here a failure is reported and the program goes on.
     *
     * <p>Memory consistency effects: actions in a thread prior to {@code schedule} happen-before the task runs.
     *
     * @return a handle whose {@link Scheduled#cancel()} stops the task if it has not started yet
     */
    Scheduled schedule(long delayNanos, Runnable task);

    /**
     * {@link #schedule} at an absolute time: runs {@code task} once this clock reaches {@code deadlineNanos} (on
     * the {@link #nanoTime()} scale), at once (on the clock's thread) if it already has. Use it when the deadline
     * was computed earlier: converting to a delay and calling {@code schedule} would add the time since then, which
     * on a {@link FakeClock} advanced by another thread can be a whole step. The default converts with a fresh
     * {@code nanoTime()}; {@link FakeClock} does it atomically. Same rules as {@link #schedule}.
     */
    default Scheduled scheduleAt(long deadlineNanos, Runnable task) {
        return schedule(deadlineNanos - nanoTime(), task);
    }

    /** A task registered with {@link #schedule}. */
    interface Scheduled {
        /**
         * Prevents the task from running. Returns {@code true} if this call stopped it, {@code false} if it had
         * already started, run, or been cancelled. Like Go's {@code Timer.Stop}, it does not wait for a running task.
         */
        boolean cancel();
    }

    /** The clock backed by {@link System#nanoTime()} and {@link LockSupport#parkNanos(Object, long)}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * {@code timeout} in nanoseconds, saturated: a negative timeout is 0, one too long for a {@code long} (about
     * 292 years) is "practically never".
     */
    static long toNanosSaturated(java.time.Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Adds {@code nanos} to {@code now} without overflowing: a huge timeout saturates to "practically never". */
    static long deadlineAfter(long now, long nanos) {
        if (nanos <= 0) {
            return now;
        }
        long sum = now + nanos;
        // Saturate: keep the deadline at most Long.MAX_VALUE / 2 ahead of now, so deadline - now stays positive.
        return (nanos > Long.MAX_VALUE / 2) ? now + Long.MAX_VALUE / 2 : sum;
    }
}

/** {@link Clock#system()}. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos, Object blocker) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            LockSupport.parkNanos(blocker, remaining);
        }
    }

    @Override
    public Scheduled schedule(long delayNanos, Runnable task) {
        java.util.Objects.requireNonNull(task, "task");
        var once = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable guarded = () -> {
            if (once.compareAndSet(false, true)) {
                try {
                    task.run();
                } catch (Throwable failure) {
                    SystemTimer.report(failure);
                }
            }
        };
        var future = SystemTimer.EXECUTOR.schedule(guarded, Math.max(0, delayNanos),
                java.util.concurrent.TimeUnit.NANOSECONDS);
        return () -> {
            boolean stopped = once.compareAndSet(false, true);
            if (stopped) {
                future.cancel(false);
            }
            return stopped;
        };
    }

    @Override
    public String toString() {
        return "Clock.system()";
    }
}

/** The one timer thread behind {@link Clock#system()}'s {@code schedule}, created on first use. */
final class SystemTimer {
    static final java.util.concurrent.ScheduledThreadPoolExecutor EXECUTOR;

    static {
        EXECUTOR = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("gopatterns-timer").daemon(true).factory());
        EXECUTOR.setRemoveOnCancelPolicy(true);
        EXECUTOR.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Hands a task's failure to the timer thread's uncaught-exception handler (its own if set, else its thread
     * group's, which calls {@link Thread#getDefaultUncaughtExceptionHandler()} or prints the stack trace), as if
     * the task had been the whole thread. The executor would otherwise keep the exception in a future nobody reads.
     * The timer thread survives: the handler returns here, and the next task runs. A handler that throws has its
     * own exception dropped by the executor, as the JDK drops one thrown by a dying thread's handler.
     */
    static void report(Throwable failure) {
        Thread timer = Thread.currentThread();
        timer.getUncaughtExceptionHandler().uncaughtException(timer, failure);
    }

    private SystemTimer() {}
}
