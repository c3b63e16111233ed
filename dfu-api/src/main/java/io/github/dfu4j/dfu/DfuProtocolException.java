package io.github.dfu4j.dfu;

/**
 * The device answered, but not as the protocol allows: an unexpected state, a short reply, a
 * malformed descriptor, or a device in a mode that cannot do the requested work.
 */
public class DfuProtocolException extends DfuException {
    private static final long serialVersionUID = 1L;

    public DfuProtocolException(String reason) {
        super(reason);
    }

    public DfuProtocolException(String reason, Phase phase, Long address, DfuStatusReply status, Throwable cause) {
        super(reason, phase, address, status, null, cause);
    }

    @Override
    public DfuProtocolException in(Phase newPhase, Long newAddress) {
        return new DfuProtocolException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, deviceStatus().orElse(null), getCause());
    }
}
