package io.github.dfu4j.ops;

import java.util.Optional;
import java.util.Objects;
import java.util.List;
import io.github.dfu4j.dfu.Phase;
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

    /**
     * What an operation had done to the device's memory when it stopped early (see
     * {@link OperationCancelledException}): what a caller needs to tell the user what the chip now holds.
     *
     * @param phase        the phase the operation was in: READ (incremental comparison or upload: nothing
     *                     changed), ERASE, WRITE, VERIFY (everything written, not yet verified) or LEAVE
     * @param erased       sectors erased completely
     * @param massErased   alternate settings mass-erased completely
     * @param written      ranges written completely; the last one may end inside a planned run
     * @param bytesWritten data bytes written
     * @param bytesToWrite data bytes the operation meant to write (0 for an erase or upload)
     * @param pending      the sector or block the device was still working on when the host stopped
     *                     waiting for it: it may or may not have been erased / written
     */
    public record DeviceChanges(Phase phase, List<MemoryRange> erased, List<Integer> massErased, List<MemoryRange> written,
                                long bytesWritten, long bytesToWrite, Optional<MemoryRange> pending) {
        public DeviceChanges {
            Objects.requireNonNull(phase, "phase");
            erased = List.copyOf(erased);
            massErased = List.copyOf(massErased);
            written = List.copyOf(written);
            Objects.requireNonNull(pending, "pending");
        }

        /** Nothing was changed (an upload, or a download stopped before its first erase). */
        public static DeviceChanges none(Phase phase) {
            return new DeviceChanges(phase, List.of(), List.of(), List.of(), 0, 0, Optional.empty());
        }

        /** True when some memory may differ from before the operation. */
        public boolean changedMemory() {
            return !erased.isEmpty() || !massErased.isEmpty() || bytesWritten > 0 || pending.isPresent();
        }

        /** Every byte the operation meant to write was written (it stopped while verifying or leaving). */
        public boolean writeComplete() {
            return bytesToWrite > 0 && bytesWritten >= bytesToWrite;
        }

        /** One line without advice, e.g. "3 sectors erased, 12288 of 40960 bytes written". */
        public String describe() {
            if (!changedMemory()) {
                return "nothing on the device was changed";
            }
            StringBuilder sb = new StringBuilder();
            if (!massErased.isEmpty()) {
                sb.append("alt ").append(massErased).append(" mass-erased");
            }
            if (!erased.isEmpty()) {
                sb.append(sb.length() > 0 ? ", " : "").append(erased.size()).append(erased.size() == 1 ? " sector" : " sectors")
                        .append(" erased");
            }
            if (bytesToWrite > 0 || bytesWritten > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(bytesWritten).append(" of ").append(bytesToWrite).append(" bytes written");
            }
            pending.ifPresent(p -> sb.append(sb.length() > 0 ? ", " : "").append(p).append(" in progress"));
            return sb.toString();
        }
    }
}
