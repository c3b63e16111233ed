package io.github.dfu4j.dfu;

import io.github.dfu4j.ops.MemoryRange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operation stopped because its {@link CancellationToken} was cancelled or the thread was
 * interrupted. The host stopped between two requests, never in the middle of one; when the cancel
 * came while the host waited for a busy device ({@link #duringRequest()}), that request's work (an
 * erase, a block write) may still complete on the device.
 *
 * <p>Thrown by a {@code DfuDevice} operation (download, erase, mass erase, upload), it also says what
 * the device's memory holds now ({@link #changes()}) and whether the device was brought back to
 * dfuIDLE before the throw (ABORT, or a short wait for a request the device was still executing; see
 * {@code DfuDevice.CANCEL_WIND_DOWN}; {@link #deviceIdle()}).
 *
 * <pre>{@code
 * try {
 *     device.download(image, FlashOptions.builder().cancellation(token).build());
 * } catch (DfuCancelledException e) {
 *     e.changes().ifPresent(c -> System.err.println("stopped: " + c.describe()));
 * }
 * }</pre>
 */
public final class DfuCancelledException extends DfuException {
    private static final long serialVersionUID = 1L;
    private final boolean duringRequest;
    private final transient DeviceChanges changes;
    private final boolean deviceIdle;

    /**
     * A cancel noticed before a new request was sent ({@link #duringRequest()} false).
     *
     * @param reason  one line, e.g. {@code "cancelled"} or {@code "thread interrupted"}
     * @param phase   the phase the operation was in, or null when not known yet ({@link #in} fills it in)
     * @param address the address being worked on, or null
     * @param cause   what noticed it, e.g. an {@link InterruptedException}, or null
     */
    public DfuCancelledException(String reason, Phase phase, Long address, Throwable cause) {
        this(reason, phase, address, cause, false);
    }

    /**
     * @param duringRequest the cancel came while the host waited inside an exchange (the device may
     *                      still be working on that request), not before a new one
     */
    public DfuCancelledException(String reason, Phase phase, Long address, Throwable cause, boolean duringRequest) {
        this(reason, phase, address, cause, duringRequest, null, false);
    }

    private DfuCancelledException(String reason, Phase phase, Long address, Throwable cause, boolean duringRequest,
                                  DeviceChanges changes, boolean deviceIdle) {
        super(Kind.CANCELLED, reason, phase, address, null, null, null, cause);
        this.duringRequest = duringRequest;
        this.changes = changes;
        this.deviceIdle = deviceIdle;
    }

    /**
     * This cancel as an operation reports it once it has wound down: the message adds what the
     * operation changed and whether the device is back in dfuIDLE; this exception becomes the cause.
     *
     * @param changes    what the operation had erased and written when it stopped
     * @param deviceIdle the device answered GETSTATUS with dfuIDLE after the cancel
     */
    public DfuCancelledException withChanges(DeviceChanges changes, boolean deviceIdle) {
        Objects.requireNonNull(changes, "changes");
        return new DfuCancelledException(reason() + "; " + changes.describe() + (deviceIdle ? "; the device is back in dfuIDLE"
                : "; the device did not return to dfuIDLE"), phase().orElse(changes.phase()),
                address().isPresent() ? address().getAsLong() : null, this, duringRequest, changes, deviceIdle);
    }

    /** True when the cancel came while waiting for the device inside a request; its work may still complete. */
    public boolean duringRequest() {
        return duringRequest;
    }

    /**
     * What the operation had erased and written when it stopped; present when a {@code DfuDevice}
     * operation threw this (after its wind-down), empty for a cancel seen below that level.
     */
    public Optional<DeviceChanges> changes() {
        return Optional.ofNullable(changes);
    }

    /**
     * The device answered GETSTATUS with dfuIDLE after the cancel (ABORT worked, busy work finished in
     * time); false when it did not, or when no wind-down was done ({@link #changes()} empty).
     */
    public boolean deviceIdle() {
        return deviceIdle;
    }

    /**
     * This cancel with the phase and address filled in where they were not known yet, keeping
     * {@link #duringRequest()}; an exception that already carries an operation's {@link #changes()} is returned as is.
     */
    @Override
    public DfuCancelledException in(Phase newPhase, Long newAddress) {
        if (changes != null) {
            return this;
        }
        return new DfuCancelledException(reason(), phase().orElse(newPhase),
                address().isPresent() ? address().getAsLong() : newAddress, getCause(), duringRequest);
    }

    /**
     * What an operation had done to the device's memory when it stopped early (see
     * {@link DfuCancelledException#changes()}): what a caller needs to tell the user what the chip now holds.
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
