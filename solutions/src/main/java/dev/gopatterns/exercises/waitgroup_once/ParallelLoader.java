package dev.gopatterns.exercises.waitgroup_once;

import dev.gopatterns.sync.OnceValue;
import dev.gopatterns.sync.WaitGroup;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Exercise `waitgroup_once`, solved: a loader that loads a batch of items in parallel threads, waits for all of them
 * with a {@link WaitGroup}, and shares a configuration that an {@link OnceValue} loads once, when first needed.
 *
 * <p>Why it is correct:
 * <ul>
 *   <li>{@code wg.add(1)} runs in the caller's thread before {@code start}, so when the loop ends the counter holds
 *       one for every thread started, whether or not any has begun to run; {@code await} cannot see zero early.
 *   <li>{@code wg.done()} is in a {@code finally}: a load that throws still counts down, so {@code await} returns.
 *   <li>Each thread writes only its own slots of {@code values} and {@code failures}; the WaitGroup's memory effect
 *       (actions before {@code done()} happen-before the return of {@code await()}) makes them visible to the caller.
 *   <li>{@code OnceValue} runs {@code source.config()} once even when the first calls come at once: they wait for it,
 *       and every caller gets its value, or the same exception if it failed.
 * </ul>
 *
 * <p>How to run: {@code ./learn check waitgroup_once --solution}
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
        for (int i = 0; i < names.size(); i++) {
            int slot = i;
            String name = names.get(i);
            wg.add(1); // before start: the counter must count this thread before await can look at it
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
