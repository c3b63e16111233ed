package io.github.dfu4j.usbvm;

import java.io.IOException;

/** A raw_gadget ioctl failed; carries the operation and the Linux errno. */
public final class RawGadgetException extends IOException {
    private static final long serialVersionUID = 1L;

    /** errno values the bridge reacts to. */
    public static final int EINTR = 4;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBUSY = 16;
    public static final int ESHUTDOWN = 108;
    public static final int ECONNRESET = 104;

    private final String operation;
    private final int errno;

    public RawGadgetException(String operation, int errno, String detail) {
        super(operation + " failed: errno " + errno + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.operation = operation;
        this.errno = errno;
    }

    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }
}
