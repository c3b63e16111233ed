package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;

/**
 * The libusb-1.0 error codes ({@code enum libusb_error} in libusb.h) and how each maps onto a
 * {@link TransportException.Kind}. Both backends report libusb codes, so they share this table.
 * We keep our own names instead of calling {@code libusb_error_name}: that function is not
 * available before the library loads, and for 0 it answers "LIBUSB_SUCCESS / LIBUSB_TRANSFER_COMPLETED".
 */
public enum LibusbError {
    IO(-1, "LIBUSB_ERROR_IO", Kind.IO, "input/output error"),
    INVALID_PARAM(-2, "LIBUSB_ERROR_INVALID_PARAM", Kind.IO, "invalid parameter"),
    ACCESS(-3, "LIBUSB_ERROR_ACCESS", Kind.ACCESS, "access denied (insufficient permissions)"),
    NO_DEVICE(-4, "LIBUSB_ERROR_NO_DEVICE", Kind.NO_DEVICE, "no such device (it may have been disconnected)"),
    // Not NO_DEVICE: libusb answers NOT_FOUND for a missing interface or alternate setting, an
    // unclaimed interface or no kernel driver, with the device still there. Only libusb_reset_device
    // uses it for "the device re-enumerated", and the transport's reset handles that code itself.
    NOT_FOUND(-5, "LIBUSB_ERROR_NOT_FOUND", Kind.IO,
            "entity not found (no such interface or alternate setting, or the interface is not claimed)"),
    BUSY(-6, "LIBUSB_ERROR_BUSY", Kind.BUSY, "resource busy"),
    TIMEOUT(-7, "LIBUSB_ERROR_TIMEOUT", Kind.TIMEOUT, "operation timed out"),
    OVERFLOW(-8, "LIBUSB_ERROR_OVERFLOW", Kind.OVERFLOW, "overflow"),
    PIPE(-9, "LIBUSB_ERROR_PIPE", Kind.STALL, "pipe error (the device stalled the request)"),
    INTERRUPTED(-10, "LIBUSB_ERROR_INTERRUPTED", Kind.IO, "system call interrupted"),
    NO_MEM(-11, "LIBUSB_ERROR_NO_MEM", Kind.IO, "insufficient memory"),
    NOT_SUPPORTED(-12, "LIBUSB_ERROR_NOT_SUPPORTED", Kind.NOT_SUPPORTED,
            "operation not supported or unimplemented on this platform"),
    OTHER(-99, "LIBUSB_ERROR_OTHER", Kind.IO, "other error");

    private final int code;
    private final String libusbName;
    private final Kind kind;
    private final String description;

    LibusbError(int code, String libusbName, Kind kind, String description) {
        this.code = code;
        this.libusbName = libusbName;
        this.kind = kind;
        this.description = description;
    }

    public int code() {
        return code;
    }

    /** The C enumerator name, e.g. {@code LIBUSB_ERROR_ACCESS}: what users search the web for. */
    public String libusbName() {
        return libusbName;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    /** The error for a negative libusb return code; unknown negative codes become {@link #OTHER}. */
    public static LibusbError of(int code) {
        for (LibusbError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return OTHER;
    }

    /** Human-readable name of any libusb return code, also for codes libusb added after this table. */
    public static String nameOf(int code) {
        if (code >= 0) {
            return "LIBUSB_SUCCESS";
        }
        LibusbError e = of(code);
        return e == OTHER && code != OTHER.code ? "LIBUSB_ERROR(" + code + ")" : e.libusbName;
    }

    /** A typed exception for a failed libusb call, e.g. "claim interface 0: LIBUSB_ERROR_BUSY (resource busy)". */
    public static LibusbException exception(int code, String operation) {
        LibusbError e = of(code);
        return new LibusbException(e.kind, code,
                operation + ": " + nameOf(code) + " (" + e.description + ")");
    }

    /** Returns {@code rc} when it is not negative, else throws the mapped exception. */
    public static int check(int rc, String operation) throws LibusbException {
        if (rc < 0) {
            throw exception(rc, operation);
        }
        return rc;
    }
}
