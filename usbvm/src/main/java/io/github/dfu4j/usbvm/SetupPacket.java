package io.github.dfu4j.usbvm;

/**
 * The 8-byte SETUP packet of a control transfer ({@code struct usb_ctrlrequest}).
 *
 * @param requestType bmRequestType: direction (bit 7), type (bits 5-6), recipient (bits 0-4)
 * @param request     bRequest
 * @param value       wValue
 * @param index       wIndex
 * @param length      wLength: size of the data stage
 */
public record SetupPacket(int requestType, int request, int value, int index, int length) {

    public static final int TYPE_STANDARD = 0x00;
    public static final int TYPE_CLASS = 0x20;
    public static final int TYPE_VENDOR = 0x40;
    public static final int RECIPIENT_DEVICE = 0;
    public static final int RECIPIENT_INTERFACE = 1;

    public SetupPacket {
        check("bmRequestType", requestType, 0xFF);
        check("bRequest", request, 0xFF);
        check("wValue", value, 0xFFFF);
        check("wIndex", index, 0xFFFF);
        check("wLength", length, 0xFFFF);
    }

    private static void check(String field, int v, int max) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(field + " out of range: " + v);
        }
    }

    /** Reads the little-endian packet at {@code offset}. */
    public static SetupPacket parse(byte[] b, int offset) {
        if (offset < 0 || b.length - offset < RawGadgetAbi.SETUP_PACKET_SIZE) {
            throw new IllegalArgumentException("setup packet at offset " + offset + ": only " + Math.max(0, b.length - offset)
                    + " of 8 bytes");
        }
        return new SetupPacket(b[offset] & 0xFF, b[offset + 1] & 0xFF, u16(b, offset + 2), u16(b, offset + 4), u16(b, offset + 6));
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    /** True when the data stage (if any) goes from device to host. */
    public boolean isIn() {
        return (requestType & 0x80) != 0;
    }

    /** bmRequestType bits 5-6: {@link #TYPE_STANDARD}, {@link #TYPE_CLASS} or {@link #TYPE_VENDOR}. */
    public int type() {
        return requestType & 0x60;
    }

    /** bmRequestType bits 0-4. */
    public int recipient() {
        return requestType & 0x1F;
    }

    public boolean isStandard() {
        return type() == TYPE_STANDARD;
    }

    @Override
    public String toString() {
        return String.format("%02x %02x %04x %04x %d", requestType, request, value, index, length);
    }
}
