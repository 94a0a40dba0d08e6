package dev.gopatterns.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What each stage of a finished {@link Pipeline} run did with the items it received: the accounting behind "every
 * item that enters is delivered, or reported failed or cancelled, never lost".
 *
 * <p>Two rules hold for every run, whatever ended it (the input running out, {@code take}, a failure, a cancel);
 * {@link #checkBalanced()} checks both:
 * <ol>
 *   <li><b>Each stage balances</b>: {@code in == passed + dropped + failed + skipped + cancelled}. Every item a stage
 *       received was passed on (all its output sent), dropped on purpose (a filter said no), failed, skipped, or
 *       cancelled (the run ended before its output could be sent).
 *   <li><b>Nothing falls between stages</b>: each stage's {@code out} equals the next stage's {@code in}. Values
 *       still buffered in a channel between two stages when the run ends are taken out and counted as received and
 *       cancelled by the stage they were waiting for.
 * </ol>
 * With terminal calls ({@link Pipeline#toList}, {@link Pipeline#forEach}, ...) the last stage is the {@code "sink"}:
 * its {@code passed} is the number of values handed to the caller. {@link Pipeline#start} has no sink: the values
 * on {@link Run#output()} are the caller's, and the last stage's {@code out} says how many were sent there.
 *
 * <p>Go equivalent: none; a Go pipeline counts what it lost by hand, if at all. Memory consistency effects: a summary
 * is immutable and is made after every stage thread has ended, so what those threads did happens-before it is
 * returned (by {@link Run#await()}, {@link Run#summary()} or a terminal call).
 *
 * @param stages the stages in pipeline order, the source first
 */
public record Summary(List<Stage> stages) {

    /**
     * One stage's counts. For a one-to-one stage ({@code map}, {@code filter}, ...) {@code out == passed}; a
     * {@code flatMap} sends {@code out >= passed} values, a {@code batch} sends {@code out <= passed} lists.
     *
     * @param name      the stage's name
     * @param in        items received (for the source: items taken from the iterable, channel or generator)
     * @param out       values sent to the next stage
     * @param passed    received items whose output was sent in full
     * @param dropped   items dropped on purpose: a filter's no
     * @param failed    items whose function failed, under {@link ErrorPolicy#FAIL_FAST},
     *                  {@link ErrorPolicy#REPORT} or {@link ErrorPolicy#DEAD_LETTER}; also items a throttle's limiter refused, and, in the sink, values
     *                  whose consumer threw
     * @param skipped   items whose function failed, under {@link ErrorPolicy#SKIP}
     * @param cancelled items received but not passed on because the run (or, upstream of a {@code take}, the rest
     *                  of the input) was no longer wanted
     * @param retries   extra calls of the stage's function, over all items
     */
    public record Stage(String name, long in, long out, long passed, long dropped, long failed, long skipped,
                        long cancelled, long retries) {

        /** Whether {@code in == passed + dropped + failed + skipped + cancelled}. */
        public boolean balanced() {
            return in == passed + dropped + failed + skipped + cancelled;
        }
    }

    /** Checks the components; the list is copied. */
    public Summary {
        stages = List.copyOf(stages);
    }

    /** The stage called {@code name}. */
    public Stage stage(String name) {
        Objects.requireNonNull(name, "name");
        for (Stage s : stages) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new NoSuchElementException("no stage named '" + name + "'; the stages are " + names());
    }

    /** The first stage: how many items entered the pipeline ({@code out}). */
    public Stage source() {
        return stages.getFirst();
    }

    /** The last stage: the sink of a terminal call, or the stage that fed {@link Run#output()}. */
    public Stage last() {
        return stages.getLast();
    }

    /** Failed items over all stages. */
    public long failed() {
        return stages.stream().mapToLong(Stage::failed).sum();
    }

    /** Skipped items over all stages. */
    public long skipped() {
        return stages.stream().mapToLong(Stage::skipped).sum();
    }

    /** Cancelled items over all stages. */
    public long cancelled() {
        return stages.stream().mapToLong(Stage::cancelled).sum();
    }

    /** Retries over all stages. */
    public long retries() {
        return stages.stream().mapToLong(Stage::retries).sum();
    }

    /**
     * Checks the two rules of this class and returns this summary.
     *
     * @throws IllegalStateException naming the stage and the rule, if one is broken (a bug in this library)
     */
    public Summary checkBalanced() {
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            if (!s.balanced()) {
                throw new IllegalStateException("stage '" + s.name() + "' does not balance: in " + s.in()
                        + " != passed " + s.passed() + " + dropped " + s.dropped() + " + failed " + s.failed()
                        + " + skipped " + s.skipped() + " + cancelled " + s.cancelled() + " (" + this + ")");
            }
            if (i > 0 && stages.get(i - 1).out() != s.in()) {
                throw new IllegalStateException("values lost between stages '" + stages.get(i - 1).name() + "' and '"
                        + s.name() + "': " + stages.get(i - 1).out() + " sent, " + s.in() + " received (" + this + ")");
            }
        }
        return this;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Stage s : stages) {
            names.add(s.name());
        }
        return names;
    }
}
