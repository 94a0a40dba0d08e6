/*
 * Flawed solution of exercise `stateful_goroutine`.
 * Mistake: the owner knows only get and put; add asks it for the value, then sends a second request to put the sum, so another caller's request gets in between and concurrent adds lose updates.
 * Verdict: an update is one message to the owner: read-modify-write in two requests loses updates
 */
package dev.gopatterns.exercises.stateful_goroutine;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import java.util.Map;

public final class Store implements AutoCloseable {

    /** What callers ask the owner; each carries the channel its answer goes on. */
    private sealed interface Request {
        Channel<Integer> reply();
    }

    private record Get(String key, Channel<Integer> reply) implements Request {}

    private record Put(String key, int value, Channel<Integer> reply) implements Request {}

    private final Channel<Request> requests = Channel.make(0);
    /** Closed by the owner when it ends: after that, no request is taken and every taken one has been answered. */
    private final Channel<Void> ended = Channel.make(0);
    private final CancellableContext life;
    private final Thread owner;

    private Store(Context ctx, Map<String, Integer> state) {
        this.life = Context.withCancel(ctx);
        this.owner = Thread.ofVirtual().name("store owner").start(() -> own(state));
    }

    /**
     * Starts the owner of {@code state}. From now on only the owner's thread touches {@code state}; it ends when
     * {@code ctx} ends or the store is closed.
     */
    public static Store start(Context ctx, Map<String, Integer> state) {
        return new Store(ctx, state);
    }

    /**
     * The value of {@code key}, 0 if it has none.
     *
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first
     * @throws IllegalStateException                   if the store has ended ("store is closed")
     */
    public int get(Context ctx, String key) throws InterruptedException {
        return call(ctx, new Get(key, Channel.make(1)));
    }

    /**
     * Adds {@code delta} to the value of {@code key} (0 if it has none) and returns the new value, in one step.
     *
     * @throws dev.gopatterns.context.ContextException if {@code ctx} ends first (the add may or may not have happened
     *                                                 if it ends while the caller waits for the answer)
     * @throws IllegalStateException                   if the store has ended ("store is closed")
     */
    public int add(Context ctx, String key, int delta) throws InterruptedException {
        int value = get(ctx, key) + delta; // every access goes through the owner: get, then put
        return call(ctx, new Put(key, value, Channel.make(1)));
    }

    /** Stops the owner and waits for it to end. Idempotent. */
    @Override
    public void close() {
        life.cancel();
        try {
            owner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int call(Context ctx, Request request) throws InterruptedException {
        boolean taken = Select.select(
                requests.onSend(request, () -> true),
                ctx.onDone(() -> {
                    throw ctx.err().orElseThrow();
                }),
                ended.onReceiveOrClosed(r -> false));
        if (!taken) {
            throw new IllegalStateException("store is closed");
        }
        return Select.select(
                request.reply().onReceive(v -> v),
                ctx.onDone(() -> {
                    throw ctx.err().orElseThrow(); // the owner's answer goes into the reply's buffer, unread
                }),
                ended.onReceiveOrClosed(r -> {
                    // The owner answers every request it took before it ends: the answer is there.
                    if (request.reply().tryReceive() instanceof Received.Value<Integer>(Integer v)) {
                        return v;
                    }
                    throw new IllegalStateException("store is closed");
                }));
    }

    /** The owner's loop: the only code that touches {@code state}. */
    private void own(Map<String, Integer> state) {
        try {
            for (;;) {
                Request r = Select.select(requests.onReceive(x -> x), life.onDone(() -> null));
                if (r == null) {
                    return; // closed, or ctx ended
                }
                int value = switch (r) {
                    case Get g -> state.getOrDefault(g.key(), 0);
                    case Put p -> {
                        state.put(p.key(), p.value());
                        yield p.value();
                    }
                };
                r.reply().trySend(value); // room for one: never waits for a caller who gave up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ended.close();
        }
    }
}
