package io.github.dfu4j.cli;

import io.github.dfu4j.ops.DeviceProfile;
import io.github.dfu4j.transport.DfuTransport;

/** Chooses the device profile (leave semantics, quirks) for an opened device. */
final class Profiles {
    private Profiles() {
    }

    static DeviceProfile forTransport(DfuTransport transport) {
        return DeviceProfile.generic();
    }
}
