package dev.gopatterns.jmh;

import dev.gopatterns.chan.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * One implementation under test, reduced to the two blocking calls every benchmark uses: {@code send} waits for room
 * (or, unbuffered, for the receiver), {@code receive} waits for a value. The benchmarks name an implementation with
 * a string {@code @Param} of the form {@code name:capacity}, so that one parameter can list exactly the pairs that
 * make sense and JMH never runs a meaningless one (a {@code SynchronousQueue} with a buffer):
 *
 * <table>
 *   <caption>Implementations</caption>
 *   <tr><th>spec</th><th>send / receive</th><th>capacity</th></tr>
 *   <tr><td>{@code gopatterns:N}</td><td>{@link Channel#send} / {@link Channel#receive}</td><td>N &gt;= 0</td></tr>
 *   <tr><td>{@code jox:N}</td><td>jox {@code Channel.send} / {@code receive}; 0 is
 *       {@code newRendezvousChannel()}</td><td>N &gt;= 0</td></tr>
 *   <tr><td>{@code SynchronousQueue:0}</td><td>{@code put} / {@code take}</td><td>0 only</td></tr>
 *   <tr><td>{@code LinkedTransferQueue:0}</td><td>{@code transfer} / {@code take}: a rendezvous, like an unbuffered
 *       channel; {@code put} would make it an unbounded queue, which no channel is</td><td>0 only</td></tr>
 *   <tr><td>{@code ArrayBlockingQueue:N}</td><td>{@code put} / {@code take}</td><td>N &gt;= 1</td></tr>
 * </table>
 *
 * <p>A benchmark's call sites see one {@code Conduit} class per JMH fork (each parameter combination runs in its own
 * JVM), so they stay monomorphic and the adapter costs nothing measurable. Do not run these benchmarks with
 * {@code -f 0}: several implementations in one JVM would make the calls megamorphic and the numbers incomparable.
 *
 * @param <T> the element type
 */
sealed interface Conduit<T> {

    /** Blocks until {@code value} is buffered or taken by a receiver. */
    void send(T value) throws InterruptedException;

    /** Blocks until a value is available, and returns it. */
    T receive() throws InterruptedException;

    /**
     * Creates the implementation named by {@code spec} ({@code name:capacity}).
     *
     * @throws IllegalArgumentException naming the rule the spec breaks
     */
    static <T> Conduit<T> make(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("channel spec must be name:capacity, was \"" + spec + "\"");
        }
        String name = spec.substring(0, colon);
        int capacity;
        try {
            capacity = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("channel capacity must be an integer, was \"" + spec + "\"", e);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("channel capacity must be >= 0, was \"" + spec + "\"");
        }
        return switch (name) {
            case "gopatterns" -> new Gopatterns<>(Channel.make(capacity));
            case "jox" -> new Jox<>(capacity == 0
                    ? com.softwaremill.jox.Channel.newRendezvousChannel()
                    : com.softwaremill.jox.Channel.newBufferedChannel(capacity));
            case "SynchronousQueue" -> {
                requireCapacity(spec, capacity == 0, "0");
                yield new Synchronous<>(new SynchronousQueue<>());
            }
            case "LinkedTransferQueue" -> {
                requireCapacity(spec, capacity == 0, "0 (transfer/take is a rendezvous; the queue itself is unbounded)");
                yield new Transfer<>(new LinkedTransferQueue<>());
            }
            case "ArrayBlockingQueue" -> {
                requireCapacity(spec, capacity >= 1, ">= 1");
                yield new ArrayBlocking<>(new ArrayBlockingQueue<>(capacity));
            }
            default -> throw new IllegalArgumentException("unknown channel implementation \"" + name + "\" in \""
                    + spec + "\"; known: gopatterns, jox, SynchronousQueue, LinkedTransferQueue, ArrayBlockingQueue");
        };
    }

    private static void requireCapacity(String spec, boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("capacity in \"" + spec + "\" must be " + rule);
        }
    }

    record Gopatterns<T>(Channel<T> channel) implements Conduit<T> {
        @Override
        public void send(T value) throws InterruptedException {
            channel.send(value);
        }

        @Override
        public T receive() throws InterruptedException {
            return channel.receive();
        }
    }

    record Jox<T>(com.softwaremill.jox.Channel<T> channel) implements Conduit<T> {
        @Override
        public void send(T value) throws InterruptedException {
            channel.send(value);
        }

        @Override
        public T receive() throws InterruptedException {
            return channel.receive();
        }
    }

    record Synchronous<T>(SynchronousQueue<T> queue) implements Conduit<T> {
        @Override
        public void send(T value) throws InterruptedException {
            queue.put(value);
        }

        @Override
        public T receive() throws InterruptedException {
            return queue.take();
        }
    }

    record Transfer<T>(LinkedTransferQueue<T> queue) implements Conduit<T> {
        @Override
        public void send(T value) throws InterruptedException {
            queue.transfer(value);
        }

        @Override
        public T receive() throws InterruptedException {
            return queue.take();
        }
    }

    record ArrayBlocking<T>(ArrayBlockingQueue<T> queue) implements Conduit<T> {
        @Override
        public void send(T value) throws InterruptedException {
            queue.put(value);
        }

        @Override
        public T receive() throws InterruptedException {
            return queue.take();
        }
    }
}
