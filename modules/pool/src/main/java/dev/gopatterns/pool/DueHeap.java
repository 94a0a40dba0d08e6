package dev.gopatterns.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link Scheduler}'s pending entries: a binary min-heap ordered by due time, then priority (highest first),
 * then sequence (first pushed first). Not thread-safe: the scheduler guards it with its lock.
 */
final class DueHeap {
    /*
     * A textbook array heap (Williams 1964, as in java.util.PriorityQueue) whose nodes remember their own index,
     * as ScheduledThreadPoolExecutor's DelayedWorkQueue does (its `heapIndex`): so remove(node), which a cancel
     * needs, is O(log n) instead of PriorityQueue's O(n) search, and a cancelled job leaves the heap at once
     * instead of lingering until its due time (a scheduler of many long delays, most of them cancelled, would
     * otherwise hold them all).
     *
     * Due times are on a Clock's nanoTime scale, compared as `a - b < 0`, never `a < b`, to survive overflow.
     */

    /** What the heap holds: a due time, a priority and a sequence number; {@code index} is the heap's business. */
    abstract static class Node {
        /** On the scheduler clock's nanoTime scale. Written only while out of the heap, under the lock. */
        long due;
        final int priority;
        /** Set by {@link #add}: ties on due time and priority go first-pushed first. */
        long seq;
        /** The node's place in the heap's array, or -1 while it is not in the heap. */
        int index = -1;

        Node(long due, int priority) {
            this.due = due;
            this.priority = priority;
        }

        /** Whether the node is in a heap now. */
        final boolean queued() {
            return index >= 0;
        }
    }

    private Node[] nodes = new Node[16];
    private int size;
    private long nextSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The node due first, or null. */
    Node peek() {
        return size == 0 ? null : nodes[0];
    }

    /** Adds {@code n} (not in a heap) with the next sequence number. */
    void add(Node n) {
        if (n.index >= 0) {
            throw new IllegalStateException("scheduler: a node is in the heap already");
        }
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        n.seq = nextSeq++;
        n.index = size;
        nodes[size++] = n;
        siftUp(n.index);
    }

    /** Removes and returns the node due first, or null. */
    Node poll() {
        if (size == 0) {
            return null;
        }
        Node first = nodes[0];
        removeAt(0);
        return first;
    }

    /** Removes {@code n} if it is in this heap; returns whether it was. */
    boolean remove(Node n) {
        int i = n.index;
        if (i < 0 || i >= size || nodes[i] != n) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Removes every node, in due order. */
    List<Node> drain() {
        List<Node> all = new ArrayList<>(size);
        for (Node n; (n = poll()) != null; ) {
            all.add(n);
        }
        return all;
    }

    private void removeAt(int i) {
        Node gone = nodes[i];
        gone.index = -1;
        int last = --size;
        Node moved = nodes[last];
        nodes[last] = null;
        if (i == last) {
            return;
        }
        nodes[i] = moved;
        moved.index = i;
        siftDown(i);
        if (nodes[i] == moved) {
            siftUp(i);
        }
    }

    /** Whether {@code a} goes before {@code b}: earlier due, then higher priority, then pushed first. */
    static boolean before(Node a, Node b) {
        long d = a.due - b.due;
        if (d != 0) {
            return d < 0;
        }
        if (a.priority != b.priority) {
            return a.priority > b.priority;
        }
        return a.seq - b.seq < 0;
    }

    private void siftUp(int i) {
        Node n = nodes[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node p = nodes[parent];
            if (!before(n, p)) {
                break;
            }
            nodes[i] = p;
            p.index = i;
            i = parent;
        }
        nodes[i] = n;
        n.index = i;
    }

    private void siftDown(int i) {
        Node n = nodes[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(nodes[right], nodes[child])) {
                child = right;
            }
            Node c = nodes[child];
            if (!before(c, n)) {
                break;
            }
            nodes[i] = c;
            c.index = i;
            i = child;
        }
        nodes[i] = n;
        n.index = i;
    }
}
