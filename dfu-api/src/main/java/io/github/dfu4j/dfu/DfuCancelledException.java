package io.github.dfu4j.dfu;

/**
 * The operation stopped because its {@link CancellationToken} was cancelled or the thread was
 * interrupted. The device was left between two requests, never in the middle of one.
 */
public class DfuCancelledException extends DfuException {
    private static final long serialVersionUID = 1L;

    public DfuCancelledException(String reason, Phase phase, Long address, Throwable cause) {
        super(reason, phase, address, null, null, cause);
    }

    @Override
    public DfuCancelledException in(Phase newPhase, Long newAddress) {
        return new DfuCancelledException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, getCause());
    }
}
