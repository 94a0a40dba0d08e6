package dev.gopatterns.jmh;

import dev.gopatterns.context.Context;
import dev.gopatterns.resource.ResourcePool;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What borrowing a pooled resource costs: acquire a resource and give it back, through {@link ResourcePool}
 * ({@code acquire} + {@code Lease.close}), through commons-pool2's {@code GenericObjectPool}
 * ({@code borrowObject} + {@code returnObject}), and through the smallest correct pool one could write, a
 * {@code java.util.concurrent.Semaphore} of slots in front of a {@code ConcurrentLinkedQueue} of idle resources.
 * Every pool holds at most {@value #MAX_SIZE} resources.
 *
 * <pre>{@code
 * // Go (a free list and a semaphore, as database/sql):  // here:
 * select {                                              // try (var lease = pool.acquire(ctx)) {
 * case r := <-p.idle:         // reuse                  //     use(lease.get());
 * case p.slots <- struct{}{}: r = p.factory(ctx)        // }
 * case <-ctx.Done():          return ctx.Err()
 * }
 * }</pre>
 *
 * <p><b>What is measured:</b> nanoseconds per acquire-and-give-back, per thread: {@code acquireRelease} on one
 * thread (never waits: an idle resource is always there) and {@code acquireReleaseContended} on
 * {@value #CONTENDED_THREADS} threads sharing a pool of {@value #MAX_SIZE} (twice as many threads as resources, so
 * threads wait and are handed resources). The resource is used for nothing but the check below, so a row is the
 * pool's machinery: on 2 cores, the contended rows are mostly the price of parking and waking a waiter.
 * <ul>
 *   <li>{@code gopatterns}: {@code ResourcePool.builder(factory).maxSize(2)}, no health check, no idle limit:
 *       {@code acquire(ctx)} is a {@code tryReceive} on the idle channel, else a slot from its FIFO
 *       {@code Semaphore}, else a {@code select} over both and the context; {@code close} a {@code trySend}.
 *   <li>{@code commons-pool2}: {@code GenericObjectPool} with {@code maxTotal = maxIdle = 2}, blocking when
 *       exhausted with no wait limit, JMX off, its other defaults (LIFO, no tests on borrow or return, no evictor).
 *   <li>{@code semaphore}: {@code new Semaphore(2)} (non-fair, the JDK's default: a releaser's permit may be taken
 *       by a running thread before the parked one wakes) and a {@code ConcurrentLinkedQueue}, filled on demand.
 * </ul>
 *
 * <p><b>Why:</b> every request of a service that uses a connection pool pays one borrow and one return, and under
 * load more requests than connections are in flight. The uncontended row is the floor of that price; the contended
 * rows show how each pool hands a returned resource to a waiter.
 *
 * <p><b>Checked:</b> every acquire must get a resource no other thread holds (each resource has an in-use flag that
 * the holder sets and clears; a pool that lends one resource twice fails the run); after every iteration no lease
 * may be outstanding, every resource must be idle again, and no pool may have created more than {@value #MAX_SIZE}
 * or destroyed any.
 *
 * <p>Quality: 2 forks × (3 × 1 s warm-up + 5 × 1 s measurement). The 6 rows take about 2 minutes.
 *
 * <p>How to run: {@code java -jar modules/jmh/target/benchmarks.jar Resource_01 -p pool=gopatterns,commons-pool2}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Resource_01_AcquireRelease {

    static final int MAX_SIZE = 2;
    static final int CONTENDED_THREADS = 4;

    /** A pooled resource that knows whether someone holds it. */
    static final class Conn {
        final int id;
        private final AtomicBoolean inUse = new AtomicBoolean();

        Conn(int id) {
            this.id = id;
        }

        /** The holder's first act: fails if the pool lent this resource to a second holder. */
        void take() {
            if (!inUse.compareAndSet(false, true)) {
                throw new AssertionError("conn " + id + " was lent while another thread held it");
            }
        }

        /** The holder's last act before giving it back. */
        void leave() {
            inUse.set(false);
        }
    }

    /** A pool under test: lend one resource, get it back. */
    interface Pool extends AutoCloseable {
        Conn acquire() throws Exception;

        void release(Conn c) throws Exception;

        /** Fails unless the pool is at rest: nothing lent, at most MAX_SIZE made, all of them idle, none destroyed. */
        void checkAtRest(int created);

        @Override
        void close();
    }

    /** The pool every thread borrows from, made for each trial. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"gopatterns", "commons-pool2", "semaphore"})
        public String pool;

        final AtomicInteger created = new AtomicInteger();
        Pool impl;

        Conn create() {
            int n = created.incrementAndGet();
            if (n > MAX_SIZE) {
                throw new AssertionError(pool + " created resource " + n + " of at most " + MAX_SIZE);
            }
            return new Conn(n);
        }

        @Setup(Level.Trial)
        public void make() {
            impl = switch (pool) {
                case "gopatterns" -> gopatterns();
                case "commons-pool2" -> commonsPool2();
                case "semaphore" -> semaphore();
                default -> throw new IllegalArgumentException(
                        "unknown pool \"" + pool + "\"; known: gopatterns, commons-pool2, semaphore");
            };
        }

        @TearDown(Level.Iteration)
        public void check() {
            impl.checkAtRest(created.get());
        }

        @TearDown(Level.Trial)
        public void close() {
            impl.close();
        }

        private Pool gopatterns() {
            ResourcePool<Conn> p = ResourcePool.<Conn>builder(ctx -> create()).maxSize(MAX_SIZE).build();
            Context ctx = Context.background();
            // A lease per resource in flight; the resource itself is the key (the pools below lend bare objects).
            @SuppressWarnings("unchecked")
            ResourcePool.Lease<Conn>[] leases = new ResourcePool.Lease[MAX_SIZE + 1];
            return new Pool() {
                @Override
                public Conn acquire() throws Exception {
                    ResourcePool.Lease<Conn> l = p.acquire(ctx);
                    Conn c = l.get();
                    c.take();
                    leases[c.id] = l; // only the holder of c writes or reads its slot
                    return c;
                }

                @Override
                public void release(Conn c) {
                    ResourcePool.Lease<Conn> l = leases[c.id];
                    leases[c.id] = null;
                    c.leave();
                    l.close();
                }

                @Override
                public void checkAtRest(int created) {
                    ResourcePool.Metrics m = p.metrics();
                    if (m.leased() != 0 || m.idle() != created || m.created() != created || m.destroyed() != 0) {
                        throw new AssertionError("gopatterns pool not at rest after an iteration: " + m
                                + " (factory called " + created + " times)");
                    }
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        }

        private Pool commonsPool2() {
            GenericObjectPoolConfig<Conn> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(MAX_SIZE);
            config.setMaxIdle(MAX_SIZE);
            config.setBlockWhenExhausted(true);
            config.setJmxEnabled(false);
            GenericObjectPool<Conn> p = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public Conn create() {
                    return Shared.this.create();
                }

                @Override
                public PooledObject<Conn> wrap(Conn c) {
                    return new DefaultPooledObject<>(c);
                }
            }, config);
            return new Pool() {
                @Override
                public Conn acquire() throws Exception {
                    Conn c = p.borrowObject();
                    c.take();
                    return c;
                }

                @Override
                public void release(Conn c) {
                    c.leave();
                    p.returnObject(c);
                }

                @Override
                public void checkAtRest(int created) {
                    if (p.getNumActive() != 0 || p.getNumIdle() != created || p.getCreatedCount() != created
                            || p.getDestroyedCount() != 0) {
                        throw new AssertionError("commons-pool2 pool not at rest after an iteration: active "
                                + p.getNumActive() + ", idle " + p.getNumIdle() + ", created " + p.getCreatedCount()
                                + ", destroyed " + p.getDestroyedCount() + " (factory called " + created + " times)");
                    }
                }

                @Override
                public void close() {
                    p.close();
                }
            };
        }

        private Pool semaphore() {
            Semaphore slots = new Semaphore(MAX_SIZE);
            ConcurrentLinkedQueue<Conn> idle = new ConcurrentLinkedQueue<>();
            return new Pool() {
                @Override
                public Conn acquire() throws InterruptedException {
                    slots.acquire();
                    Conn c = idle.poll();
                    if (c == null) {
                        c = create(); // a slot and no idle resource: fewer than MAX_SIZE exist
                    }
                    c.take();
                    return c;
                }

                @Override
                public void release(Conn c) {
                    c.leave();
                    idle.offer(c);
                    slots.release();
                }

                @Override
                public void checkAtRest(int created) {
                    if (slots.availablePermits() != MAX_SIZE || idle.size() != created) {
                        throw new AssertionError("semaphore pool not at rest after an iteration: "
                                + slots.availablePermits() + " free slots, " + idle.size() + " idle, "
                                + created + " created");
                    }
                }

                @Override
                public void close() {
                    idle.clear();
                }
            };
        }
    }

    /** One acquire and one give-back. */
    static int borrow(Shared s) throws Exception {
        Conn c = s.impl.acquire();
        try {
            return c.id;
        } finally {
            s.impl.release(c);
        }
    }

    @Benchmark
    @Threads(1)
    public int acquireRelease(Shared s) throws Exception {
        return borrow(s);
    }

    @Benchmark
    @Threads(CONTENDED_THREADS)
    public int acquireReleaseContended(Shared s) throws Exception {
        return borrow(s);
    }
}
