package dev.gopatterns.pipeline;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import java.util.Optional;

/**
 * A running {@link Pipeline}, from {@link Pipeline#start}: its output and error channels, and its end.
 *
 * <pre>{@code
 * // Go: range over the output, and the errc beside it, until both are closed
 * try (Run<Digest> run = pipeline.start(ctx)) {
 *     ReceiveChannel<Digest> out = run.output();
 *     ReceiveChannel<Failure> errs = run.errors();
 *     boolean outOpen = true, errsOpen = true;
 *     while (outOpen || errsOpen) {
 *         // a closed channel is swapped for Channel.nil(), whose cases are never ready (Go sets it to nil)
 *         ... Select.select(out.onReceiveOrClosed(...), errs.onReceiveOrClosed(...)) ...
 *     }
 *     Summary s = run.await();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #output()} is the last stage's output channel: closed exactly once, when that stage is done. Values
 *       still in it when the run ends are the caller's to read.
 *   <li>{@link #errors()} carries the failures of {@link ErrorPolicy#REPORT REPORT} stages, and is closed when the
 *       run has ended. An unread failure blocks the stage that reports it, as an unread Go {@code errc} would: read
 *       both channels in one select.
 *   <li>{@link #cancel()} stops every stage (it does not wait: Go's {@code cancel()}); {@link #await()} waits for
 *       every stage thread to end; {@link #close()} does both.
 *   <li>Memory consistency effects: actions of every stage thread happen-before {@link #await()} returns (or
 *       throws) and before {@link #done()} is seen closed.
 * </ul>
 *
 * <p>Go equivalent: the output channel and the {@code errc} a Go pipeline function returns, with the
 * {@code cancel} of its context and an {@code errgroup}'s {@code Wait} for its goroutines.
 *
 * @param <T> the type of the output values
 */
public final class Run<T> implements AutoCloseable, Metered {

    private final Execution execution;

    Run(Execution execution) {
        this.execution = execution;
    }

    Execution execution() {
        return execution;
    }

    /**
     * The run's numbers now, live, in the project's one metrics vocabulary (the names are listed below). Each
     * stage's counters are read one by one while its threads run, so while the run goes on a stage may not balance
     * and an item may be counted out of one stage before it is counted into the next; once the run has ended (after
     * {@link #await()}), the counts are exactly the {@link Summary}'s (without its sink). Counters never decrease.
     *
     * <p>The component is {@code "pipeline"}: the gauges {@code running} (1 until every stage thread has ended) and
     * {@code buffered} (values in the channels between stages and in the output); the counters
     * {@code items.entered}, {@code items.failed}, {@code items.skipped} and {@code items.dropped}; and per stage,
     * {@code stage.<name>.in}, {@code .out}, {@code .passed}, {@code .dropped}, {@code .failed}, {@code .skipped},
     * {@code .cancelled}, {@code .retries} (counters) and {@code .buffered}, {@code .capacity} (gauges: its output
     * channel). {@code <name>} is the stage's name without its index ({@code "2:filter"} is {@code filter}), in lower
     * case, with any other character as {@code _}, and {@code _2}, {@code _3}... after a name already taken.
     */
    @Override
    public Snapshot snapshot() {
        return execution.snapshot();
    }

    /** The last stage's output. */
    public ReceiveChannel<T> output() {
        return execution.output();
    }

    /** The failures reported by {@link ErrorPolicy#REPORT} stages; closed when the run has ended. */
    public ReceiveChannel<Failure> errors() {
        return execution.errors().receiveOnly();
    }

    /** Closed when every stage thread has ended; for a select. */
    public ReceiveChannel<Void> done() {
        return execution.done();
    }

    /** Stops every stage; does not wait. Idempotent, and safe from any thread. */
    public void cancel() {
        execution.cancel();
    }

    /**
     * Waits until every stage thread has ended.
     *
     * @return what every stage did, if the run completed: the input used up, or a {@code take} satisfied
     * @throws PipelineException if a {@link ErrorPolicy#FAIL_FAST} stage failed
     * @throws dev.gopatterns.context.ContextException if the run was stopped by its context or {@link #cancel()}
     *                                                 before the input was used up
     * @throws InterruptedException if interrupted while waiting (the run goes on)
     */
    public Summary await() throws InterruptedException {
        return execution.await();
    }

    /** What every stage did, once the run has ended (whatever ended it); empty before. */
    public Optional<Summary> summary() {
        return execution.summary();
    }

    /**
     * Cancels the run and waits for every stage thread to end, without throwing what ended it (that is
     * {@link #await()}'s job). If interrupted while waiting, keeps waiting (the stages are cancelled and end
     * promptly) and sets the interrupt flag again before returning.
     */
    @Override
    public void close() {
        execution.cancel();
        boolean interrupted = false;
        while (true) {
            try {
                execution.done().receiveOrClosed();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
