package dev.gopatterns.pipeline;

import dev.gopatterns.resilience.Retry;

/**
 * What a {@link Pipeline} stage does with an item whose function failed (after its {@link Retry retries}, if any).
 * Chosen per stage with {@link Pipeline#onError}; the default is {@link #FAIL_FAST}.
 *
 * <table>
 *   <caption>The four policies, and the Go code each stands for</caption>
 *   <tr><th>policy</th><th>the item</th><th>the pipeline</th><th>Go</th></tr>
 *   <tr><td>{@link #FAIL_FAST}</td><td>counted failed; its {@link Failure} becomes the run's error</td>
 *       <td>cancelled: every stage stops, the terminal call throws {@link PipelineException}</td>
 *       <td>an {@code errgroup}: the first non-nil error cancels the group's context, {@code g.Wait()} returns it</td></tr>
 *   <tr><td>{@link #REPORT}</td><td>counted failed and sent, as a {@link Failure}, on the run's
 *       {@link Run#errors() errors} channel</td><td>goes on</td>
 *       <td>an {@code errc} channel beside the results ("Pipelines and cancellation"), or Cox-Buday's
 *       {@code Result{Error, Value}}</td></tr>
 *   <tr><td>{@link #SKIP}</td><td>counted {@linkplain Summary.Stage#skipped() skipped}, and dropped</td>
 *       <td>goes on</td><td>{@code if err != nil { continue }} with a counter</td></tr>
 * </table>
 *
 * <p>Whatever the policy, a failed item is never lost silently: it is in the {@link Summary} counts, and with
 * {@code FAIL_FAST} or {@code REPORT} its {@link Failure} carries the item itself, with {@code DEAD_LETTER} its
 * dead letter does. An {@link Error} (not an
 * {@link Exception}) thrown by a stage function is always treated as {@code FAIL_FAST}: it means the program is
 * broken, not the item.
 */
public enum ErrorPolicy {
    /** The first failure cancels the whole pipeline and is reported once, by the terminal call. */
    FAIL_FAST,
    /** Each failure goes on the run's errors channel, beside the results; the pipeline goes on. */
    REPORT,
    /** Each failure is counted and dropped; the pipeline goes on. */
    SKIP,
    /**
     * Each failure is counted failed and added, with every attempt's failure, to the stage's dead-letter queue;
     * the pipeline goes on. Set by {@link Pipeline#deadLetters}, which names the queue.
     */
    DEAD_LETTER
}
