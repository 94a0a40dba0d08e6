package dev.gopatterns.resilience;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.metrics.Metered;
import dev.gopatterns.metrics.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A dead-letter queue: where items that exhausted their retries go, with their error history, so that none is
 * lost and each can be looked at, replayed or discarded on purpose. It is a buffered {@link Channel} of
 * {@link DeadLetter}s: the component that gives up {@linkplain #add adds} a letter (waiting while the queue is full:
 * back-pressure, never a drop), and whoever handles them receives from {@link #letters()} in a {@code select} like
 * any channel, {@linkplain #drain drains} what is there, or {@linkplain #replay replays} it.
 *
 * <pre>{@code
 * DeadLetters<Order> dlq = DeadLetters.withCapacity(1_000);
 * ... a pool or a pipeline stage adds what it gives up on ...
 * DeadLetters.Replay<Order> r = dlq.replay(ctx, (c, letter) -> orders.submit(c, letter.item()));
 * for (DeadLetter<Order> back : r.failed()) log.warn(back.describe());  // handed back, not lost
 * }</pre>
 *
 * <p>Go equivalent: a buffered {@code chan DeadLetter} beside the results, that the worker sends on
 * ({@code select { case dlq <- l: case <-ctx.Done(): }}) and an operator drains.
 *
 * <p>Memory consistency effects: as the channel's: actions prior to adding a letter happen-before actions after
 * receiving it.
 *
 * @param <T> the items' type
 */
public final class DeadLetters<T> implements Metered {

    /** Tries a letter's item again; throws if the replay failed. */
    @FunctionalInterface
    public interface Replayer<T> {
        void replay(Context ctx, DeadLetter<T> letter) throws Exception;
    }

    /**
     * The outcome of a {@link #replay}: how many letters were replayed, and the letters handed back to the caller:
     * those whose replay failed (with that failure appended) and those not tried because the context ended.
     */
    public record Replay<T>(int replayed, List<DeadLetter<T>> failed, List<DeadLetter<T>> notTried) {
        public Replay {
            failed = List.copyOf(failed);
            notTried = List.copyOf(notTried);
        }
    }

    private final Channel<DeadLetter<T>> queue;
    private final int capacity;
    private final Clock clock;
    private final LongAdder added = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder replayFailed = new LongAdder();

    private DeadLetters(int capacity, Clock clock) {
        this.queue = Channel.make(capacity);
        this.capacity = capacity;
        this.clock = clock;
    }

    /** A queue holding up to {@code capacity} letters, timed on the system clock. */
    public static <T> DeadLetters<T> withCapacity(int capacity) {
        return withCapacity(capacity, Clock.system());
    }

    /** A queue holding up to {@code capacity} letters; a failed replay is stamped on {@code clock}. */
    public static <T> DeadLetters<T> withCapacity(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dead letters: the capacity must be >= 1, was " + capacity);
        }
        return new DeadLetters<>(capacity, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Adds a letter, waiting while the queue is full.
     *
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first: the letter was not added, and is
     *     still the caller's to report
     * @throws InterruptedException if interrupted while waiting; the letter was not added
     * @throws dev.gopatterns.chan.ChannelClosedException if the queue was {@linkplain #close closed}
     */
    public void add(Context ctx, DeadLetter<T> letter) throws InterruptedException {
        Objects.requireNonNull(letter, "letter");
        ctx.send(queue, letter);
        added.increment();
    }

    /**
     * Adds a letter if there is room now; {@code false} (the letter not added) if the queue is full.
     *
     * @throws dev.gopatterns.chan.ChannelClosedException if the queue was {@linkplain #close closed}
     */
    public boolean offer(DeadLetter<T> letter) {
        Objects.requireNonNull(letter, "letter");
        boolean in = queue.trySend(letter);
        if (in) {
            added.increment();
        }
        return in;
    }

    /** The letters, oldest first, to receive from (or {@code select} on); closed and drained once {@link #close}d. */
    public ReceiveChannel<DeadLetter<T>> letters() {
        return queue.receiveOnly();
    }

    /** How many letters are waiting now. */
    public int depth() {
        return queue.length();
    }

    /** The most letters the queue holds. */
    public int capacity() {
        return capacity;
    }

    /** How many letters were ever added. */
    public long added() {
        return added.sum();
    }

    /** How many letters were replayed successfully. */
    public long replayed() {
        return replayed.sum();
    }

    /** Takes every letter waiting now, oldest first, without waiting for more. */
    public List<DeadLetter<T>> drain() {
        List<DeadLetter<T>> out = new ArrayList<>();
        for (;;) {
            switch (queue.tryReceive()) {
                case Received.Value<DeadLetter<T>>(DeadLetter<T> l) -> out.add(l);
                case Received.Closed<DeadLetter<T>>() -> {
                    return out;
                }
                case TryReceived.NotReady<DeadLetter<T>>() -> {
                    return out;
                }
            }
        }
    }

    /**
     * Replays the letters waiting now (not those added meanwhile, so a replay that fails again cannot loop), oldest
     * first, each with {@code replayer}, until they are done or {@code ctx} ends. Nothing is put back in the queue
     * behind the caller's back: every letter taken is either replayed or handed back in the {@link Replay}.
     *
     * @throws InterruptedException if interrupted; the letters taken and not yet replayed are put back first, in
     *     order, where there is room (as many as were taken: there is room unless others added meanwhile)
     */
    public Replay<T> replay(Context ctx, Replayer<T> replayer) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(replayer, "replayer");
        List<DeadLetter<T>> taken = drain();
        List<DeadLetter<T>> failed = new ArrayList<>();
        int ok = 0;
        for (int i = 0; i < taken.size(); i++) {
            DeadLetter<T> letter = taken.get(i);
            if (ctx.isDone()) {
                return new Replay<>(ok, failed, taken.subList(i, taken.size()));
            }
            try {
                replayer.replay(ctx, letter);
                ok++;
                replayed.increment();
            } catch (InterruptedException e) {
                for (DeadLetter<T> back : failed) {
                    offer(back);
                }
                for (DeadLetter<T> back : taken.subList(i, taken.size())) {
                    offer(back);
                }
                throw e;
            } catch (Exception e) {
                replayFailed.increment();
                failed.add(letter.failedAgain(e, clock.nanoTime()));
            }
        }
        return new Replay<>(ok, failed, List.of());
    }

    /**
     * Closes the queue: no letter may be added any more; those waiting can still be received. Idempotent.
     */
    public void close() {
        try {
            queue.close();
        } catch (RuntimeException alreadyClosed) {
            // closed before
        }
    }

    /**
     * The queue in the project's one metrics vocabulary, the component {@code "dead_letters"}: the gauges
     * {@code depth} and {@code capacity}, and the counters {@code letters.added}, {@code letters.replayed} and
     * {@code letters.replay_failed} (replays that failed again; such a letter is handed back in its
     * {@link Replay}, not re-added).
     */
    @Override
    public Snapshot snapshot() {
        return Snapshot.of("dead_letters").gauge("depth", depth()).gauge("capacity", capacity)
                .counter("letters.added", added()).counter("letters.replayed", replayed())
                .counter("letters.replay_failed", replayFailed.sum()).build();
    }

    @Override
    public String toString() {
        return "DeadLetters[" + depth() + "/" + capacity + "]";
    }
}
