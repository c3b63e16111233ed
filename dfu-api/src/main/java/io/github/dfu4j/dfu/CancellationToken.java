package io.github.dfu4j.dfu;

/**
 * Lets another thread stop a running operation between two USB requests, or while it waits for a busy
 * device (checked at least every 100 ms). Thread-safe. An operation
 * also stops when its thread is interrupted.
 *
 * <pre>{@code
 * CancellationToken token = new CancellationToken();
 * executor.submit(() -> device.download(image, FlashOptions.builder().cancellation(token).build(), listener));
 * token.cancel();   // the download throws DfuCancelledException at the next request or wait slice
 * }</pre>
 */
public final class CancellationToken {
    /** A token that is never cancelled. */
    public static final CancellationToken NONE = new CancellationToken();

    private volatile boolean cancelled;

    /** A fresh, not yet cancelled token. */
    public CancellationToken() {
    }

    /**
     * Asks the operations watching this token to stop; they throw {@link DfuCancelledException} at their next check.
     * Idempotent, never blocks, callable from any thread.
     *
     * @throws UnsupportedOperationException on {@link #NONE}
     */
    public void cancel() {
        if (this == NONE) {
            throw new UnsupportedOperationException("CancellationToken.NONE cannot be cancelled");
        }
        cancelled = true;
    }

    /** True once {@link #cancel()} was called (never for {@link #NONE}). */
    public boolean isCancelled() {
        return cancelled;
    }
}
