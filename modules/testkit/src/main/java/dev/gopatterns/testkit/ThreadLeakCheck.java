package dev.gopatterns.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Fails a test that leaves threads running: every thread a test starts, directly or through the code it calls,
 * must have ended when the test returns (STYLE.md §11: join what you start).
 *
 * <p>How: thread ids only grow, so before each test the check notes the next id; afterwards every live thread with
 * a larger id was started by the test. Virtual threads are found in a full thread dump. A leaked thread gets a
 * short grace period (a thread that has delivered its last value may still be returning) before the test fails
 * with where each leaked thread is. JDK infrastructure threads (virtual-thread carriers, cleaners, the common
 * pool's idle workers: daemon platform threads running only JDK code) are not leaks.
 * Registered for every test automatically (META-INF/services).
 */
public final class ThreadLeakCheck implements BeforeEachCallback, AfterEachCallback {

    /** Opt out, for a test whose subject is a thread that outlives it. Say why. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface AllowThreadLeaks {
        String because();
    }

    static final Duration GRACE = Duration.ofMillis(Long.getLong("gopatterns.test.leakGraceMillis", 2000L));
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", nextThreadId());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (allowed(context)) {
            return;
        }
        Long mark = context.getStore(NS).get("mark", Long.class);
        if (mark == null) {
            return;
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        List<ThreadDump.Entry> leaked = leakedSince(mark);
        while (!leaked.isEmpty() && System.nanoTime() - deadline < 0) {
            // Grace: let threads that are on their way out finish. Join platform ones; virtual threads cannot be
            // reached from a dump, so look again a little later.
            Map<Thread, StackTraceElement[]> platform = Thread.getAllStackTraces();
            boolean joined = false;
            for (Thread t : platform.keySet()) {
                if (t.threadId() > mark && leaked.stream().anyMatch(e -> e.tid() == t.threadId())) {
                    t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    joined = true;
                }
            }
            if (!joined) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            leaked = leakedSince(mark);
        }
        if (!leaked.isEmpty()) {
            StringBuilder msg = new StringBuilder("THREAD LEAK: the test ended but ").append(leaked.size())
                    .append(" thread(s) it started are still running ").append(GRACE.toMillis())
                    .append(" ms later. Every thread must end before the test returns: join it, close the channel ")
                    .append("it ranges over, or cancel it.\n");
            leaked.stream().limit(10).forEach(e -> msg.append(e.describe(10)));
            throw new AssertionFailedError(msg.toString());
        }
    }

    private static boolean allowed(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(AllowThreadLeaks.class)).orElse(false)
                || context.getTestClass().map(c -> c.isAnnotationPresent(AllowThreadLeaks.class)).orElse(false);
    }

    /** An id larger than that of every thread created so far; creating an unstarted thread costs no OS thread. */
    static long nextThreadId() {
        return Thread.ofPlatform().unstarted(() -> {}).threadId();
    }

    static List<ThreadDump.Entry> leakedSince(long mark) {
        Map<Long, Thread> platform = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            platform.put(t.threadId(), t);
        }
        List<ThreadDump.Entry> leaked = new ArrayList<>();
        for (ThreadDump.Entry e : ThreadDump.take().threads()) {
            if (e.tid() <= mark || e.tid() == Thread.currentThread().threadId()) {
                continue;
            }
            if (!e.virtual()) {
                Thread t = platform.get(e.tid());
                if (t == null || !t.isAlive()) {
                    continue;
                }
                boolean jdkInfrastructure = t.isDaemon() && !e.runsUserCode();
                if (jdkInfrastructure || isHangGuardRunner(t)) {
                    continue;
                }
            }
            leaked.add(e);
        }
        return leaked;
    }

    private static boolean isHangGuardRunner(Thread t) {
        // An abandoned hung test thread is already reported by HangGuard.
        return t.getName().startsWith("test: ");
    }
}
