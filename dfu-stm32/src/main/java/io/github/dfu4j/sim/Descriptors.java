package io.github.dfu4j.sim;

import io.github.dfu4j.stm32.internal.DfuRom;
import io.github.dfu4j.stm32.internal.UsbIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The USB descriptors of a DfuSe bootloader in DFU mode, as bytes (USB 2.0 §9.6, DFU 1.1 §4.2,
 * docs/reference/dfu.md §1.5, §2.1, docs/reference/mboot.md §5.1): device descriptor with class 0/0/0 (DFU 1.1 DFU mode), one
 * configuration with one interface and every alternate setting (class FE/01, protocol 02, no
 * endpoints, iInterface 4 + alt), then the 9-byte DFU functional descriptor.
 */
final class Descriptors {
    static final int I_MANUFACTURER = 1;
    static final int I_PRODUCT = 2;
    static final int I_SERIAL = 3;
    static final int I_FIRST_INTERFACE = 4;
    /** Microsoft OS string descriptor index (mboot answers it: "MSFT100", vendor code 0x42). */
    static final int I_MS_OS = 0xEE;

    private final byte[] device;
    private final byte[] configuration;
    private final byte[] functional;
    private final Map<Integer, byte[]> strings = new TreeMap<>();

    Descriptors(UsbIdentity usb, String serial, List<String> interfaceStrings, int transferSize,
                Map<Integer, String> extraStrings, boolean msOsDescriptor) {
        this(usb, serial, interfaceStrings, transferSize, extraStrings, msOsDescriptor, DfuRom.ATTRIBUTES_ST, 255,
                DfuRom.BCD_DFUSE);
    }

    /**
     * With the functional descriptor's bmAttributes, wDetachTimeOut and bcdDFUVersion given (a plain DFU 1.1
     * bootloader reports 0x0110 and its own attributes, DFU 1.1 §4.1.3 table 4.2).
     */
    Descriptors(UsbIdentity usb, String serial, List<String> interfaceStrings, int transferSize,
                Map<Integer, String> extraStrings, boolean msOsDescriptor, int dfuAttributes, int detachTimeoutMs, int bcdDfu) {
        device = new byte[] {18, 1, lo(usb.bcdUsb()), hi(usb.bcdUsb()), 0, 0, 0, 64,
                lo(usb.vendorId()), hi(usb.vendorId()), lo(usb.productId()), hi(usb.productId()),
                lo(usb.bcdDevice()), hi(usb.bcdDevice()), I_MANUFACTURER, I_PRODUCT, I_SERIAL, 1};
        functional = new byte[] {9, 0x21, (byte) dfuAttributes, lo(detachTimeoutMs), hi(detachTimeoutMs), lo(transferSize),
                hi(transferSize), lo(bcdDfu), hi(bcdDfu)};
        int alts = interfaceStrings.size();
        int total = 9 + 9 * alts + functional.length;
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        // bmAttributes 0xC0 (self-powered), bMaxPower 0x32 = 100 mA ([O] R2, [V] R3)
        c.writeBytes(new byte[] {9, 2, lo(total), hi(total), 1, 1, (byte) usb.iConfiguration(), (byte) 0xC0, 0x32});
        for (int alt = 0; alt < alts; alt++) {
            c.writeBytes(new byte[] {9, 4, 0, (byte) alt, 0, (byte) 0xFE, 1, 2, (byte) (I_FIRST_INTERFACE + alt)});
        }
        c.writeBytes(functional);
        configuration = c.toByteArray();

        strings.put(0, new byte[] {4, 3, 0x09, 0x04});
        strings.put(I_MANUFACTURER, string(usb.manufacturer()));
        strings.put(I_PRODUCT, string(usb.product()));
        strings.put(I_SERIAL, string(serial));
        for (int alt = 0; alt < alts; alt++) {
            strings.put(I_FIRST_INTERFACE + alt, string(interfaceStrings.get(alt)));
        }
        extraStrings.forEach((index, text) -> strings.put(index, string(text)));
        if (msOsDescriptor) {
            byte[] s = string("MSFT100");
            byte[] withVendorCode = new byte[s.length + 2];
            System.arraycopy(s, 0, withVendorCode, 0, s.length);
            withVendorCode[0] = (byte) withVendorCode.length;
            withVendorCode[s.length] = 0x42;
            strings.put(I_MS_OS, withVendorCode);
        }
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >> 8);
    }

    static byte[] string(String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
        if (utf16.length + 2 > 255) {
            throw new IllegalArgumentException("string too long for a descriptor: " + text);
        }
        byte[] d = new byte[utf16.length + 2];
        d[0] = (byte) d.length;
        d[1] = 3;
        System.arraycopy(utf16, 0, d, 2, utf16.length);
        return d;
    }

    /** Text of a string descriptor (bLength, 0x03, UTF-16LE). */
    static String decode(byte[] descriptor) {
        int len = Math.min(descriptor.length, descriptor[0] & 0xFF);
        return new String(descriptor, 2, Math.max(0, len - 2) & ~1, StandardCharsets.UTF_16LE);
    }

    byte[] device() {
        return device.clone();
    }

    byte[] configuration() {
        return configuration.clone();
    }

    byte[] functional() {
        return functional.clone();
    }

    byte[] string(int index) {
        byte[] s = strings.get(index);
        return s == null ? null : s.clone();
    }
}
