package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuQuirks;

import java.util.Objects;

/**
 * A {@link DeviceProfile} made of plain values.
 *
 * @param name           short name
 * @param leaveMode      how the bootloader uses the leave address
 * @param quirks         protocol quirks
 * @param writeAlignment flash programming unit in bytes (power of two)
 */
record BasicDeviceProfile(String name, LeaveMode leaveMode, DfuQuirks quirks, int writeAlignment)
        implements DeviceProfile {
    static final BasicDeviceProfile GENERIC = new BasicDeviceProfile("generic", LeaveMode.VECTOR_TABLE,
            DfuQuirks.defaults(), 1);

    public BasicDeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(leaveMode, "leaveMode");
        Objects.requireNonNull(quirks, "quirks");
        if (writeAlignment < 1 || Integer.bitCount(writeAlignment) != 1) {
            throw new IllegalArgumentException("write alignment must be a power of two: " + writeAlignment);
        }
    }

    public BasicDeviceProfile withQuirks(DfuQuirks newQuirks) {
        return new BasicDeviceProfile(name, leaveMode, newQuirks, writeAlignment);
    }

    public BasicDeviceProfile withLeaveMode(LeaveMode mode) {
        return new BasicDeviceProfile(name, mode, quirks, writeAlignment);
    }
}
