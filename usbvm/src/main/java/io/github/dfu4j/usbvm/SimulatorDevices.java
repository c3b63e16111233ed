package io.github.dfu4j.usbvm;

import java.io.IOException;

/** Builds the {@link BridgedDevice} for {@code --sim ID} from dfu-stm32's simulator registry. */
final class SimulatorDevices {
    private SimulatorDevices() {
    }

    static BridgedDevice create(BridgeOptions options) throws IOException {
        throw new IllegalArgumentException("--sim " + options.sim() + ": dfu-stm32 has no public simulator registry yet");
    }
}
