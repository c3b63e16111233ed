package io.github.dfu4j.libusb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether one backend could start, and with which libusb or why not.
 *
 * @param backend       JNA or USB4JAVA
 * @param available     true when it loaded and libusb_init succeeded
 * @param libusbVersion e.g. "1.0.26.11724", empty when not available
 * @param detail        where it was loaded from, or everything that was tried and why it failed
 */
public record BackendStatus(BackendChoice backend, boolean available, String libusbVersion, String detail) {
    public BackendStatus {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(libusbVersion, "libusbVersion");
        Objects.requireNonNull(detail, "detail");
    }

    /** "JNA: libusb 1.0.26.11724 (usb-1.0)" or "usb4java: unavailable: ...". */
    public String toText() {
        return backend + ": " + (available ? "libusb " + libusbVersion + " (" + detail + ")" : "unavailable: " + detail);
    }

    String activeMark(BackendChoice active) {
        return backend == active ? "* " : "  ";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("available", available);
        m.put("libusbVersion", libusbVersion);
        m.put("detail", detail);
        return m;
    }
}
