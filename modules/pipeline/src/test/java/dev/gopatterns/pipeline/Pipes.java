package dev.gopatterns.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.testkit.Await;
import dev.gopatterns.testkit.TestThreads;
import java.util.ArrayList;
import java.util.List;

/** What every stage test needs: inputs fed by test threads, draining an output, and "every stage thread ended". */
final class Pipes {

    private Pipes() {}

    /** A channel of {@code capacity} that a test thread fills with {@code values}, then closes. */
    @SafeVarargs
    static <T> Channel<T> feed(TestThreads threads, int capacity, T... values) {
        Channel<T> in = Channel.make(capacity);
        threads.start("feed", () -> {
            for (T v : values) {
                in.send(v);
            }
            in.close();
        });
        return in;
    }

    /** A channel of {@code capacity} fed 0, 1, 2, ... by a test thread until {@code ctx} ends; then closed. */
    static Channel<Integer> endless(TestThreads threads, Context ctx, int capacity) {
        Channel<Integer> in = Channel.make(capacity);
        threads.start("endless", () -> {
            try {
                for (int i = 0; ; i++) {
                    ctx.send(in, i);
                }
            } catch (ContextException expected) {
                in.close();
            }
        });
        return in;
    }

    /**
     * Receives until the output reports closed, then checks that it stays closed: a second receive and a
     * non-blocking one report {@link Received.Closed} too.
     */
    static <T> List<T> drain(ReceiveChannel<T> out) throws InterruptedException {
        List<T> got = new ArrayList<>();
        while (out.receiveOrClosed() instanceof Received.Value<T>(T v)) {
            got.add(v);
        }
        assertThat(out.receiveOrClosed()).as("receive after close").isInstanceOf(Received.Closed.class);
        assertThat(out.tryReceive()).as("tryReceive after close").isInstanceOf(Received.Closed.class);
        return got;
    }

    /** Waits until no thread started by a stage of this package is still running. */
    static void awaitStagesEnded() {
        Await.until(() -> Stages.liveThreads() + " stage thread(s) still running", () -> Stages.liveThreads() == 0);
    }
}
