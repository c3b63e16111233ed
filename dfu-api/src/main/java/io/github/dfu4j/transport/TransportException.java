package io.github.dfu4j.transport;

import java.io.IOException;
import java.util.Objects;

/**
 * A USB-level failure reported by a {@link DfuTransport}, classified so that the protocol layer
 * and users can react (a stall during GETSTATUS is retried, a vanished device after leave is
 * success, an access error gets the udev/driver explanation).
 */
public class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong at the USB level. */
    public enum Kind {
        /** The transfer did not complete in time. */
        TIMEOUT,
        /** The device stalled the control pipe (refused the request). */
        STALL,
        /** The device is gone: unplugged, reset or re-enumerated. */
        NO_DEVICE,
        /** The OS refused access (permissions, wrong driver). */
        ACCESS,
        /** The interface is claimed by someone else. */
        BUSY,
        /** The backend or OS cannot do this. */
        NOT_SUPPORTED,
        /** The device sent more data than requested. */
        OVERFLOW,
        /** Anything else (I/O error, pipe broken, backend failure). */
        IO
    }

    private final Kind kind;

    public TransportException(Kind kind, String message) {
        this(kind, message, null);
    }

    public TransportException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    public boolean isDisconnect() {
        return kind == Kind.NO_DEVICE;
    }
}
