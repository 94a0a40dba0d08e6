package dev.gopatterns.learn.samples.mixed;

/** Stands in for an exercise stub: its one method is still a TODO. */
final class Stub {

    private Stub() {}

    static void work() {
        throw new UnsupportedOperationException("TODO: exercise 9 — work");
    }
}
