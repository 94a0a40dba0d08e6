package dev.gopatterns.pipeline;

import java.util.Objects;

/**
 * A {@link Pipeline} run ended because a {@link ErrorPolicy#FAIL_FAST FAIL_FAST} stage failed on an item. Thrown by
 * the terminal calls ({@link Pipeline#toList}, {@link Pipeline#forEach}, {@link Run#await()}, ...) once, after
 * every stage has stopped; its cause is the failing attempt's exception, and {@link #failure()} says which stage,
 * which item and how many attempts. Failures of other items that happened while the pipeline was stopping are
 * counted in {@link #summary()}, not reported again.
 *
 * <p>Go equivalent: the first non-nil error returned by {@code errgroup.Group.Wait}.
 */
public final class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Failure failure;
    private final transient Summary summary;

    PipelineException(Failure failure, Summary summary) {
        super(Objects.requireNonNull(failure, "failure").describe(), failure.error());
        this.failure = failure;
        this.summary = summary;
    }

    /** The stage, item, error and attempts of the failure that stopped the run. */
    public Failure failure() {
        return failure;
    }

    /** What every stage did before the run stopped. */
    public Summary summary() {
        return summary;
    }
}
