package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
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
        SelectCase<? extends R>[] all = java.util.Arrays.copyOf(cases, cases.length + 1);
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

    private static <R> R run(SelectCase<? extends R>[] cases) throws InterruptedException {
        SelectCase<? extends R> otherwise = null;
        SelectCase<? extends R> timeout = null;
        int channelCases = 0;
        for (int i = 0; i < cases.length; i++) {
            SelectCase<? extends R> c = Objects.requireNonNull(cases[i], () -> "select case is null");
            switch (c.kind) {
                case DEFAULT -> {
                    if (otherwise != null) {
                        throw new IllegalArgumentException("select may have at most one default case");
                    }
                    otherwise = c;
                }
                case AFTER -> {
                    if (timeout != null && timeout.clock != c.clock) {
                        throw new IllegalArgumentException("all timeout cases of one select must use the same clock");
                    }
                    if (timeout == null || c.timeoutNanos < timeout.timeoutNanos) {
                        timeout = c;
                    }
                }
                default -> {
                    if (c.isChannelCase()) {
                        channelCases++;
                    }
                }
            }
        }
        if (otherwise == null && Thread.interrupted()) {
            throw new InterruptedException();
        }
        boolean timed = timeout != null;
        Clock clock = timed ? timeout.clock : null;
        long deadline = timed ? Clock.deadlineAfter(clock.nanoTime(), timeout.timeoutNanos) : 0L;

        if (channelCases == 0) {
            if (otherwise != null) {
                return otherwise.fire();
            }
            return waitForTimeoutOnly(timeout, deadline);
        }

        // The channel cases, in a random poll order (Go's pollorder), and their distinct channels in lock order.
        int[] caseIndex = new int[channelCases];
        for (int i = 0, k = 0; i < cases.length; i++) {
            if (cases[i].isChannelCase()) {
                caseIndex[k++] = i;
            }
        }
        shuffle(caseIndex);
        HChan<?>[] locks = lockOrder(cases, caseIndex);

        // Pass 1: is any case ready now?
        lockAll(locks);
        boolean locked = true;
        try {
            for (int i : caseIndex) {
                SelectCase<? extends R> c = cases[i];
                HChan<?> ch = c.chan;
                if (c.isSend()) {
                    int r = ch.offerLocked(c.item);
                    if (r == HChan.IS_CLOSED) {
                        unlockAll(locks, null);
                        locked = false;
                        throw ChannelClosedException.sendOnClosed();
                    }
                    if (r == HChan.SENT) {
                        unlockAll(locks, ch);
                        locked = false;
                        return c.fire();
                    }
                } else {
                    Object v = ch.pollLocked();
                    if (v != null) {
                        unlockAll(locks, ch);
                        locked = false;
                        return c.deliver(v);
                    }
                }
            }
            if (otherwise != null) {
                unlockAll(locks, null);
                locked = false;
                return otherwise.fire();
            }
            if (timed && clock.nanoTime() - deadline >= 0) {
                unlockAll(locks, null);
                locked = false;
                return timeout.fire();
            }

            // Pass 2: enqueue one node per case on its channel, all under the locks.
            Waiter w = new Waiter();
            Node[] nodes = new Node[channelCases];
            for (int k = 0; k < channelCases; k++) {
                SelectCase<? extends R> c = cases[caseIndex[k]];
                Node n = new Node(w, c.chan, c.isSend(), caseIndex[k], c.item);
                (c.isSend() ? c.chan.sendq : c.chan.recvq).enqueue(n);
                nodes[k] = n;
            }
            unlockAll(locks, null);
            locked = false;

            boolean rendezvous = true;
            for (HChan<?> ch : locks) {
                rendezvous &= ch.capacity() == 0;
            }
            Waiter.Outcome outcome = w.await(timed, deadline, clock, rendezvous);

            // Pass 3: dequeue the nodes that did not fire. The fired one was removed by whoever fired it; with a
            // single channel there is nothing else to remove.
            if (outcome != Waiter.Outcome.FIRED || locks.length > 1 || nodes.length > 1) {
                lockAll(locks);
                try {
                    for (Node n : nodes) {
                        n.chan.dequeueLocked(n);
                    }
                } finally {
                    unlockAll(locks, null);
                }
            }
            switch (outcome) {
                case INTERRUPTED -> throw new InterruptedException();
                case TIMED_OUT -> {
                    return timeout.fire();
                }
                case FIRED -> {
                    Node f = w.fired;
                    SelectCase<? extends R> c = cases[f.caseIndex];
                    if (f.isSend) {
                        if (f.closed) {
                            throw ChannelClosedException.sendOnClosed();
                        }
                        return c.fire();
                    }
                    return c.deliver(f.closed ? HChan.CLOSED : f.item);
                }
            }
            throw new AssertionError(outcome);
        } finally {
            if (locked) {
                unlockAll(locks, null);
            }
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

    /** The distinct channels of the cases, sorted by id: the one lock order every select uses. */
    private static HChan<?>[] lockOrder(SelectCase<?>[] cases, int[] caseIndex) {
        HChan<?>[] order = new HChan<?>[caseIndex.length];
        int n = 0;
        outer:
        for (int i : caseIndex) {
            HChan<?> ch = cases[i].chan;
            int j = n;
            while (j > 0 && order[j - 1].id > ch.id) {
                j--;
            }
            if (j > 0 && order[j - 1] == ch) {
                continue outer; // duplicate
            }
            System.arraycopy(order, j, order, j + 1, n - j);
            order[j] = ch;
            n++;
        }
        return n == order.length ? order : java.util.Arrays.copyOf(order, n);
    }

    private static void lockAll(HChan<?>[] locks) {
        for (HChan<?> ch : locks) {
            ch.lock.lock();
        }
    }

    /** Unlocks in reverse order; {@code fired}, if not null, has a deferred wake to deliver after its unlock. */
    private static void unlockAll(HChan<?>[] locks, HChan<?> fired) {
        Waiter wake = fired == null ? null : fired.takeDeferredWake();
        for (int i = locks.length - 1; i >= 0; i--) {
            locks[i].lock.unlock();
        }
        if (wake != null) {
            wake.wake();
        }
    }
}
