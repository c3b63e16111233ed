package io.github.dfu4j.libusb.spi;

import java.util.List;

/**
 * A libusb binding could not start: its native library did not load, is too old, or libusb_init
 * failed. {@link #attempts()} says what was tried, one entry per library name or step, so the
 * message can tell the user exactly what to install or set.
 */
public final class BackendUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final List<String> attempts;

    public BackendUnavailableException(String backend, List<String> attempts, Throwable cause) {
        super(backend + ": " + String.join("; ", attempts), cause);
        this.backend = backend;
        this.attempts = List.copyOf(attempts);
    }

    public String backend() {
        return backend;
    }

    /** What was tried and why it failed, e.g. "usb-1.0: Unable to load library 'usb-1.0' ...". */
    public List<String> attempts() {
        return attempts;
    }
}
