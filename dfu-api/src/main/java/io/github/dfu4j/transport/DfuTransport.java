package io.github.dfu4j.transport;

import java.time.Duration;
import java.util.List;

/**
 * The only thing dfu4j needs from a USB stack: control transfers on one DFU interface of one opened
 * device. Everything above this interface is transport-agnostic, so libusb, Android's USB host API,
 * a WebUSB bridge or a simulated device can all drive the same protocol code.
 *
 * <p>All class requests go to the DFU interface: the transport fills {@code wIndex} with
 * {@link #interfaceNumber()} and uses bmRequestType 0x21 (OUT) or 0xA1 (IN). Implementations are
 * not required to be thread-safe; one operation drives one transport at a time.
 *
 * <pre>{@code
 * DfuTransport transport = ...; // dfu-libusb's UsbBackends, a simulated device, or your own USB stack
 * try (DfuDevice device = DfuDevice.open(transport)) { // the device owns and closes the transport
 *     device.download(image, FlashOptions.defaults());
 * }
 * }</pre>
 */
public interface DfuTransport extends AutoCloseable {

    /**
     * Identity of the opened device.
     *
     * @return the identity read when the transport was opened, never {@code null}
     */
    DeviceInfo device();

    /**
     * bInterfaceNumber of the DFU interface this transport talks to.
     *
     * @return the interface number, 0..255
     */
    int interfaceNumber();

    /**
     * The DFU interface's alternate settings with their names (iInterface strings), in order.
     *
     * @return the alternate settings; a DFU interface has at least one
     */
    List<AltSetting> altSettings();

    /**
     * The raw DFU functional descriptor (bDescriptorType 0x21, 7 or 9 bytes) as the transport found
     * it (configuration or interface extra bytes, or GET_DESCRIPTOR), or an empty array when the
     * device has none.
     *
     * @return the descriptor's bytes, or an empty array when the device has none
     */
    byte[] functionalDescriptor();

    /**
     * SET_INTERFACE to the given alternate setting of the DFU interface.
     *
     * @param altSetting a bAlternateSetting of {@link #altSettings()}, 0..255
     * @throws TransportException when the device refuses ({@code STALL}) or is gone ({@code NO_DEVICE})
     */
    void selectAltSetting(int altSetting) throws TransportException;

    /**
     * A class request, device-to-host (bmRequestType 0xA1).
     *
     * @param request the bRequest, e.g. 3 for DFU_GETSTATUS
     * @param value   the wValue, 0..0xFFFF (the block number of an UPLOAD)
     * @param length  the wLength, the most bytes the device may send, 0..0xFFFF
     * @param timeout how long the transfer may take
     * @return the bytes the device sent, at most {@code length}
     * @throws TransportException when the transfer fails; its {@link TransportException#kind()} says how
     *        ({@code STALL} when the device refuses, {@code TIMEOUT}, {@code NO_DEVICE}, ...)
     */
    byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException;

    /**
     * A class request, host-to-device (bmRequestType 0x21), with {@code data} as the data stage.
     *
     * @param request the bRequest, e.g. 1 for DFU_DNLOAD
     * @param value   the wValue, 0..0xFFFF (the block number of a DNLOAD)
     * @param data    the data stage, possibly empty (its length is wLength)
     * @param timeout how long the transfer may take
     * @throws TransportException when the transfer fails; its {@link TransportException#kind()} says how
     */
    void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException;

    /**
     * A string descriptor in the device's first language; tolerant of truncated ROM strings.
     *
     * @param index the string index, 1..255 (0 is the language table)
     * @return the string, possibly cut short where a ROM truncates it
     * @throws TransportException when the device refuses or is gone
     */
    String stringDescriptor(int index) throws TransportException;

    /**
     * A USB port reset of the device. The device may re-enumerate and this transport become unusable.
     *
     * @throws TransportException when the reset fails; a {@code NO_DEVICE} here usually means the device
     *        already left the bus, as a reset makes it do
     */
    void reset() throws TransportException;

    /**
     * The clock the protocol waits on between requests (bwPollTimeout). Real transports use the
     * system clock; simulated devices supply a virtual clock so that a 30-second mass erase takes no
     * wall time in tests.
     *
     * @return the clock, by default {@link TimeSource#system()}
     */
    default TimeSource time() {
        return TimeSource.system();
    }

    /**
     * Where this device is plugged in: what finds it again after it left the bus (leave, option-byte
     * write, reset, disconnect), by its port rather than its serial, and says what is there now. The
     * port remembers this transport's enumeration; see {@link DevicePort#awaitDfu}.
     *
     * <p>The default cannot look at the bus: its methods throw {@link TransportException.Kind#NOT_SUPPORTED}.
     *
     * @return the port, by default one that cannot look at the bus
     */
    default DevicePort port() {
        return DevicePort.unsupported(device().path(), time(), "this transport cannot look for the device at its port");
    }

    /** Releases the interface and the device. Idempotent. */
    @Override
    void close();
}
