package dev.gopatterns.chan;

import dev.gopatterns.clock.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The channel implementation, named after Go's {@code runtime.hchan}, whose algorithm it follows.
 */
final class HChan<T> extends WaitSource implements Channel<T> {
    /*
     * Implementation notes.
     *
     * This is the design of Go's runtime/chan.go and runtime/select.go, with a ReentrantLock for the runtime's
     * channel mutex and LockSupport.park for gopark:
     *
     *  - One lock per channel guards a ring buffer of `capacity` slots, a FIFO of waiting receivers (recvq) and a
     *    FIFO of waiting senders (sendq). An unbuffered channel is the same structure with no slots.
     *  - Invariants, under the lock: receivers wait only while the buffer is empty; senders wait only while it is
     *    full. recvq and sendq are both non-empty only when one select waits to send and to receive on the same
     *    channel, which Go also allows: such a select never matches itself, because it scans before it enqueues.
     *  - A sender that finds a waiting receiver hands the value straight to it, bypassing the buffer. A receiver
     *    that takes from a full buffer refills it from the first waiting sender, which keeps FIFO order.
     *  - A waiting thread is a Waiter; its entry in a queue is a Node. A select has one Node per case and one
     *    Waiter, so several channels' queues point at one waiter. Whoever completes a waiter first wins a CAS on it
     *    (Waiter#tryClaim) while holding only its own channel's lock; a node whose waiter was claimed through
     *    another channel, or cancelled, is stale and is dropped when met. This is Go's selectDone.
     *  - select locks all its channels in one global order (`id`, as Go orders by address), so two selects never
     *    deadlock on each other, and registering a select's nodes is atomic with respect to every counterpart.
     *
     * Differences from Go: a waiter can be cancelled by interrupt or timeout, which Go has no need for; the thread
     * to wake is unparked after the lock is released (WaitSource#deferWake), as Go's goready runs after unlock. The lock,
     * the id and the deferred wakes live in WaitSource, which a channel shares with the Selectable sources that
     * let library types (a semaphore, a pool) be select cases too.
     */

