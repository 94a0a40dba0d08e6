package dev.gopatterns.chan;

/**
 * A waiter's entry in one channel's send or receive queue, or in a {@link Selectable}'s queue (Go: {@code sudog}).
 * The fields other than {@code waiter}, {@code source}, {@code isSend} and {@code caseIndex} are guarded by
 * {@code source.lock}, except {@code item} and {@code closed} of a receive node, which its claimer writes before
 * publishing DONE.
 */
final class Node extends Waiter {
    /** The waiter this node belongs to: itself for a plain send or receive (one allocation), the select's otherwise. */
    final Waiter waiter;
    final WaitSource source;
    final boolean isSend;
    /** Index of the select case this node stands for; 0 for a plain send or receive. */
    final int caseIndex;
    /**
     * For a send node: the value to send. For a receive node: the value received, once fired. For a node on a
     * {@link Selectable}: its ticket.
     */
    Object item;
    /** Set by {@code close}: the node fired because the channel closed. */
    boolean closed;

    Node prev;
    Node next;
    boolean queued;

    /** A node of a select's {@code waiter}. */
    Node(Waiter waiter, WaitSource source, boolean isSend, int caseIndex, Object item) {
        this.waiter = waiter;
        this.source = source;
        this.isSend = isSend;
        this.caseIndex = caseIndex;
        this.item = item;
    }

    /** The node of a plain send or receive by the current thread: it is its own waiter. */
    Node(HChan<?> chan, boolean isSend, Object item) {
        this.waiter = this;
        this.source = chan;
        this.isSend = isSend;
        this.caseIndex = 0;
        this.item = item;
    }
}

/** A FIFO of nodes with O(1) removal. Call only when holding the owning channel's lock. */
final class WaitQueue {
    private Node head;
    private Node tail;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        int n = 0;
        for (Node x = head; x != null; x = x.next) {
            n++;
        }
        return n;
    }

    void enqueue(Node n) {
        n.queued = true;
        n.prev = tail;
        n.next = null;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
    }

    void remove(Node n) {
        if (!n.queued) {
            return;
        }
        n.queued = false;
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
    }

    /**
     * Removes and returns the first node whose waiter this call manages to claim, discarding on the way the
     * nodes of waiters that were cancelled or claimed through another channel (their owners tolerate the
     * removal). Returns {@code null} if none can be claimed. The caller must then {@link Waiter#complete} it.
     */
    Node pollClaimable() {
        for (Node n = head; n != null; n = head) {
            remove(n);
            if (n.waiter.tryClaim()) {
                return n;
            }
        }
        return null;
    }

    /** Removes and returns the first node, claimed or not; used by close. */
    Node poll() {
        Node n = head;
        if (n != null) {
            remove(n);
        }
        return n;
    }
}
