package io.github.dfu4j.usbvm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The user-space ABI of Linux's raw_gadget driver ({@code include/uapi/linux/usb/raw_gadget.h}):
 * ioctl numbers, struct layouts and constants, for x86-64 (little endian, generic ioctl layout).
 * Only the endpoint-0 part is here: a DFU device in DFU mode has no other endpoint.
 */
public final class RawGadgetAbi {

    /** The ioctl type character of raw_gadget. */
    static final char TYPE = 'U';

    /** {@code UDC_NAME_LENGTH_MAX}: size of each name field of {@code struct usb_raw_init}. */
    public static final int UDC_NAME_LENGTH = 128;
    /** {@code sizeof(struct usb_raw_init)}: two names and a one-byte speed, no padding. */
    public static final int INIT_STRUCT_SIZE = 2 * UDC_NAME_LENGTH + 1;
    /** {@code sizeof(struct usb_raw_event)}: u32 type, u32 length, then the flexible data array. */
    public static final int EVENT_HEADER_SIZE = 8;
    /** {@code sizeof(struct usb_raw_ep_io)}: u16 ep, u16 flags, u32 length, then the data. */
    public static final int EP_IO_HEADER_SIZE = 8;
    /** {@code sizeof(struct usb_ctrlrequest)}. */
    public static final int SETUP_PACKET_SIZE = 8;
    /** {@code USB_RAW_IO_FLAGS_ZERO}: end an IN data stage that is a multiple of the packet size with a zero-length packet. */
    public static final int IO_FLAGS_ZERO = 0x0001;

    public static final long IOCTL_INIT = Ioctl.write(TYPE, 0, INIT_STRUCT_SIZE);
    public static final long IOCTL_RUN = Ioctl.none(TYPE, 1);
    public static final long IOCTL_EVENT_FETCH = Ioctl.read(TYPE, 2, EVENT_HEADER_SIZE);
    public static final long IOCTL_EP0_WRITE = Ioctl.write(TYPE, 3, EP_IO_HEADER_SIZE);
    public static final long IOCTL_EP0_READ = Ioctl.readWrite(TYPE, 4, EP_IO_HEADER_SIZE);
    public static final long IOCTL_CONFIGURE = Ioctl.none(TYPE, 9);
    /** Argument: the current in units of 2 mA (the driver passes {@code 2 * value} mA to the UDC), like bMaxPower. */
    public static final long IOCTL_VBUS_DRAW = Ioctl.write(TYPE, 10, 4);
    public static final long IOCTL_EP0_STALL = Ioctl.none(TYPE, 12);

    /** {@code enum usb_device_speed} values accepted by USB_RAW_IOCTL_INIT. */
    public enum Speed {
        LOW(1), FULL(2), HIGH(3);

        private final int code;

        Speed(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private RawGadgetAbi() {
    }

    /**
     * The bytes of {@code struct usb_raw_init}.
     *
     * @throws IllegalArgumentException when a name does not fit (the kernel needs a terminating NUL)
     */
    public static byte[] initStruct(String driverName, String deviceName, Speed speed) {
        byte[] out = new byte[INIT_STRUCT_SIZE];
        putName(out, 0, "driver", driverName);
        putName(out, UDC_NAME_LENGTH, "device", deviceName);
        out[2 * UDC_NAME_LENGTH] = (byte) speed.code();
        return out;
    }

    private static void putName(byte[] out, int offset, String what, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= UDC_NAME_LENGTH) {
            throw new IllegalArgumentException("UDC " + what + " name must be 1.." + (UDC_NAME_LENGTH - 1) + " bytes: '" + name + "'");
        }
        System.arraycopy(bytes, 0, out, offset, bytes.length);
    }

    /** The bytes of {@code struct usb_raw_ep_io} for endpoint 0 followed by {@code data}. */
    public static byte[] ep0Io(int flags, byte[] data, int length) {
        ByteBuffer b = ByteBuffer.allocate(EP_IO_HEADER_SIZE + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) flags).putInt(length);
        if (data != null) {
            b.put(data, 0, Math.min(data.length, length));
        }
        return b.array();
    }

    /**
     * Decodes {@code struct usb_raw_event} as filled by USB_RAW_IOCTL_EVENT_FETCH.
     *
     * @param raw header plus up to {@link #SETUP_PACKET_SIZE} data bytes
     * @throws IllegalArgumentException when a CONTROL event carries fewer than 8 setup bytes
     */
    public static RawGadgetEvent decodeEvent(byte[] raw) {
        if (raw.length < EVENT_HEADER_SIZE) {
            throw new IllegalArgumentException("raw_gadget event: " + raw.length + " bytes, need at least " + EVENT_HEADER_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getInt(0);
        int length = b.getInt(4);
        RawGadgetEvent.Kind kind = RawGadgetEvent.Kind.of(type);
        if (kind != RawGadgetEvent.Kind.CONTROL) {
            return new RawGadgetEvent(kind, type, null);
        }
        if (length < SETUP_PACKET_SIZE || raw.length < EVENT_HEADER_SIZE + SETUP_PACKET_SIZE) {
            throw new IllegalArgumentException("raw_gadget CONTROL event at offset 4: length " + length
                    + ", need " + SETUP_PACKET_SIZE + " setup bytes");
        }
        return new RawGadgetEvent(kind, type, SetupPacket.parse(raw, EVENT_HEADER_SIZE));
    }
}
