package io.github.dfu4j.dfu;

import io.github.dfu4j.transport.TransportException;

import java.util.Objects;

/** A USB transfer failed (stall, timeout, device gone, I/O error) and the protocol could not recover. */
public class DfuTransferException extends DfuException {
    private static final long serialVersionUID = 1L;

    public DfuTransferException(String reason, TransportException cause) {
        this(reason, null, null, null, cause);
    }

    public DfuTransferException(String reason, Phase phase, Long address, DfuStatusReply status, TransportException cause) {
        super(reason, phase, address, status, null, Objects.requireNonNull(cause, "cause"));
    }

    /** The USB-level failure kind. */
    public TransportException.Kind kind() {
        return transportError().orElseThrow().kind();
    }

    /** The device left the bus. */
    public boolean isDisconnect() {
        return kind() == TransportException.Kind.NO_DEVICE;
    }

    @Override
    public DfuTransferException in(Phase newPhase, Long newAddress) {
        return new DfuTransferException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, deviceStatus().orElse(null),
                transportError().orElseThrow());
    }
}
