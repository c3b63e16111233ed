package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Why a device that is visible on the bus could not be opened or claimed, with the fix.
 *
 * @param kind    the classified USB error (ACCESS, NOT_SUPPORTED, BUSY, ...)
 * @param message the libusb-level message, e.g. "libusb_open: LIBUSB_ERROR_ACCESS (access denied ...)"
 * @param advice  what to do, for this OS and this VID:PID
 */
public record OpenProblem(TransportException.Kind kind, String message, Advice advice) {
    public OpenProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(advice, "advice");
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("message", message);
        m.put("advice", advice.toMap());
        return m;
    }
}
