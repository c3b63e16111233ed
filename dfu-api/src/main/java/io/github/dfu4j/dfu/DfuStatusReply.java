package io.github.dfu4j.dfu;

import java.time.Duration;
import java.util.Objects;

/**
 * A parsed DFU_GETSTATUS reply (DFU 1.1 §6.1.2): bStatus, the 24-bit bwPollTimeout, bState and
 * iString. The raw status and state bytes are kept so that values the specification does not define
 * survive into error messages.
 *
 * @param status      bStatus, {@link DfuStatus#UNKNOWN} for undefined values
 * @param pollTimeout bwPollTimeout: the minimum time before the next GETSTATUS
 * @param state       bState, {@link DfuState#UNKNOWN} for undefined values
 * @param iString     index of a string descriptor describing the status, 0 = none
 * @param rawStatus   the bStatus byte as sent
 * @param rawState    the bState byte as sent
 */
public record DfuStatusReply(DfuStatus status, Duration pollTimeout, DfuState state, int iString,
                             int rawStatus, int rawState) {
    /** Length of the reply in bytes. */
    public static final int LENGTH = 6;

    public DfuStatusReply {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(state, "state");
    }

    /** A reply with the given fields, raw values taken from the enums. */
    public static DfuStatusReply of(DfuStatus status, long pollMillis, DfuState state) {
        return new DfuStatusReply(status, Duration.ofMillis(pollMillis), state, 0, status.code(), state.code());
    }

    /**
     * Parses the 6-byte reply.
     *
     * @throws DfuException when fewer than 6 bytes arrived
     */
    public static DfuStatusReply parse(byte[] reply) throws DfuException {
        if (reply == null || reply.length < LENGTH) {
            throw DfuException.protocol(String.format("GETSTATUS reply has %d bytes, expected %d",
                    reply == null ? 0 : reply.length, LENGTH));
        }
        int rawStatus = reply[0] & 0xFF;
        long poll = (reply[1] & 0xFF) | (reply[2] & 0xFF) << 8 | (reply[3] & 0xFF) << 16;
        int rawState = reply[4] & 0xFF;
        return new DfuStatusReply(DfuStatus.fromCode(rawStatus), Duration.ofMillis(poll),
                DfuState.fromCode(rawState), reply[5] & 0xFF, rawStatus, rawState);
    }

    /** The 6 wire bytes of this reply (for fakes and recordings). */
    public byte[] toBytes() {
        long poll = Math.min(pollTimeout.toMillis(), 0xFFFFFF);
        return new byte[] {(byte) rawStatus, (byte) poll, (byte) (poll >> 8), (byte) (poll >> 16),
                (byte) rawState, (byte) iString};
    }

    /** bStatus is OK and bState is not dfuERROR. */
    public boolean isOk() {
        return status == DfuStatus.OK && state != DfuState.DFU_ERROR;
    }

    /**
     * The reply as messages print it: the spec names of status and state (raw values when undefined), then the poll
     * time and iString when they are not 0, e.g. {@code OK, dfuDNBUSY, poll 100 ms} or {@code errVENDOR, dfuERROR}.
     */
    @Override
    public String toString() {
        return describe(status, rawStatus) + ", " + describeState(state, rawState)
                + (pollTimeout.isZero() ? "" : ", poll " + pollTimeout.toMillis() + " ms")
                + (iString == 0 ? "" : ", iString " + iString);
    }

    static String describe(DfuStatus status, int raw) {
        return status == DfuStatus.UNKNOWN ? String.format("status 0x%02x", raw) : status.specName();
    }

    /** The state's DFU 1.1 name, or its raw value when the state is unknown. */
    public static String describeState(DfuState state, int raw) {
        return state == DfuState.UNKNOWN ? String.format("state %d", raw) : state.specName();
    }
}
