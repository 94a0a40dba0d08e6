package dev.gopatterns.jmh;

import dev.gopatterns.sync.Semaphore;

/**
 * One semaphore under test, reduced to the three calls the semaphore benchmarks use, one unit at a time. The
 * benchmarks name an implementation with a string {@code @Param}:
 *
 * <table>
 *   <caption>Implementations</caption>
 *   <tr><th>spec</th><th>class</th><th>acquire / tryAcquire / release</th></tr>
 *   <tr><td>{@code gopatterns}</td><td>{@link Semaphore dev.gopatterns.sync.Semaphore} (weighted, FIFO; Go's
 *       {@code x/sync/semaphore.Weighted})</td><td>{@code acquire(1)} / {@code tryAcquire(1)} /
 *       {@code release(1)}</td></tr>
 *   <tr><td>{@code jdk-fair}</td><td>{@code java.util.concurrent.Semaphore(permits, true)}: FIFO, like the
 *       weighted one</td><td>{@code acquire()} / {@code tryAcquire()} / {@code release()}</td></tr>
 *   <tr><td>{@code jdk-nonfair}</td><td>{@code java.util.concurrent.Semaphore(permits)}: the default; a thread
 *       that arrives when a permit is free takes it, even if others are queued ("barging")</td>
 *       <td>the same</td></tr>
 * </table>
 *
 * <p>Note that the JDK's {@code tryAcquire()} barges even on a fair semaphore (its javadoc says so), while the
 * weighted semaphore's {@code tryAcquire} fails whenever anyone is queued. Uncontended, as the benchmarks use
 * {@code tryAcquire}, the difference does not arise.
 *
 * <p>As with {@link Conduit}, a benchmark's call sites see one {@code Permits} class per JMH fork, so they stay
 * monomorphic. Do not run these benchmarks with {@code -f 0}.
 */
sealed interface Permits {

    /** Blocks until one unit is taken. */
    void acquire() throws InterruptedException;

    /** Takes one unit if that is possible at once. */
    boolean tryAcquire();

    /** Returns one unit. */
    void release();

    /**
     * Creates the implementation named by {@code spec} with {@code size} units.
     *
     * @throws IllegalArgumentException naming the unknown spec and the known ones
     */
    static Permits make(String spec, int size) {
        return switch (spec) {
            case "gopatterns" -> new Weighted(new Semaphore(size));
            case "jdk-fair" -> new Jdk(new java.util.concurrent.Semaphore(size, true));
            case "jdk-nonfair" -> new Jdk(new java.util.concurrent.Semaphore(size, false));
            default -> throw new IllegalArgumentException(
                    "unknown semaphore \"" + spec + "\"; known: gopatterns, jdk-fair, jdk-nonfair");
        };
    }

    record Weighted(Semaphore semaphore) implements Permits {
        @Override
        public void acquire() throws InterruptedException {
            semaphore.acquire(1);
        }

        @Override
        public boolean tryAcquire() {
            return semaphore.tryAcquire(1);
        }

        @Override
        public void release() {
            semaphore.release(1);
        }
    }

    record Jdk(java.util.concurrent.Semaphore semaphore) implements Permits {
        @Override
        public void acquire() throws InterruptedException {
            semaphore.acquire();
        }

        @Override
        public boolean tryAcquire() {
            return semaphore.tryAcquire();
        }

        @Override
        public void release() {
            semaphore.release();
        }
    }
}
