package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuCancelledException;

/**
 * A {@link DfuDevice} operation (download, erase, mass erase, upload) stopped because its
 * {@link io.github.dfu4j.dfu.CancellationToken} was cancelled or its thread interrupted. Before
 * throwing, the device was brought back to dfuIDLE (ABORT, or a short wait for a request the device
 * was still executing; see {@link DfuDevice#CANCEL_WIND_DOWN}); {@link #deviceIdle()} says whether
 * that worked. {@link #changes()} says what the device's memory holds now.
 */
public final class OperationCancelledException extends DfuCancelledException {
    private static final long serialVersionUID = 1L;
    private final transient DeviceChanges changes;
    private final boolean deviceIdle;

    public OperationCancelledException(DfuCancelledException cause, DeviceChanges changes, boolean deviceIdle) {
        super(cause.reason() + "; " + changes.describe() + (deviceIdle ? "; the device is back in dfuIDLE"
                        : "; the device did not return to dfuIDLE"),
                cause.phase().orElse(changes.phase()), cause.address().isPresent() ? cause.address().getAsLong() : null,
                cause, cause.duringRequest());
        this.changes = changes;
        this.deviceIdle = deviceIdle;
    }

    /** What the operation had erased and written when it stopped. */
    public DeviceChanges changes() {
        return changes;
    }

    /** The device answered GETSTATUS with dfuIDLE after the cancel (ABORT worked, busy work finished in time). */
    public boolean deviceIdle() {
        return deviceIdle;
    }

    @Override
    public OperationCancelledException in(io.github.dfu4j.dfu.Phase newPhase, Long newAddress) {
        return this;
    }
}
