package io.github.dfu4j.ops;

/**
 * Receives {@link ProgressEvent}s on the calling thread. Must be fast and must not throw (an exception
 * is logged and ignored) nor call back into the device.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores every event: for callers that want no progress. */
    ProgressListener NONE = event -> { };

    /**
     * Called for each STARTED, ADVANCED and FINISHED event of a phase, on the thread that runs the operation.
     *
     * @param event the event; never null
     */
    void onProgress(ProgressEvent event);
}
