/*
 * Flawed solution of exercise `waitgroup_once`.
 * Mistake: wg.add(1) is called once, before the loop, for the whole batch: the first thread to end brings the counter to zero and wg.await() returns while the others still run.
 * Verdict: the WaitGroup must count every started thread
 */
package dev.gopatterns.exercises.waitgroup_once;

import dev.gopatterns.sync.OnceValue;
import dev.gopatterns.sync.WaitGroup;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
    private final OnceValue<Config> config;

    public ParallelLoader(Source source, Starter starter) {
        this.source = Objects.requireNonNull(source, "source");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.config = OnceValue.of(source::config); // lazy: nothing is read until the first get()
    }

    /**
     * The configuration, read from the source by the first call only; every call returns it (or throws what it
     * threw).
     */
    public Config config() {
        return config.get();
    }

    /**
     * Loads every item, each in a thread of its own, all at once; returns the values in the order of {@code names}
     * once every thread has ended. If a load failed, throws the failure of the first item (in the order of
     * {@code names}) that failed, still after every thread has ended.
     */
    public List<String> loadAll(List<String> names) throws IOException, InterruptedException {
        String[] values = new String[names.size()];
        Exception[] failures = new Exception[names.size()];
        WaitGroup wg = new WaitGroup();
        wg.add(1); // one batch
        for (int i = 0; i < names.size(); i++) {
            int slot = i;
            String name = names.get(i);
            starter.start(() -> {
                try {
                    values[slot] = source.load(name, config());
                } catch (IOException | RuntimeException e) {
                    failures[slot] = e;
                } catch (InterruptedException e) {
                    failures[slot] = e;
                    Thread.currentThread().interrupt();
                } finally {
                    wg.done(); // always, or a failed load leaves await waiting for ever
                }
            });
        }
        wg.await(); // every thread has ended: its writes to values and failures are visible here
        for (Exception failure : failures) {
            switch (failure) {
                case null -> { }
                case IOException e -> throw e;
                case InterruptedException e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new IllegalStateException(failure);
            }
        }
        return Arrays.asList(values);
    }
}
