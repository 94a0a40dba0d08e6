package dev.gopatterns.sync;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value computed once, on first use, by whichever thread asks first; concurrent callers wait for it.
 *
 * <p>Go equivalent: {@code sync.OnceValue(f)}. As in Go, if {@code f} throws, every call throws that same exception.
 * Calling {@link #get()} from inside {@code f} fails with {@link IllegalStateException} (in Go it deadlocks).
 *
 * <p>Memory consistency effects: the actions of {@code f} happen-before the return of every {@code get()}.
 *
 * @param <T> the value type
 */
public final class OnceValue<T> implements Supplier<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private Supplier<? extends T> f;
    /** Written under lock before the volatile write of done. */
    private T value;
    private RuntimeException failure;
    private Error error;
    private volatile boolean done;

    private OnceValue(Supplier<? extends T> f) {
        this.f = f;
    }

    /** Wraps {@code f} so that it runs at most once. */
    public static <T> OnceValue<T> of(Supplier<? extends T> f) {
        return new OnceValue<>(Objects.requireNonNull(f, "f"));
    }

    @Override
    public T get() {
        if (!done) {
            if (lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("sync: OnceValue.get called from its own function (in Go this deadlocks)");
            }
            lock.lock();
            try {
                if (!done) {
                    try {
                        value = f.get();
                    } catch (RuntimeException e) {
                        failure = e;
                    } catch (Error e) {
                        error = e;
                    } finally {
                        f = null; // let the function and what it captured be collected
                        done = true;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (error != null) {
            throw error;
        }
        return value;
    }
}
