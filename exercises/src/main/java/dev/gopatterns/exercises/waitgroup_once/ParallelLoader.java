package dev.gopatterns.exercises.waitgroup_once;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Exercise `waitgroup_once`: load a batch of items in parallel threads and wait for all of them with a
 * {@code WaitGroup}; read the configuration they share once, when first needed, with an {@code OnceValue}.
 *
 * <p>The rules of {@code loadAll(names)}:
 * <ol>
 *   <li>It loads every item with {@code source.load(name, config())}, each in a thread of its own started with
 *       {@code starter.start(task)}, all of them before it waits for any.
 *   <li>It counts each thread before starting it ({@code wg.add(1)}, then {@code start}), and each thread counts
 *       itself down in a {@code finally} ({@code wg.done()}), so a failing load cannot leave it waiting.
 *   <li>It returns only once every thread has ended, with the values in the order of {@code names}; if a load
 *       failed, it throws the failure of the first item (in the order of {@code names}) that failed.
 * </ol>
 *
 * <p>The rules of {@code config()}:
 * <ol>
 *   <li>The config is read from {@code source.config()} lazily, by the first call, never by the constructor.
 *   <li>It is read once, even when the first calls come at the same time: the others wait for that read and get
 *       its result, the same {@code Config}.
 *   <li>If the read throws, every call, then and later, throws that same exception; it is not read again.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check waitgroup_once}
 */
public final class ParallelLoader {

    /** A shared configuration, read once; every load needs it. */
    public record Config(String version) {}

    /** Where the items and the configuration come from (in the tests, a fake that can hold or fail a call). */
    public interface Source {
        /**
         * Reads the configuration: slow, so the loader reads it once, when first needed. May throw an unchecked
         * exception.
         */
        Config config();

        /** Loads one item with the configuration. May block, may fail. */
        String load(String name, Config config) throws IOException, InterruptedException;
    }

    /** Starts a thread that runs a task. In production {@code Thread.ofVirtual()::start}; the tests pass their own. */
    public interface Starter {
        void start(Runnable task);
    }

    private final Source source;
    private final Starter starter;

    public ParallelLoader(Source source, Starter starter) {
        this.source = Objects.requireNonNull(source, "source");
        this.starter = Objects.requireNonNull(starter, "starter");
        // TODO: a field that reads source.config() once, lazily (OnceValue.of(...) reads nothing until its first get())
    }

    /**
     * The configuration, read from the source by the first call only; every call returns it (or throws what it
     * threw).
     */
    public Config config() {
        throw new UnsupportedOperationException(
                "TODO: config: return the config from an OnceValue over source.config(), made in the constructor");
    }

    /**
     * Loads every item, each in a thread of its own, all at once; returns the values in the order of {@code names}
     * once every thread has ended. If a load failed, throws the failure of the first item (in the order of
     * {@code names}) that failed, still after every thread has ended.
     */
    public List<String> loadAll(List<String> names) throws IOException, InterruptedException {
        throw new UnsupportedOperationException(
                "TODO: loadAll: for each name, wg.add(1), then starter.start(a task that stores"
                        + " source.load(name, config()) or its failure, and calls wg.done() in a finally);"
                        + " then wg.await() and return the values, or throw the first failure");
    }
}
