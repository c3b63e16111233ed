package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.transport.TransportException;

/**
 * An opened device (libusb_device_handle). All methods report libusb failures as
 * {@link TransportException}s with the mapped kind (see {@link LibusbError}). Not thread-safe.
 */
public interface UsbHandle extends AutoCloseable {

    /**
     * libusb_control_transfer. For IN requests (bit 7 of {@code requestType} set) the device's bytes
     * land in {@code data[0..return)}; for OUT requests {@code data[0..length)} is sent.
     *
     * @return the number of bytes actually transferred
     */
    int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
                        int timeoutMillis) throws TransportException;

    void claimInterface(int interfaceNumber) throws TransportException;

    void releaseInterface(int interfaceNumber) throws TransportException;

    void setAltSetting(int interfaceNumber, int alternateSetting) throws TransportException;

    /** libusb_set_auto_detach_kernel_driver: throws NOT_SUPPORTED where the OS has no such notion. */
    void setAutoDetachKernelDriver(boolean enable) throws TransportException;

    /** libusb_kernel_driver_active. */
    boolean kernelDriverActive(int interfaceNumber) throws TransportException;

    /** libusb_detach_kernel_driver. */
    void detachKernelDriver(int interfaceNumber) throws TransportException;

    /** libusb_get_string_descriptor_ascii: libusb's own reader (first language, non-ASCII as '?'). */
    String stringDescriptorAscii(int index) throws TransportException;

    /** libusb_reset_device. */
    void resetDevice() throws TransportException;

    /** libusb_close. Idempotent. */
    @Override
    void close();
}
