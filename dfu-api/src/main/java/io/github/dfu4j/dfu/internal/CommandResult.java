package io.github.dfu4j.dfu.internal;

import io.github.dfu4j.dfu.DfuStatusReply;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a DNLOAD (command, data block or the zero-length leave/manifest request) ended.
 *
 * @param ending      how it ended
 * @param lastStatus  the last GETSTATUS reply, or null when the device vanished before answering
 * @param statusPolls how many GETSTATUS requests it took
 * @param busyTime    time from the DNLOAD until the end, on the transport clock
 */
public record CommandResult(Ending ending, DfuStatusReply lastStatus, int statusPolls, Duration busyTime) {

    /** The ways a DNLOAD can end successfully. */
    public enum Ending {
        /** The device reported dfuDNLOAD-IDLE: the command or block is done. */
        COMPLETED,
        /** The erase wedged in dfuDNBUSY and was recovered with the CLRSTATUS pair; the device is in dfuIDLE. */
        RECOVERED_FROM_WEDGE,
        /** After the zero-length DNLOAD the device reported dfuMANIFEST (or dfuMANIFEST-WAIT-RESET): it is leaving. */
        MANIFESTING,
        /** A manifestation-tolerant device finished manifestation and is back in dfuIDLE. */
        MANIFESTED_IDLE,
        /** The device left the bus while we waited for its answer: the expected end of leave / unprotect. */
        DISCONNECTED,
        /**
         * After the zero-length DNLOAD the final GETSTATUS timed out or failed with an I/O error while
         * the transport did not report the device gone: it may have left, or may still be in DFU mode.
         */
        NO_ANSWER,
        /** READ_UNPROTECT was accepted; the device now erases and resets. */
        RESETTING
    }

    public CommandResult {
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(busyTime, "busyTime");
    }

    public Optional<DfuStatusReply> status() {
        return Optional.ofNullable(lastStatus);
    }
}
