package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test if a stage thread died with an exception, such as "close of closed channel" from a stage that closed
 * its output twice. A test that expects one takes it with {@link #take()}.
 */
final class UncaughtExceptions implements BeforeEachCallback, AfterEachCallback {

    private static final List<Throwable> SEEN = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler saved;

    @Override
    public void beforeEach(ExtensionContext context) {
        SEEN.clear();
        saved = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> SEEN.add(e));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Pipes.awaitStagesEnded();
        Thread.setDefaultUncaughtExceptionHandler(saved);
        assertThat(SEEN).as("exceptions that ended stage threads").isEmpty();
    }

    /** The exceptions seen so far, once every stage thread has ended; they no longer fail the test. */
    static List<Throwable> take() {
        Pipes.awaitStagesEnded();
        List<Throwable> all = List.copyOf(SEEN);
        SEEN.clear();
        return all;
    }
}
