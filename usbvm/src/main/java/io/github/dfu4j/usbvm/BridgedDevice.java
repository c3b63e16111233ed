package io.github.dfu4j.usbvm;

import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.transport.TimeSource;
import java.io.IOException;
import java.nio.file.Path;

/** A simulated device as the bridge needs it: its endpoint 0, its clock, and its memory on disk. */
public interface BridgedDevice {

    /** The device side of endpoint 0. */
    UsbControlEndpoint endpoint();

    /**
     * The device's clock. While the device is off the bus the bridge lets time pass on it, so a
     * chip that resets back into its bootloader (BOOT0 high, failed jump) comes back.
     */
    TimeSource clock();

    /** Writes the simulated memory to {@code file} (the format the simulator loads back). */
    void saveState(Path file) throws IOException;

    /** A line describing the device, for the log. */
    String describe();
}
