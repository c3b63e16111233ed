package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.transport.TransportException;

/**
 * What dfu-libusb needs from a libusb binding: one libusb context, its device list, and handles.
 * Implemented by the JNA binding ({@code io.github.dfu4j.libusb.jna}), by usb4java
 * ({@code io.github.dfu4j.libusb.usb4java}) and by test fakes. Everything above it (discovery,
 * selection, the DFU transport, diagnostics) is written once against this interface.
 *
 * <p>Ownership: the bus owns the libusb context; closing it calls {@code libusb_exit}, so callers
 * close every handle and snapshot first. Implementations must allow {@link #snapshot()} and
 * {@link UsbDeviceRef#open()} from several threads (libusb's synchronous API is thread-safe).
 */
public interface UsbBus extends AutoCloseable {

    /** The libusb version in use, e.g. "1.0.26.11724". */
    String libusbVersion();

    /** Where this libusb came from, for diagnostics, e.g. "system libusb via JNA, loaded as 'libusb-1.0.so.0'". */
    String origin();

    /**
     * The devices on the bus right now. The snapshot holds a libusb reference on each device until
     * it is closed; handles opened from it stay valid after that.
     */
    DeviceSnapshot snapshot() throws TransportException;

    /** Exits the libusb context. Idempotent. */
    @Override
    void close();
}
