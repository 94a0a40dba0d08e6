package dev.gopatterns.jmh;

import dev.gopatterns.sync.ErrGroup;
import dev.gopatterns.sync.WaitGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One way of running a batch of tasks and waiting for all of them, as {@link Sync_06_FanOut} compares them. The
 * benchmark names an implementation with a string {@code @Param}:
 *
 * <table>
 *   <caption>Implementations</caption>
 *   <tr><th>spec</th><th>one batch</th><th>threads</th></tr>
 *   <tr><td>{@code ErrGroup}</td><td>{@code try (ErrGroup g = ErrGroup.create()) { g.go(task) for each; g.await(); }}
 *       </td><td>a new virtual thread per task</td></tr>
 *   <tr><td>{@code ErrGroup:limit=8}</td><td>the same after {@code g.setLimit(8)}: {@code go} blocks while 8 tasks
 *       are active</td><td>a new virtual thread per task, at most 8 alive</td></tr>
 *   <tr><td>{@code WaitGroup.go}</td><td>{@code wg.go(task)} for each; {@code wg.await()}</td>
 *       <td>a new virtual thread per task</td></tr>
 *   <tr><td>{@code virtualThreadPerTaskExecutor}</td><td>{@code try (var ex =
 *       Executors.newVirtualThreadPerTaskExecutor()) { ex.invokeAll(tasks); }}, the JEP 444 idiom</td>
 *       <td>a new virtual thread per task</td></tr>
 *   <tr><td>{@code fixedThreadPool:N}</td><td>{@code pool.invokeAll(tasks)} on a pool made once per trial</td>
 *       <td>N long-lived platform threads</td></tr>
 * </table>
 *
 * <p>The group, wait group and virtual-thread executor are made for each batch, because a scope per fan-out is how
 * they are meant to be used; a platform pool is made once per trial, because that is how it is used, and
 * {@link #close()} shuts it down and waits for its threads, so nothing outlives the trial. Every implementation
 * surfaces a task's failure: {@code await} throws it, and the futures of {@code invokeAll} are all read.
 *
 * <p>As with {@link Conduit}, each fork sees one implementation, so its call sites stay monomorphic.
 */
sealed interface FanOut extends AutoCloseable {

    Duration POOL_TERMINATION_TIMEOUT = Duration.ofSeconds(10);

    /** Runs every task once and returns when all have ended. */
    void runAll() throws Exception;

    /** Releases what the implementation holds between batches (a pool's threads); idempotent. */
    @Override
    default void close() throws InterruptedException {}

    /**
     * Creates the implementation named by {@code spec}, running {@code tasks} (each task's body) per batch.
     *
     * @throws IllegalArgumentException naming the unknown spec and the known ones
     */
    static FanOut make(String spec, Runnable[] tasks) {
        return switch (spec) {
            case "ErrGroup" -> new Group(tasks, -1);
            case "ErrGroup:limit=8" -> new Group(tasks, 8);
            case "WaitGroup.go" -> new Wait(tasks);
            case "virtualThreadPerTaskExecutor" -> new VirtualExecutor(callables(tasks));
            case "fixedThreadPool:2" -> new Pool(Executors.newFixedThreadPool(2), callables(tasks));
            case "fixedThreadPool:8" -> new Pool(Executors.newFixedThreadPool(8), callables(tasks));
            default -> throw new IllegalArgumentException("unknown fan-out \"" + spec + "\"; known: ErrGroup, "
                    + "ErrGroup:limit=8, WaitGroup.go, virtualThreadPerTaskExecutor, fixedThreadPool:2, "
                    + "fixedThreadPool:8");
        };
    }

    private static List<Callable<Void>> callables(Runnable[] tasks) {
        List<Callable<Void>> list = new ArrayList<>(tasks.length);
        for (Runnable t : tasks) {
            list.add(() -> {
                t.run();
                return null;
            });
        }
        return List.copyOf(list);
    }

    /** Reads every future, so that a task's failure fails the batch as it would with await. */
    private static void requireAllSucceeded(List<Future<Void>> futures) throws Exception {
        for (Future<Void> f : futures) {
            f.get();
        }
    }

    record Group(ErrGroup.Task[] tasks, int limit) implements FanOut {
        Group(Runnable[] tasks, int limit) {
            this(wrap(tasks), limit);
        }

        private static ErrGroup.Task[] wrap(Runnable[] tasks) {
            ErrGroup.Task[] wrapped = new ErrGroup.Task[tasks.length];
            for (int i = 0; i < tasks.length; i++) {
                wrapped[i] = tasks[i]::run;
            }
            return wrapped;
        }

        @Override
        public void runAll() throws Exception {
            try (ErrGroup g = ErrGroup.create()) {
                if (limit >= 0) {
                    g.setLimit(limit);
                }
                for (ErrGroup.Task t : tasks) {
                    g.go(t);
                }
                g.await();
            }
        }
    }

    record Wait(Runnable[] tasks) implements FanOut {
        @Override
        public void runAll() throws InterruptedException {
            WaitGroup wg = new WaitGroup();
            for (Runnable t : tasks) {
                wg.go(t);
            }
            wg.await();
        }
    }

    record VirtualExecutor(List<Callable<Void>> tasks) implements FanOut {
        @Override
        public void runAll() throws Exception {
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                requireAllSucceeded(ex.invokeAll(tasks));
            } // close waits until every thread has terminated
        }
    }

    record Pool(ExecutorService pool, List<Callable<Void>> tasks) implements FanOut {
        @Override
        public void runAll() throws Exception {
            requireAllSucceeded(pool.invokeAll(tasks));
        }

        @Override
        public void close() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(POOL_TERMINATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                throw new IllegalStateException(
                        "the pool's threads did not end within " + POOL_TERMINATION_TIMEOUT + " of shutdown");
            }
        }
    }
}
