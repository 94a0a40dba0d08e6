package dev.gopatterns.exercises;

import dev.gopatterns.testkit.LiveThreads;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;

/**
 * The threads of the pipeline exercises' stages, watched by the test: which of the threads started
 * since the watch began still run the stage's code, whether they are parked, and which exception ended one. So a
 * test can say <em>which</em> rule a leaked thread broke ("a forwarder's send has no ctx.done() case") instead of
 * the leak check's plain "THREAD LEAK", and can order events by waiting for a state ("every stage thread is parked:
 * the consumer has stopped and they are blocked"), never by sleeping.
 *
 * <pre>{@code
 * try (StageThreads stage = StageThreads.watch(Merge.class)) {
 *     ReceiveChannel<Integer> out = Merge.merge(ctx, a, b);
 *     ...
 *     ctx.cancel();
 *     stage.assertAllEnd(ONE_SECOND, () -> "a forwarder's send has no ctx.done() case");
 *     stage.assertNoneDied(() -> "...");
 * }
 * }</pre>
 *
 * <p>While it is open, the default uncaught-exception handler records what ended a thread (a stage thread that
 * dies of "close of closed channel" would otherwise only print); {@link #close()} puts the previous one back.
 */
public final class StageThreads implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(10);

    private final Class<?> stage;
    private final LiveThreads threads = LiveThreads.mark();
    private final List<Throwable> died = new CopyOnWriteArrayList<>();
    private final Thread.UncaughtExceptionHandler saved;

    private StageThreads(Class<?> stage) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.saved = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> died.add(e));
    }

    /** Watches the threads, started from now on, that run code of {@code stage} (its lambdas included). */
    public static StageThreads watch(Class<?> stage) {
        return new StageThreads(stage);
    }

    /** The stage's threads alive now. */
    public List<LiveThreads.Live> running() {
        return threads.runningCodeOf(stage);
    }

    /**
     * Waits until at least {@code count} stage threads are alive and every one of them is parked: the stage has
     * done all it can and is blocked (on a consumer that does not receive, a job the test holds, ...).
     */
    public void awaitAllParked(int count, String why) {
        Eventually.until(() -> {
            List<LiveThreads.Live> live = running();
            return live.size() >= count && live.stream().allMatch(LiveThreads.Live::parked);
        }, () -> "at least " + count + " thread(s) of " + stage.getSimpleName() + " to be parked, all of them ("
                + describe(running()) + "): " + why);
    }

    /**
     * Waits up to {@code limit} for every stage thread to end; fails with {@code rule}'s message and where each
     * remaining thread is parked if some do not.
     */
    public void assertAllEnd(Duration limit, Supplier<String> rule) {
        List<LiveThreads.Live> live = awaitRunning(limit);
        if (!live.isEmpty()) {
            throw new AssertionFailedError(rule.get() + ". " + live.size() + " thread(s) of "
                    + stage.getSimpleName() + " were still running " + limit.toMillis() + " ms later:\n"
                    + describe(live));
        }
    }

    /**
     * Waits up to {@code limit} for every stage thread to end, and says whether they did, without failing: for a
     * test that must first look at how they ended (which exception) before it judges that some did not.
     */
    public boolean awaitAllEnd(Duration limit) {
        return awaitRunning(limit).isEmpty();
    }

    private List<LiveThreads.Live> awaitRunning(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<LiveThreads.Live> live = running();
        while (!live.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL.toNanos()); // a bounded wait for a state, as the leak check's grace is
            live = running();
        }
        return live;
    }

    /** The exceptions that ended threads (the stage's or any other) since the watch began. */
    public List<Throwable> died() {
        return List.copyOf(died);
    }

    /** Whether some thread died of an exception whose message contains {@code text}. */
    public boolean diedOf(String text) {
        return died.stream().anyMatch(e -> String.valueOf(e.getMessage()).contains(text));
    }

    /** Fails with {@code rule}'s message if a thread died of an exception since the watch began. */
    public void assertNoneDied(Supplier<String> rule) {
        if (!died.isEmpty()) {
            AssertionFailedError failure = new AssertionFailedError(rule.get() + ". " + died.size()
                    + " thread(s) died of: " + died.stream().map(String::valueOf).distinct()
                    .collect(Collectors.joining("; ")));
            died.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static String describe(List<LiveThreads.Live> live) {
        return live.isEmpty() ? "none" : live.stream().map(LiveThreads.Live::describe).collect(Collectors.joining());
    }

    /** Puts the previous default uncaught-exception handler back. */
    @Override
    public void close() {
        Thread.setDefaultUncaughtExceptionHandler(saved);
    }
}