    /** What {@link #pollLocked()} returns for a closed, drained channel. */
    static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };

    /** What {@link #offerLocked(Object)} returns. */
    static final int SENT = 0;
    static final int MUST_WAIT = 1;
    static final int IS_CLOSED = 2;

    private final Object[] buf;
    /** Guarded by lock. Index of the oldest buffered value. */
    private int head;
    /** Guarded by lock. Number of buffered values. */
    private int count;
    /** Guarded by lock. */
    private boolean closed;
    /** Guarded by lock. */
    final WaitQueue recvq = new WaitQueue();
    /** Guarded by lock. */
    final WaitQueue sendq = new WaitQueue();

    HChan(int capacity) {
        super(capacity == 0);
        this.buf = new Object[capacity];
    }

    static void requireValue(Object value) {
        Objects.requireNonNull(value,
                "null is not a channel value: Java has no zero value to send; send Optional.empty() or a sentinel");
    }

    // ------------------------------------------------------------------------------------- locked primitives

    /**
     * Tries to send without waiting. Call only when holding lock.
     * A receiver completed by the hand-off is left in {@link #takeDeferredWake()}.
     */
    int offerLocked(Object value) {
        if (closed) {
            return IS_CLOSED;
        }
        Node r = recvq.pollClaimable();
        if (r != null) {
            r.item = value;
            r.waiter.complete(r);
            deferWake(r.waiter);
            return SENT;
        }
        if (count < buf.length) {
            int tail = head + count;
            buf[tail < buf.length ? tail : tail - buf.length] = value;
            count++;
            return SENT;
        }
        return MUST_WAIT;
    }

    /**
     * Tries to receive without waiting. Call only when holding lock.
     *
     * @return the value, {@link #CLOSED}, or {@code null} if the caller must wait. A sender completed on the way
     *         is left in {@link #takeDeferredWake()}.
     */
    Object pollLocked() {
        if (count > 0) {
            Object v = buf[head];
            buf[head] = null;
            head = (head + 1 == buf.length) ? 0 : head + 1;
            count--;
            Node s = sendq.pollClaimable();
            if (s != null) { // the buffer was full: refill the slot we freed, keeping FIFO order
                int tail = head + count;
                buf[tail < buf.length ? tail : tail - buf.length] = s.item;
                count++;
                s.waiter.complete(s);
                deferWake(s.waiter);
            }
            return v;
        }
        Node s = sendq.pollClaimable();
        if (s != null) {
            Object v = s.item;
            s.waiter.complete(s);
            deferWake(s.waiter);
            return v;
        }
        return closed ? CLOSED : null;
    }

    @Override
    void enqueueLocked(Node n) {
        (n.isSend ? sendq : recvq).enqueue(n);
    }

    @Override
    void dequeueLocked(Node n) {
        (n.isSend ? sendq : recvq).remove(n);
    }

    @Override
    boolean spinsBeforeParking() {
        return buf.length == 0;
    }

    // ---------------------------------------------------------------------------------------------- send

    @Override
    public void send(T value) throws InterruptedException {
        send0(value, true, false, 0L, null);
    }

    @Override
    public boolean trySend(T value) {
        requireValue(value);
        lock.lock();
        int r;
        try {
            r = offerLocked(value);
        } finally {
            unlockAndWake();
        }
        if (r == IS_CLOSED) {
            throw ChannelClosedException.sendOnClosed();
        }
        return r == SENT;
    }

    @Override
    public boolean send(T value, Duration timeout, Clock clock) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        return send0(value, true, true, Clock.deadlineAfter(clock.nanoTime(), Clock.toNanosSaturated(timeout)), clock);
    }

    private boolean send0(T value, boolean block, boolean timed, long deadline, Clock clock)
            throws InterruptedException {
        requireValue(value);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Node node = null;
        int r;
        lock.lock();
        try {
            r = offerLocked(value);
            if (r == MUST_WAIT && !(timed && clock.nanoTime() - deadline >= 0)) {
                node = new Node(this, true, value);
                sendq.enqueue(node);
            }
        } finally {
            unlockAndWake();
        }
        if (r == IS_CLOSED) {
            throw ChannelClosedException.sendOnClosed();
        }
        if (r == SENT) {
            return true;
        }
        if (node == null) {
            return false; // timed out before waiting
        }
        Waiter.Outcome outcome = node.waiter.await(timed, deadline, clock, buf.length == 0);
        if (outcome != Waiter.Outcome.FIRED) {
            lock.lock();
            try {
                sendq.remove(node);
            } finally {
                lock.unlock();
            }
            if (outcome == Waiter.Outcome.INTERRUPTED) {
                throw new InterruptedException();
            }
            return false;
        }
        if (node.closed) {
            throw ChannelClosedException.sendOnClosed();
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------- receive

    @Override
    @SuppressWarnings("unchecked")
    public T receive() throws InterruptedException {
        Object v = receive0(false, 0L, null);
        if (v == CLOSED) {
            throw ChannelClosedException.receiveFromClosed();
        }
        return (T) v;
    }

    @Override
    public Received<T> receiveOrClosed() throws InterruptedException {
        return received(receive0(false, 0L, null));
    }

    @Override
    public TryReceived<T> tryReceive() {
        Object v;
        lock.lock();
        try {
            v = pollLocked();
        } finally {
            unlockAndWake();
        }
        return v == null ? TryReceived.notReady() : received(v);
    }

    @Override
    public TryReceived<T> receive(Duration timeout, Clock clock) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        Object v = receive0(true, Clock.deadlineAfter(clock.nanoTime(), Clock.toNanosSaturated(timeout)), clock);
        return v == null ? TryReceived.notReady() : received(v);
    }

    @SuppressWarnings("unchecked")
    static <T> Received<T> received(Object v) {
        return v == CLOSED ? Received.closed() : new Received.Value<>((T) v);
    }

    /** Returns a value, {@link #CLOSED}, or {@code null} if timed out. */
    private Object receive0(boolean timed, long deadline, Clock clock) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Node node = null;
        Object v;
        lock.lock();
        try {
            v = pollLocked();
            if (v == null && !(timed && clock.nanoTime() - deadline >= 0)) {
                node = new Node(this, false, null);
                recvq.enqueue(node);
            }
        } finally {
            unlockAndWake();
        }
        if (node == null) {
            return v;
        }
        Waiter.Outcome outcome = node.waiter.await(timed, deadline, clock, buf.length == 0);
        if (outcome != Waiter.Outcome.FIRED) {
            lock.lock();
            try {
                recvq.remove(node);
            } finally {
                lock.unlock();
            }
            if (outcome == Waiter.Outcome.INTERRUPTED) {
                throw new InterruptedException();
            }
            return null;
        }
        return node.closed ? CLOSED : node.item;
    }

    // --------------------------------------------------------------------------------------------- close

    @Override
    public void close() {
        List<Waiter> wake = null;
        lock.lock();
        try {
            if (closed) {
                throw ChannelClosedException.closeOfClosed();
            }
            closed = true;
            // Receivers wait only on an empty buffer, so each of them now learns "closed"; senders learn they
            // can never send. Stale nodes (claimed elsewhere or cancelled) are just dropped.
            for (WaitQueue q : new WaitQueue[] {recvq, sendq}) {
                for (Node n; (n = q.poll()) != null; ) {
                    if (n.waiter.tryClaim()) {
                        n.closed = true;
                        n.waiter.complete(n);
                        if (wake == null) {
                            wake = new ArrayList<>();
                        }
                        wake.add(n.waiter);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.forEach(Waiter::wake);
        }
    }

    // ------------------------------------------------------------------------------------ the rest of the API

    @Override
    public int length() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return buf.length;
    }

    @Override
    public <R> SelectCase<R> onSend(T value, Supplier<? extends R> then) {
        requireValue(value);
        return SelectCase.send(this, value, then);
    }

    @Override
    public <R> SelectCase<R> onReceive(Function<? super T, ? extends R> then) {
        return SelectCase.receive(this, then);
    }

    @Override
    public <R> SelectCase<R> onReceiveOrClosed(Function<? super Received<T>, ? extends R> then) {
        return SelectCase.receiveOrClosed(this, then);
    }

    @Override
    public SendChannel<T> sendOnly() {
        return new ChannelViews.SendOnly<>(this);
    }

    @Override
    public ReceiveChannel<T> receiveOnly() {
        return new ChannelViews.ReceiveOnly<>(this);
    }

    /** The number of queued sender nodes, stale ones included; for tests and diagnostics. */
    int waitingSenders() {
        lock.lock();
        try {
            return sendq.size();
        } finally {
            lock.unlock();
        }
    }

    /** The number of queued receiver nodes, stale ones included; for tests and diagnostics. */
    int waitingReceivers() {
        lock.lock();
        try {
            return recvq.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Channel[id=" + id + ", len=" + count + ", cap=" + buf.length + (closed ? ", closed" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
