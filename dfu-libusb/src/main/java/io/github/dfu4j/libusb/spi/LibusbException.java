package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.transport.TransportException;

/** A {@link TransportException} that also keeps the raw libusb return code. */
public final class LibusbException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int libusbCode;

    public LibusbException(Kind kind, int libusbCode, String message) {
        super(kind, message);
        this.libusbCode = libusbCode;
    }

    /** The negative libusb return code, e.g. -3 for LIBUSB_ERROR_ACCESS. */
    public int libusbCode() {
        return libusbCode;
    }
}
