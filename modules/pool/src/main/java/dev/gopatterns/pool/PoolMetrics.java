package dev.gopatterns.pool;

/**
 * One consistent snapshot of a pool's counters, all read at the same instant.
 *
 * <p>Invariants, true of every snapshot (they are checked by {@link #checkInvariants()} and by the pool's tests):
 * <ul>
 *   <li>{@code submitted == waiting + running + completed()}: every accepted job is waiting, running or ended;
 *   <li>{@code completed() == succeeded + failed + cancelled};
 *   <li>every counter is {@code >= 0}, and {@code running <= workers};
 *   <li>{@code rejected} counts submissions that were refused; they are not in {@code submitted}.
 * </ul>
 *
 * @param workers   the number of workers
 * @param submitted jobs accepted since the pool started
 * @param waiting   accepted jobs not yet started
 * @param running   jobs running now
 * @param succeeded jobs that ended {@link Result.Ok}
 * @param failed    jobs that ended {@link Result.Failed}
 * @param cancelled jobs that ended {@link Result.Cancelled}, whether they had started or not
 * @param rejected  submissions refused (queue full, or after shutdown)
 */
public record PoolMetrics(int workers, long submitted, long waiting, long running, long succeeded, long failed,
                          long cancelled, long rejected) {

    /** Jobs that have ended, however. */
    public long completed() {
        return succeeded + failed + cancelled;
    }

    /**
     * Throws {@link IllegalStateException} naming the first invariant this snapshot breaks; a snapshot from a
     * pool never does.
     */
    public PoolMetrics checkInvariants() {
        if (submitted != waiting + running + completed()) {
            throw new IllegalStateException("pool metrics: submitted != waiting + running + completed in " + this);
        }
        if (waiting < 0 || running < 0 || succeeded < 0 || failed < 0 || cancelled < 0 || rejected < 0) {
            throw new IllegalStateException("pool metrics: a negative counter in " + this);
        }
        if (running > workers) {
            throw new IllegalStateException("pool metrics: more jobs running than workers in " + this);
        }
        return this;
    }
}
