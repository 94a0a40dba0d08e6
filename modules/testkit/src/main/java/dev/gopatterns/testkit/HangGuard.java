package dev.gopatterns.testkit;

import java.lang.reflect.Method;
import java.time.Duration;
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
 * thread, and fails the test with the place each of the test's threads is stuck. A test that ignores the interrupt
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

    private static AssertionFailedError hung(ExtensionContext context, Duration limit, Thread runner,
                                             ThreadDump dump, boolean endedOnInterrupt) {
        StringBuilder msg = new StringBuilder();
        msg.append("HUNG: \"").append(context.getDisplayName()).append("\" did not finish within ")
                .append(limit.toSeconds()).append(" s. Something waits forever: a receive nobody sends to, a send ")
                .append("nobody receives, a channel never closed, a thread never joined, or a deadlock.\n");
        msg.append(endedOnInterrupt
                ? "It ended when interrupted.\n"
                : "It did not even end when interrupted (is an InterruptedException swallowed, or a loop ignoring"
                        + " the interrupt flag?): the test was abandoned.\n");
        msg.append("Where the test's threads were stuck:\n");
        int shown = 0;
        for (ThreadDump.Entry e : dump.threads()) {
            // The test thread and every thread created after it (thread ids only grow); JDK-only infrastructure
            // threads (carriers, cleaners) are left out.
            if (e.tid() == runner.threadId() || (e.tid() > runner.threadId() && (e.virtual() || e.runsUserCode()))) {
                if (shown++ < 12) {
                    msg.append(e.describe(12));
                }
            }
        }
        if (shown > 12) {
            msg.append("  ... and ").append(shown - 12).append(" more threads\n");
        }
        msg.append("Full thread dump (virtual threads included): ").append(dump.save(context.getDisplayName()));
        return new AssertionFailedError(msg.toString());
    }
}
