package io.github.dfu4j.ops;

/**
 * Receives {@link ProgressEvent}s on the calling thread. Must be fast and must not throw (an exception
 * is logged and ignored) nor call back into the device.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> { };

    void onProgress(ProgressEvent event);
}
