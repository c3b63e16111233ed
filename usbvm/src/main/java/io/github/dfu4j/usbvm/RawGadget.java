package io.github.dfu4j.usbvm;

import java.io.Closeable;

/**
 * Endpoint 0 of a USB device controller driven from user space through {@code /dev/raw-gadget}.
 * One method per ioctl the bridge uses; {@link JnaRawGadget} is the real one, tests use a fake.
 * Closing it unregisters the gadget: the device disappears from the bus.
 */
public interface RawGadget extends Closeable {

    /** USB_RAW_IOCTL_INIT: binds to UDC {@code deviceName} of driver {@code driverName}. */
    void init(String driverName, String deviceName, RawGadgetAbi.Speed speed) throws RawGadgetException;

    /** USB_RAW_IOCTL_RUN: the device connects to the bus. */
    void run() throws RawGadgetException;

    /** USB_RAW_IOCTL_EVENT_FETCH: blocks until the next event. */
    RawGadgetEvent fetchEvent() throws RawGadgetException;

    /**
     * USB_RAW_IOCTL_EP0_WRITE: sends the IN data stage of the pending request and waits until the
     * host has taken it.
     *
     * @param zeroLengthPacket end the stage with a zero-length packet (a short reply whose length is
     *                         a multiple of the packet size)
     */
    void ep0Write(byte[] data, boolean zeroLengthPacket) throws RawGadgetException;

    /**
     * USB_RAW_IOCTL_EP0_READ: receives the OUT data stage of the pending request ({@code length}
     * bytes), or with {@code length} 0 acknowledges a request that has no data stage.
     */
    byte[] ep0Read(int length) throws RawGadgetException;

    /** USB_RAW_IOCTL_EP0_STALL: stalls the pending request. */
    void ep0Stall() throws RawGadgetException;

    /** USB_RAW_IOCTL_CONFIGURE: tells the UDC the device is configured. */
    void configure() throws RawGadgetException;

    /** USB_RAW_IOCTL_VBUS_DRAW, in units of 2 mA (bMaxPower). */
    void vbusDraw(int twoMilliampUnits) throws RawGadgetException;

    @Override
    void close();
}
