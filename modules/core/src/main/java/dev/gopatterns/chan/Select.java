package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Go's {@code select}: waits until one of several channel operations can proceed, performs exactly that one,
 * and returns what its handler returns.
 *
 * <pre>{@code
 * // Go:                                   // Java:
 * select {                                 boolean more = Select.select(
 * case v, ok := <-in:                          in.onReceiveOrClosed(r -> switch (r) {
 *     if !ok { return }                            case Received.Value<Job>(var job) -> { handle(job); yield true; }
 *     handle(v)                                    case Received.Closed<Job>() -> false;
 *                                              }),
 * case out <- result:                          out.onSend(result, () -> true),
 * case <-time.After(time.Second):              Select.after(Duration.ofSeconds(1), () -> false));
 *     return
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Exactly one case fires per call, and only its operation takes effect: no value is taken by a case that
 *       does not fire, and a send case that does not fire sends nothing.
 *   <li>If several cases are ready, one is chosen uniformly at random, as in Go, so no case can be starved by its
 *       position in the list.
 *   <li>A receive case on a closed channel is ready (it delivers {@link Received.Closed}, or throws for
 *       {@link ReceiveChannel#onReceive}); a send case on a closed channel is ready and throws
 *       {@link ChannelClosedException}, as Go panics.
 *   <li>With a {@link #defaultCase}, select never blocks. Without one, it parks until a case is ready: no polling,
 *       no spinning. With no cases, or only never-ready ones (the {@link Channel#nil() nil channel}), it blocks until
 *       interrupted, like Go's {@code select {}}.
 *   <li>A select may send and receive on the same channel; it never matches itself, so on an unbuffered channel
 *       it waits for another thread, as in Go.
 * </ul>
 *
 * <p>Memory consistency effects: the same as for the channel operation performed by the chosen case.
 *
 * <p>Interruption: a select that may block checks the interrupt flag on entry and throws
 * {@link InterruptedException} with no case performed. If an interrupt races with a case firing, the case wins, the
 * handler runs, and the interrupt flag is set again (docs/interruption.md).
 *
 * <p>Where it differs from Go: {@link #after} is a timeout case, not a channel; the timeout starts when
 * {@code select} is called, like a {@code time.After} written inside the {@code select} statement. It fires only
 * when no channel case is ready, even if its timeout is zero: like Go's {@code time.After(0)}, whose channel is not
 * ready yet when the select first looks. So in a loop whose channel is always ready, an {@code after} case never
 * fires; to bound such a loop, receive from a {@link dev.gopatterns.time.Timer}'s channel or a context's
 * {@code done()} (real channels, chosen at random among ready cases as in Go), or check the deadline explicitly.
 * Among several {@code after} cases the shortest counts; with a {@link #defaultCase} no {@code after} case fires.
 */
public final class Select {

    private Select() {}

    /**
     * Performs exactly one ready case, blocking until one is ready unless there is a {@link #defaultCase}.
     *
     * @return the chosen case's handler result
     * @throws InterruptedException     if the thread is interrupted before or while waiting
     * @throws ChannelClosedException   if the chosen case sends on a closed channel, or receives from a closed
     *                                  channel with {@link ReceiveChannel#onReceive}
     * @throws IllegalArgumentException if there is more than one default case, or timeout cases on different clocks
     */
    @SafeVarargs
    public static <R> R select(SelectCase<? extends R>... cases) throws InterruptedException {
        Objects.requireNonNull(cases, "cases");
        return run(cases.clone());
    }

    /**
     * Performs one ready case, or returns {@code otherwise.get()} if none is ready: a select with a default case
     * that, never blocking, cannot be interrupted and so declares no {@link InterruptedException}.
     * Go: {@code select { case ...: default: }}.
     */
    @SafeVarargs
    public static <R> R selectNow(Supplier<? extends R> otherwise, SelectCase<? extends R>... cases) {
        Objects.requireNonNull(cases, "cases");
        SelectCase<? extends R>[] all = Arrays.copyOf(cases, cases.length + 1);
        all[cases.length] = defaultCase(otherwise);
        try {
            return run(all);
        } catch (InterruptedException impossible) {
            throw new AssertionError("a select with a default case never blocks", impossible);
        }
    }

    /** {@link #select(SelectCase[])} with a case list built at run time (Go: {@code reflect.Select}). */
    @SuppressWarnings("unchecked")
    public static <R> R select(List<? extends SelectCase<? extends R>> cases) throws InterruptedException {
        Objects.requireNonNull(cases, "cases");
        SelectCase<? extends R>[] array = cases.toArray(new SelectCase[0]);
        return Select.<R>run(array);
    }

    /**
     * A case that fires when {@code timeout} has passed since {@code select} was called and no other case
     * fired first. Go: {@code case <-time.After(timeout):}.
     */
    public static <R> SelectCase<R> after(Duration timeout, Supplier<? extends R> then) {
        return SelectCase.after(timeout, Clock.system(), then);
    }

    /** {@link #after(Duration, Supplier)} measured on {@code clock}; use a {@link dev.gopatterns.clock.FakeClock} in tests. */
    public static <R> SelectCase<R> after(Duration timeout, Clock clock, Supplier<? extends R> then) {
        return SelectCase.after(timeout, clock, then);
    }

    /** The case that fires when no other case is ready at once: the select does not block. Go: {@code default:}. */
    public static <R> SelectCase<R> defaultCase(Supplier<? extends R> then) {
        return SelectCase.otherwise(then);
    }

    // ------------------------------------------------------------------------------------------------- engine

    /*
     * Go's selectgo (runtime/select.go), in four phases, each a method of Round:
     *
     *   plan      classify the cases: at most one default, the shortest timeout, the cases that have a source (a
     *             channel or a Selectable) in a random poll order, and their distinct sources in lock order (id).
     *   poll      with every source locked, take the first ready case in poll order; else the default; else an
     *             expired timeout. Nothing is enqueued yet, so nobody else can complete this select: the chosen
     *             operation is performed right there, and no other case's operation takes effect.
     *   enqueue   still under the same locks, enqueue one node per case; then unlock (one unlock site) and park.
     *             From here a counterpart completes the select by claiming its Waiter (a CAS out of WAITING while
     *             holding only its own source's lock), which is what makes exactly one case fire.
     *   dequeue   relock and remove the nodes that did not fire (a counterpart removed the one that did).
     *
     * Handlers run after every lock is released. The Round is the select's Waiter, so a blocking select allocates
     * it, its nodes and its arrays, and nothing per wake-up.
     */

    private static <R> R run(SelectCase<? extends R>[] cases) throws InterruptedException {
        Round<R> round = new Round<>(cases);
        if (round.otherwise == null && Thread.interrupted()) {
            throw new InterruptedException();
        }
        round.startClock();
        if (round.order.length == 0) {
            return round.otherwise != null ? round.otherwise.fire() : waitForTimeoutOnly(round.timeout, round.deadline);
        }
        WaitSource.lockAll(round.sources);
        boolean mustWait;
        try {
            mustWait = !round.pollLocked() && !round.defaultOrExpiredLocked();
            if (mustWait) {
                round.enqueueLocked();
            }
        } finally {
            WaitSource.unlockAllAndWake(round.sources);
        }
        if (mustWait) {
            Waiter.Outcome outcome = round.await(round.timed(), round.deadline, round.clock, round.spins());
            round.dequeueRest(outcome);
            switch (outcome) {
                case INTERRUPTED -> throw new InterruptedException();
                case TIMED_OUT -> round.choose(round.timeout, FIRE, null);
                case FIRED -> round.chooseFired();
            }
        }
        return round.finish();
    }

    /** How the chosen case completes once every lock is released. */
    private static final int FIRE = 0;
    private static final int DELIVER = 1;
    private static final int SEND_CLOSED = 2;

    /** One execution of a select: its plan, its waiter, and the case it chose. */
    private static final class Round<R> extends Waiter {
        final SelectCase<? extends R>[] cases;
        SelectCase<? extends R> otherwise;
        SelectCase<? extends R> timeout;
        /** Indexes of the cases that have a source, in random poll order. */
        final int[] order;
        /** The distinct sources of those cases, sorted by id: the one lock order every select uses. */
        final WaitSource[] sources;
        Clock clock;
        long deadline;
        private Node[] nodes;
        private SelectCase<? extends R> chosen;
        private int how;
        private Object value;

        /** Phase 1, plan. */
        Round(SelectCase<? extends R>[] cases) {
            this.cases = cases;
            int withSource = 0;
            for (SelectCase<? extends R> c : cases) {
                Objects.requireNonNull(c, "select case is null");
                switch (c.kind) {
                    case DEFAULT -> {
                        if (otherwise != null) {
                            throw new IllegalArgumentException("select may have at most one default case");
                        }
                        otherwise = c;
                    }
                    case AFTER -> {
                        if (timeout != null && timeout.clock != c.clock) {
                            throw new IllegalArgumentException(
                                    "all timeout cases of one select must use the same clock");
                        }
                        if (timeout == null || c.timeoutNanos < timeout.timeoutNanos) {
                            timeout = c;
                        }
                    }
                    default -> {
                        if (c.hasSource()) {
                            withSource++;
                        }
                    }
                }
            }
            order = new int[withSource];
            for (int i = 0, k = 0; i < cases.length; i++) {
                if (cases[i].hasSource()) {
                    order[k++] = i;
                }
            }
            shuffle(order);
            sources = lockOrder(cases, order);
        }

        void startClock() {
            if (timeout != null) {
                clock = timeout.clock;
                deadline = Clock.deadlineAfter(clock.nanoTime(), timeout.timeoutNanos);
            }
        }

        boolean timed() {
            return timeout != null;
        }

        /** Spin before parking only if every source is a rendezvous (Waiter's essay on spinning). */
        boolean spins() {
            for (WaitSource s : sources) {
                if (!s.spinsBeforeParking()) {
                    return false;
                }
            }
            return true;
        }

        /** Phase 2, poll: performs the first ready case in poll order. Call only when holding every source's lock. */
        boolean pollLocked() {
            for (int i : order) {
                SelectCase<? extends R> c = cases[i];
                switch (c.kind) {
                    case SEND -> {
                        int r = ((HChan<?>) c.source).offerLocked(c.item);
                        if (r != HChan.MUST_WAIT) {
                            return choose(c, r == HChan.IS_CLOSED ? SEND_CLOSED : FIRE, null);
                        }
                    }
                    case CLAUSE -> {
                        if (((Selectable<?>) c.source).tryNowLocked(c.item)) {
                            return choose(c, FIRE, null);
                        }
                    }
                    default -> {
                        Object v = ((HChan<?>) c.source).pollLocked();
                        if (v != null) {
                            return choose(c, DELIVER, v);
                        }
                    }
                }
            }
            return false;
        }

        /** Still phase 2: nothing was ready, so the default case, or an expired timeout. Call only under the locks. */
        boolean defaultOrExpiredLocked() {
            if (otherwise != null) {
                return choose(otherwise, FIRE, null);
            }
            if (timeout != null && clock.nanoTime() - deadline >= 0) {
                return choose(timeout, FIRE, null);
            }
            return false;
        }

        /** Phase 3, enqueue: one node per case, all under the locks. */
        void enqueueLocked() {
            nodes = new Node[order.length];
            for (int k = 0; k < order.length; k++) {
                SelectCase<? extends R> c = cases[order[k]];
                Node n = new Node(this, c.source, c.kind == SelectCase.Kind.SEND, order[k], c.item);
                c.source.enqueueLocked(n);
                nodes[k] = n;
            }
        }

        /**
         * Phase 4, dequeue the nodes that did not fire. The fired one was removed by whoever fired it; with a single
         * node there is nothing else to remove.
         */
        void dequeueRest(Waiter.Outcome outcome) {
            if (outcome == Waiter.Outcome.FIRED && nodes.length == 1) {
                return;
            }
            WaitSource.lockAll(sources);
            try {
                for (Node n : nodes) {
                    n.source.dequeueLocked(n);
                }
            } finally {
                WaitSource.unlockAllAndWake(sources);
            }
        }

        /** The case a counterpart completed while we were parked. */
        void chooseFired() {
            Node f = fired;
            SelectCase<? extends R> c = cases[f.caseIndex];
            switch (c.kind) {
                case SEND -> choose(c, f.closed ? SEND_CLOSED : FIRE, null);
                case CLAUSE -> choose(c, FIRE, null);
                default -> choose(c, DELIVER, f.closed ? HChan.CLOSED : f.item);
            }
        }

        private boolean choose(SelectCase<? extends R> c, int how, Object value) {
            this.chosen = c;
            this.how = how;
            this.value = value;
            return true;
        }

        /** Runs the chosen case's handler; every lock has been released. */
        R finish() {
            return switch (how) {
                case FIRE -> chosen.fire();
                case DELIVER -> chosen.deliver(value);
                default -> throw ChannelClosedException.sendOnClosed();
            };
        }
    }

    /** A select whose only possible outcome is its timeout (or none at all: Go's {@code select {}}). */
    private static <R> R waitForTimeoutOnly(SelectCase<? extends R> timeout, long deadline)
            throws InterruptedException {
        if (timeout == null) {
            for (;;) {
                LockSupport.park(Select.class);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        Waiter w = new Waiter();
        if (w.await(true, deadline, timeout.clock, false) == Waiter.Outcome.INTERRUPTED) {
            throw new InterruptedException();
        }
        return timeout.fire();
    }

    private static void shuffle(int[] a) {
        if (a.length < 2) {
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The distinct sources of the cases at {@code order}, sorted by id. */
    private static WaitSource[] lockOrder(SelectCase<?>[] cases, int[] order) {
        WaitSource[] sorted = new WaitSource[order.length];
        int n = 0;
        outer:
        for (int i : order) {
            WaitSource s = cases[i].source;
            int j = n;
            while (j > 0 && sorted[j - 1].id > s.id) {
                j--;
            }
            if (j > 0 && sorted[j - 1] == s) {
                continue outer; // a second case on the same source
            }
            System.arraycopy(sorted, j, sorted, j + 1, n - j);
            sorted[j] = s;
            n++;
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }
}
