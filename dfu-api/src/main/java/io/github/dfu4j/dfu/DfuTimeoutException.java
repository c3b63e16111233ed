package io.github.dfu4j.dfu;

/**
 * The device stayed busy (dfuDNBUSY / dfuMANIFEST, or not answering GETSTATUS) longer than the
 * operation's budget allows.
 */
public class DfuTimeoutException extends DfuException {
    private static final long serialVersionUID = 1L;

    public DfuTimeoutException(String reason, Phase phase, Long address, DfuStatusReply lastStatus, Throwable cause) {
        super(reason, phase, address, lastStatus, null, cause);
    }

    @Override
    public DfuTimeoutException in(Phase newPhase, Long newAddress) {
        return new DfuTimeoutException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, deviceStatus().orElse(null), getCause());
    }
}
