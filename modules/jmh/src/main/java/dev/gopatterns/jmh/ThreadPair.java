package dev.gopatterns.jmh;

/**
 * Two long-lived threads, both platform or both virtual, that each run one batch of work per {@link #runBatch()}:
 * the two-worker {@link ThreadTeam}, whose javadoc gives the harness's cost, its failure and shutdown rules and its
 * memory consistency effects. Measured with empty batches on 2 cores, the harness costs about 35 us per batch on
 * platform threads and 10 us on virtual ones.
 */
final class ThreadPair {

    /** One worker's share of a batch. */
    @FunctionalInterface
    interface Batch extends ThreadTeam.Batch {}

    private final ThreadTeam team;

    /**
     * Starts two workers of the given kind.
     *
     * @param threads "platform" or "virtual"
     * @param name    prefix of the threads' names, for thread dumps
     */
    ThreadPair(String threads, String name, Batch firstBatch, Batch secondBatch) {
        team = new ThreadTeam(threads, name, firstBatch, secondBatch);
    }

    /** Runs one batch on each worker and returns when both have finished it. */
    void runBatch() throws Exception {
        team.runBatch();
    }

    /** Interrupts both workers and waits for them to end. Idempotent. */
    void close() throws InterruptedException {
        team.close();
    }
}
