package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.DfuTransport;
import java.io.IOException;
import java.util.Objects;

/**
 * One device of {@link UsbBackend#openAll}: either its transport or why it could not be opened.
 *
 * @param device    the device as discovered
 * @param transport the opened transport in DFU mode, or null on failure
 * @param failure   why it could not be opened, or null on success
 */
public record OpenedDevice(DfuDeviceDescription device, DfuTransport transport, IOException failure) {
    public OpenedDevice {
        Objects.requireNonNull(device, "device");
        if ((transport == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of transport and failure");
        }
    }

    public boolean isOpen() {
        return transport != null;
    }
}
