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

    /** Identity of the opened device. */
    DeviceInfo device();

    /** bInterfaceNumber of the DFU interface this transport talks to. */
    int interfaceNumber();

    /** The DFU interface's alternate settings with their names (iInterface strings), in order. */
    List<AltSetting> altSettings();

    /**
     * The raw DFU functional descriptor (bDescriptorType 0x21, 7 or 9 bytes) as the transport found
     * it (configuration or interface extra bytes, or GET_DESCRIPTOR), or an empty array when the
     * device has none.
     */
    byte[] functionalDescriptor();

    /** SET_INTERFACE to the given alternate setting of the DFU interface. */
    void selectAltSetting(int altSetting) throws TransportException;

    /**
     * A class request, device-to-host (bmRequestType 0xA1).
     *
     * @return the bytes the device sent, at most {@code length}
     */
    byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException;

    /** A class request, host-to-device (bmRequestType 0x21), with {@code data} as the data stage. */
    void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException;

    /** A string descriptor in the device's first language; tolerant of truncated ROM strings. */
    String stringDescriptor(int index) throws TransportException;

    /** A USB port reset of the device. The device may re-enumerate and this transport become unusable. */
    void reset() throws TransportException;

    /**
     * The clock the protocol waits on between requests (bwPollTimeout). Real transports use the
     * system clock; simulated devices supply a virtual clock so that a 30-second mass erase takes no
     * wall time in tests.
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
     */
    default DevicePort port() {
        return DevicePort.unsupported(device().path(), time(), "this transport cannot look for the device at its port");
    }

    /** Releases the interface and the device. Idempotent. */
    @Override
    void close();
}
