package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;

/**
 * The standard device descriptor (USB 2.0 §9.6.1), 18 bytes, with every field widened to an
 * unsigned {@code int}.
 *
 * @param bcdUsb             USB release, e.g. 0x0200
 * @param deviceClass        bDeviceClass
 * @param deviceSubClass     bDeviceSubClass
 * @param deviceProtocol     bDeviceProtocol
 * @param maxPacketSize0     bMaxPacketSize0
 * @param vendorId           idVendor
 * @param productId          idProduct
 * @param bcdDevice          device release number
 * @param manufacturerIndex  iManufacturer
 * @param productIndex       iProduct
 * @param serialNumberIndex  iSerialNumber
 * @param numConfigurations  bNumConfigurations
 */
public record DeviceDescriptor(int bcdUsb, int deviceClass, int deviceSubClass, int deviceProtocol,
                               int maxPacketSize0, int vendorId, int productId, int bcdDevice,
                               int manufacturerIndex, int productIndex, int serialNumberIndex,
                               int numConfigurations) {

    public static final int LENGTH = 18;
    public static final int TYPE = 0x01;

    /** Parses the 18-byte wire form (little-endian words), as GET_DESCRIPTOR(DEVICE) returns it. */
    public static DeviceDescriptor parse(byte[] raw, String source) throws DescriptorFormatException {
        if (raw.length < LENGTH) {
            throw new DescriptorFormatException(source, raw.length,
                    "device descriptor needs " + LENGTH + " bytes, got " + raw.length);
        }
        if ((raw[0] & 0xFF) < LENGTH) {
            throw new DescriptorFormatException(source, 0, "device descriptor bLength " + (raw[0] & 0xFF) + " < 18");
        }
        if ((raw[1] & 0xFF) != TYPE) {
            throw new DescriptorFormatException(source, 1,
                    String.format("bDescriptorType 0x%02x is not DEVICE (0x01)", raw[1] & 0xFF));
        }
        return new DeviceDescriptor(u16(raw, 2), u8(raw, 4), u8(raw, 5), u8(raw, 6), u8(raw, 7),
                u16(raw, 8), u16(raw, 10), u16(raw, 12), u8(raw, 14), u8(raw, 15), u8(raw, 16), u8(raw, 17));
    }

    /** The 18-byte wire form; the inverse of {@link #parse}. */
    public byte[] toBytes() {
        return new byte[] {LENGTH, TYPE, (byte) bcdUsb, (byte) (bcdUsb >> 8), (byte) deviceClass,
            (byte) deviceSubClass, (byte) deviceProtocol, (byte) maxPacketSize0, (byte) vendorId,
            (byte) (vendorId >> 8), (byte) productId, (byte) (productId >> 8), (byte) bcdDevice,
            (byte) (bcdDevice >> 8), (byte) manufacturerIndex, (byte) productIndex, (byte) serialNumberIndex,
            (byte) numConfigurations};
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }
}
