package io.github.dfu4j.libusb.spi;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A configuration (USB 2.0 §9.6.3) as libusb presents it: the header fields, the extra descriptors
 * between the configuration header and the first interface (some DFU devices put the functional
 * descriptor there), and every interface alternate setting in order.
 *
 * @param configurationValue bConfigurationValue
 * @param configurationIndex iConfiguration
 * @param attributes         bmAttributes
 * @param maxPower           bMaxPower (units of 2 mA or 8 mA)
 * @param extra              extra descriptor bytes after the header, never null; defensively copied
 * @param altSettings        every interface alternate setting, in descriptor order
 */
public record ConfigurationDescriptor(int configurationValue, int configurationIndex, int attributes,
                                      int maxPower, byte[] extra, List<InterfaceAltDescriptor> altSettings) {

    public static final int TYPE = 0x02;
    static final int INTERFACE_TYPE = 0x04;
    static final int ENDPOINT_TYPE = 0x05;

    public ConfigurationDescriptor {
        extra = extra.clone();
        altSettings = List.copyOf(altSettings);
    }

    @Override
    public byte[] extra() {
        return extra.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigurationDescriptor c && c.configurationValue == configurationValue
                && c.configurationIndex == configurationIndex && c.attributes == attributes
                && c.maxPower == maxPower && Arrays.equals(c.extra, extra) && c.altSettings.equals(altSettings);
    }

    @Override
    public int hashCode() {
        return 31 * configurationValue + altSettings.hashCode();
    }

    /**
     * Parses a whole configuration as GET_DESCRIPTOR(CONFIGURATION) returns it (header, then
     * interface, endpoint and class-specific descriptors), grouping the bytes the way libusb does:
     * descriptors between the header and the first interface are the configuration's extra bytes,
     * those between an interface and its first endpoint are the interface's extra bytes, and
     * those after an endpoint belong to that endpoint (and are not kept here).
     *
     * @param raw    the descriptor bytes; only the first wTotalLength bytes are read
     * @param source names the bytes in error messages (device, file)
     * @throws DescriptorFormatException on a bLength that is too small or runs past the data
     */
    public static ConfigurationDescriptor parse(byte[] raw, String source) throws DescriptorFormatException {
        if (raw.length < 9) {
            throw new DescriptorFormatException(source, raw.length,
                    "configuration descriptor needs at least 9 bytes, got " + raw.length);
        }
        if ((raw[1] & 0xFF) != TYPE) {
            throw new DescriptorFormatException(source, 1,
                    String.format("bDescriptorType 0x%02x is not CONFIGURATION (0x02)", raw[1] & 0xFF));
        }
        int headerLength = raw[0] & 0xFF;
        if (headerLength < 9) {
            throw new DescriptorFormatException(source, 0, "configuration bLength " + headerLength + " < 9");
        }
        int total = DeviceDescriptor.u16(raw, 2);
        if (total > raw.length) {
            throw new DescriptorFormatException(source, 2,
                    "wTotalLength " + total + " exceeds the " + raw.length + " bytes available");
        }
        if (total < headerLength) {
            throw new DescriptorFormatException(source, 2, "wTotalLength " + total + " < bLength " + headerLength);
        }
        List<InterfaceAltDescriptor> alts = new ArrayList<>();
        byte[] configExtra = null;
        int pos = headerLength;
        int extraStart = pos;
        // the interface being collected: its header offset and where its extra bytes end
        int ifStart = -1;
        int ifExtraEnd = -1;
        while (pos < total) {
            if (total - pos < 2) {
                throw new DescriptorFormatException(source, pos, "1 stray byte after the last descriptor");
            }
            int len = raw[pos] & 0xFF;
            int type = raw[pos + 1] & 0xFF;
            if (len < 2) {
                throw new DescriptorFormatException(source, pos, "bLength " + len + " < 2");
            }
            if (len > total - pos) {
                throw new DescriptorFormatException(source, pos, "descriptor type 0x" + Integer.toHexString(type)
                        + " bLength " + len + " runs past wTotalLength " + total);
            }
            if (type == INTERFACE_TYPE) {
                if (len < 9) {
                    throw new DescriptorFormatException(source, pos, "interface bLength " + len + " < 9");
                }
                if (configExtra == null) {
                    configExtra = Arrays.copyOfRange(raw, extraStart, pos);
                }
                if (ifStart >= 0) {
                    alts.add(interfaceAt(raw, ifStart, ifExtraEnd < 0 ? pos : ifExtraEnd));
                }
                ifStart = pos;
                ifExtraEnd = -1;
            } else if (type == ENDPOINT_TYPE && ifStart >= 0 && ifExtraEnd < 0) {
                ifExtraEnd = pos;
            }
            pos += len;
        }
        if (configExtra == null) {
            configExtra = Arrays.copyOfRange(raw, extraStart, total);
        }
        if (ifStart >= 0) {
            alts.add(interfaceAt(raw, ifStart, ifExtraEnd < 0 ? total : ifExtraEnd));
        }
        return new ConfigurationDescriptor(raw[5] & 0xFF, raw[6] & 0xFF, raw[7] & 0xFF, raw[8] & 0xFF,
                configExtra, alts);
    }

    private static InterfaceAltDescriptor interfaceAt(byte[] raw, int at, int extraEnd) {
        int len = raw[at] & 0xFF;
        return new InterfaceAltDescriptor(raw[at + 2] & 0xFF, raw[at + 3] & 0xFF, raw[at + 5] & 0xFF,
                raw[at + 6] & 0xFF, raw[at + 7] & 0xFF, raw[at + 8] & 0xFF, raw[at + 4] & 0xFF,
                Arrays.copyOfRange(raw, at + len, extraEnd));
    }
}
