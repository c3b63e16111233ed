package io.github.dfu4j.transport;

import java.io.IOException;

/**
 * The one root of the checked exceptions dfu-api and dfu-libusb throw while talking to a device: a USB-level
 * {@link TransportException} (dfu-libusb's {@code UsbException} is one) or a DFU-level
 * {@code io.github.dfu4j.dfu.DfuException} (a device status, a protocol break, a refused write, a failed verification,
 * a cancellation). Catch it to handle every device failure of a find, open and download in one place; the two
 * subclasses carry the details ({@code kind()}, phase, address, status, remedy).
 *
 * <pre>{@code
 * try (DfuTransport t = backend.open(DeviceFilter.ANY); DfuDevice dev = DfuDevice.open(t)) {
 *     dev.download(image, FlashOptions.defaults());
 * } catch (DeviceException e) {
 *     System.err.println((e.isDisconnect() ? "unplugged: " : "failed: ") + e.getMessage());
 * }
 * }</pre>
 */
public abstract class DeviceException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * For the two subclasses.
     *
     * @param message one line saying what failed
     * @param cause   the underlying failure, or {@code null}
     */
    protected DeviceException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the failure is the device leaving the bus (unplugged, reset or re-enumerated): a failure in the
     * middle of an operation, the expected end of a leave.
     *
     * @return {@code true} when the device is gone
     */
    public abstract boolean isDisconnect();
}
