package dev.gopatterns.testkit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;

/**
 * Fails a hung test within seconds, with a thread dump that includes virtual threads.
 *
 * <p>The test body runs in its own platform thread. If it has not finished after the limit ({@link HangTimeout},
 * default 10 s), the guard takes a full thread dump, saves it under {@code target/hang-dumps/}, interrupts the test
 * thread, and fails the test as Go's runtime reports a deadlock ("all goroutines are asleep - deadlock!" when every
 * thread of the test is parked), with a line per thread: what it waits on and the line of the code under test. A test that ignores the interrupt
 * (a busy loop, a swallowed {@code InterruptedException}) is abandoned rather than waited for, so one hung test
 * never hangs the build. Registered for every test automatically (META-INF/services).
 */
public final class HangGuard implements InvocationInterceptor {

    static final Duration DEFAULT = Duration.ofSeconds(Long.getLong("gopatterns.test.timeout", 10L));

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                    ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        guard(invocation, context);
    }

    static Duration limitFor(ExtensionContext context) {
        Optional<HangTimeout> onMethod = context.getTestMethod().map(m -> m.getAnnotation(HangTimeout.class));
        Optional<HangTimeout> onClass = context.getTestClass().map(c -> c.getAnnotation(HangTimeout.class));
        return onMethod.or(() -> onClass).map(t -> Duration.ofSeconds(t.seconds())).orElse(DEFAULT);
    }

    private static void guard(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Duration limit = limitFor(context);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = Thread.ofPlatform()
                .name("test: " + context.getDisplayName())
                .daemon(true)
                .unstarted(() -> {
                    try {
                        invocation.proceed();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
        runner.start();
        runner.join(limit);
        if (runner.isAlive()) {
            ThreadDump dump = ThreadDump.take();
            runner.interrupt();
            runner.join(Duration.ofMillis(500));
            throw hung(context, limit, runner, dump, !runner.isAlive());
        }
        Throwable t = failure.get();
        if (t != null) {
            throw t;
        }
    }

    /**
     * The failure of a hung test, in the order a reader needs it: what happened, then Go's verdict on it (when every
     * thread of the test is parked, Go's runtime would have said "all goroutines are asleep - deadlock!"), then a
     * line per thread with what it waits on and the line of the code under test it waits at, then the full frames.
     */
    private static AssertionFailedError hung(ExtensionContext context, Duration limit, Thread runner,
                                             ThreadDump dump, boolean endedOnInterrupt) {
        List<ThreadDump.Entry> threads = new ArrayList<>();
        for (ThreadDump.Entry e : dump.threads()) {
            // The test thread and every thread created after it (thread ids only grow); JDK-only infrastructure
            // threads (carriers, cleaners) are left out.
            if (e.tid() == runner.threadId() || (e.tid() > runner.threadId() && (e.virtual() || e.runsUserCode()))) {
                threads.add(e);
            }
        }
        String pkg = context.getTestClass().map(Class::getPackageName).orElse("");
        StringBuilder msg = new StringBuilder();
        msg.append("HUNG: \"").append(context.getDisplayName()).append("\" did not finish within ")
                .append(limit.toSeconds()).append(" s.\n");
        boolean allAsleep = threads.stream().allMatch(ThreadDump.Entry::asleep);
        msg.append(allAsleep
                ? "all goroutines are asleep - deadlock! (every thread of the test waits, and none can wake another)\n"
                : "a thread is still running and never finished: a loop that does not end, or spins instead of"
                        + " blocking\n");
        int shown = 0;
        for (ThreadDump.Entry e : threads) {
            if (shown++ == 6) {
                msg.append("  ... and ").append(threads.size() - 6).append(" more threads\n");
                break;
            }
            String at = e.userFrame(pkg);
            msg.append("  goroutine \"").append(e.name().isEmpty() ? "<unnamed>" : e.name()).append("\" [")
                    .append(e.waitReason()).append("]").append(at == null ? "" : ": " + at).append('\n');
        }
        msg.append("Full thread dump (virtual threads included): ").append(dump.save(context.getDisplayName()))
                .append('\n');
        msg.append("Something waits forever: a receive nobody sends to, a send nobody receives, a channel never")
                .append(" closed, a thread never joined, or a deadlock.\n");
        msg.append(endedOnInterrupt
                ? "It ended when interrupted.\n"
                : "It did not even end when interrupted (is an InterruptedException swallowed, or a loop ignoring"
                        + " the interrupt flag?): the test was abandoned.\n");
        msg.append("Where the test's threads were stuck:\n");
        int framed = 0;
        for (ThreadDump.Entry e : threads) {
            if (framed++ < 12) {
                msg.append(e.describe(12));
            }
        }
        if (framed > 12) {
            msg.append("  ... and ").append(framed - 12).append(" more threads\n");
        }
        return new AssertionFailedError(msg.toString().stripTrailing());
    }
}
