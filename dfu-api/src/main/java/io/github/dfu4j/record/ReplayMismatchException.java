package io.github.dfu4j.record;

/**
 * The code under test did something other than what the recording shows. Unchecked on purpose: it is
 * a test failure, and it must not be mistaken for a USB error (a disconnect after leave is a success,
 * a mismatch never is).
 */
public final class ReplayMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ReplayMismatchException(String message) {
        super(message);
    }
}
