package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.UsbBus;

/** Starts one libusb binding. Loading natives happens here, on first use, never earlier. */
@FunctionalInterface
interface BackendLoader {
    UsbBus load() throws BackendUnavailableException;
}
