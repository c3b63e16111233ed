package io.github.dfu4j.record;

/**
 * The code driving a {@link ReplayTransport} did something other than what the recording shows; the message
 * names the recording and its 1-based line, what was expected and what came. Unchecked on purpose, so it can
 * never be mistaken for a USB error (a disconnect after leave is a success, a mismatch never is): a test sees
 * it as a failure, and the {@code dfu} tool reports it as an input that does not fit the command.
 */
public final class ReplayMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message where the replay diverged: recording, line, expected and actual request */
    public ReplayMismatchException(String message) {
        super(message);
    }
}
