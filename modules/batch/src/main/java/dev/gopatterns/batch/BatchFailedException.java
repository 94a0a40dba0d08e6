package dev.gopatterns.batch;

/**
 * The batch an item was in failed: the batch function threw (the cause), or returned a result list of the wrong
 * length. Each caller of the batch gets its own instance, with the same cause.
 */
public final class BatchFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    BatchFailedException(String batcher, int size, Throwable cause) {
        super("batcher '" + batcher + "': the batch of " + size + " item" + (size == 1 ? "" : "s") + " this item was"
                + " in failed: " + cause, cause);
    }
}
