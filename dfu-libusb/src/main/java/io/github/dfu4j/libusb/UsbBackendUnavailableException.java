package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * No libusb binding could be started. The message names every backend tried and why each failed;
 * {@link #advice()} says what to install. Kind NOT_SUPPORTED.
 */
public final class UsbBackendUnavailableException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final transient List<BackendStatus> attempts;
    private final transient Advice advice;

    public UsbBackendUnavailableException(List<BackendStatus> attempts, Advice advice) {
        super(Kind.NOT_SUPPORTED, message(attempts, advice));
        this.attempts = List.copyOf(attempts);
        this.advice = advice;
    }

    private static String message(List<BackendStatus> attempts, Advice advice) {
        List<String> parts = new ArrayList<>();
        for (BackendStatus s : attempts) {
            parts.add(s.backend() + ": " + s.detail());
        }
        return "No USB backend could be loaded (" + String.join(" | ", parts) + "). " + advice.steps().get(0);
    }

    /** One entry per backend tried, in order. */
    public List<BackendStatus> attempts() {
        return attempts;
    }

    public Advice advice() {
        return advice;
    }
}
