package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.transport.TransportException;

import java.util.Objects;

/**
 * Why an exchange failed, as data; the driver turns it into the matching {@link DfuException}
 * subtype after adding the phase, the address and the device's status string.
 *
 * @param kind   the category
 * @param reason one-line explanation
 * @param status the GETSTATUS reply that reported the problem, or null
 * @param cause  the USB-level failure, or null
 */
public record Failure(Kind kind, String reason, DfuStatusReply status, TransportException cause) {

    /** Failure categories, one per exception subtype. */
    public enum Kind {
        /** The device reported an error status: {@link DfuException.Kind#DEVICE_STATUS}. */
        DEVICE_STATUS,
        /** An unexpected state or malformed reply: {@link DfuException.Kind#PROTOCOL}. */
        PROTOCOL,
        /** A USB transfer failed: {@link DfuException.Kind#TRANSFER}. */
        TRANSFER,
        /** The device stayed busy beyond the budget: {@link DfuException.Kind#TIMEOUT}. */
        TIMEOUT
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (kind == Kind.DEVICE_STATUS && status == null) {
            throw new IllegalArgumentException("a DEVICE_STATUS failure needs the status reply");
        }
        if (kind == Kind.TRANSFER && cause == null) {
            throw new IllegalArgumentException("a TRANSFER failure needs the transport exception");
        }
    }

    /** The exception for this failure. */
    public DfuException toException(Phase phase, Long address, String statusText) {
        return switch (kind) {
            case DEVICE_STATUS -> DfuException.deviceStatus(reason, phase, address, status, statusText, cause);
            case PROTOCOL -> DfuException.protocol(reason, phase, address, status, cause);
            case TRANSFER -> DfuException.transfer(reason, phase, address, status, cause);
            case TIMEOUT -> DfuException.timeout(reason, phase, address, status, cause);
        };
    }
}
