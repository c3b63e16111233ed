package io.github.dfu4j.transport;

import java.util.Objects;

/**
 * A USB-level failure reported by a {@link DfuTransport}, classified so that the protocol layer
 * and users can react (a stall during GETSTATUS is retried, a vanished device after leave is
 * success, an access error gets the udev/driver explanation).
 */
public class TransportException extends DeviceException {
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

    /** Serialized: the classification, never null. */
    private final Kind kind;

    /**
     * A failure of the given kind without an underlying cause.
     *
     * @param kind    the classification the protocol layer reacts to, not {@code null}
     * @param message what failed, e.g. {@code "control transfer timed out after 5000 ms"}
     * @throws NullPointerException when {@code kind} is {@code null}
     */
    public TransportException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * A failure of the given kind caused by a backend exception (a libusb error, an I/O exception).
     *
     * @param kind    the classification the protocol layer reacts to, not {@code null}
     * @param message what failed
     * @param cause   the backend's exception, or {@code null}
     * @throws NullPointerException when {@code kind} is {@code null}
     */
    public TransportException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * The classification of the failure, which callers switch on instead of parsing the message.
     *
     * @return the kind, never {@code null}
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether the device has left the bus ({@link Kind#NO_DEVICE}): a failure in the middle of an
     * operation, but the expected end of a manifestation or leave request.
     *
     * @return {@code true} when {@link #kind()} is {@code NO_DEVICE}
     */
    @Override
    public boolean isDisconnect() {
        return kind == Kind.NO_DEVICE;
    }
}
