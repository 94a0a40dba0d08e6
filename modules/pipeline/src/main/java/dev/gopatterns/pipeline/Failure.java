package dev.gopatterns.pipeline;

import java.util.Objects;

/**
 * An item a {@link Pipeline} stage could not process: where, what, why, and after how many attempts. Sent on
 * {@link Run#errors()} by a {@link ErrorPolicy#REPORT REPORT} stage; carried by {@link PipelineException} for a
 * {@link ErrorPolicy#FAIL_FAST FAIL_FAST} one.
 *
 * <p>Go equivalent: the {@code result{path, sum, err}} struct of "Pipelines and cancellation", which keeps the
 * failing input beside its error so the reader knows which one failed.
 *
 * @param stage    the stage's name ({@link Pipeline#named}, or its position and kind, such as {@code "2:map"})
 * @param item     the item the stage received and failed on; {@code null} only for a failure of the source itself
 * @param error    the last attempt's exception
 * @param attempts how many times the stage's function was called for this item (1 without retries)
 */
public record Failure(String stage, Object item, Throwable error, int attempts) {

    /** Checks the components: a stage name, an error and at least one attempt. */
    public Failure {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(error, "error");
        if (attempts < 1) {
            throw new IllegalArgumentException("a failure takes at least one attempt, was " + attempts);
        }
    }

    /** {@code "stage '2:map' failed on 17 after 3 attempts: java.io.IOException: reset"}. */
    public String describe() {
        return "stage '" + stage + "' failed" + (item == null ? "" : " on " + item)
                + (attempts == 1 ? "" : " after " + attempts + " attempts") + ": " + error;
    }
}
