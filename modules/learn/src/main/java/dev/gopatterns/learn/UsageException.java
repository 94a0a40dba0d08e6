package dev.gopatterns.learn;

/** The words after {@code ./learn} do not make a command; the message says what is wrong. */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
