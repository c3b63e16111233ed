package io.github.dfu4j.dfu;

/**
 * The operation stopped because its {@link CancellationToken} was cancelled or the thread was
 * interrupted. The host stopped between two requests, never in the middle of one; when the cancel
 * came while the host waited for a busy device ({@link #duringRequest()}), that request's work (an
 * erase, a block write) may still complete on the device.
 */
public class DfuCancelledException extends DfuException {
    private static final long serialVersionUID = 1L;
    private final boolean duringRequest;

    public DfuCancelledException(String reason, Phase phase, Long address, Throwable cause) {
        this(reason, phase, address, cause, false);
    }

    /**
     * @param duringRequest the cancel came while the host waited inside an exchange (the device may
     *                      still be working on that request), not before a new one
     */
    public DfuCancelledException(String reason, Phase phase, Long address, Throwable cause, boolean duringRequest) {
        super(Kind.CANCELLED, reason, phase, address, null, null, null, cause);
        this.duringRequest = duringRequest;
    }

    /** True when the cancel came while waiting for the device inside a request; its work may still complete. */
    public boolean duringRequest() {
        return duringRequest;
    }

    @Override
    public DfuCancelledException in(Phase newPhase, Long newAddress) {
        return new DfuCancelledException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, getCause(), duringRequest);
    }
}
