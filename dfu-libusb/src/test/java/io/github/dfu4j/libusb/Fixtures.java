package io.github.dfu4j.libusb;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Descriptor bytes of real devices, rebuilt from their lsusb dumps (docs/reference/dfu.md §2.1, docs/reference/mboot.md §5.1). */
final class Fixtures {
    private Fixtures() {
    }

    /** STM32F4 ROM layout strings, older bootloader (alt 0..3, iInterface 4..7). */
    static final List<String> F4_LAYOUTS = List.of(
            "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
            "@Option Bytes  /0x1FFFC000/01*016 g",
            "@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
            "@Device Feature/0xFFFF0000/01*004 g");

    static byte[] deviceDescriptor(int bcdUsb, int vid, int pid, int bcdDevice, int numConfigs) {
        return new byte[] {18, 1, (byte) bcdUsb, (byte) (bcdUsb >> 8), 0, 0, 0, 64, (byte) vid, (byte) (vid >> 8),
            (byte) pid, (byte) (pid >> 8), (byte) bcdDevice, (byte) (bcdDevice >> 8), 1, 2, 3, (byte) numConfigs};
    }

    static byte[] functional(int attributes, int detach, int transfer, int version) {
        return new byte[] {9, 0x21, (byte) attributes, (byte) detach, (byte) (detach >> 8), (byte) transfer,
            (byte) (transfer >> 8), (byte) version, (byte) (version >> 8)};
    }

    static byte[] iface(int number, int alt, int cls, int sub, int proto, int iInterface, int endpoints) {
        return new byte[] {9, 4, (byte) number, (byte) alt, (byte) endpoints, (byte) cls, (byte) sub, (byte) proto,
            (byte) iInterface};
    }

    static byte[] endpoint(int address) {
        return new byte[] {7, 5, (byte) address, 2, 64, 0, 0};
    }

    /** A configuration: the header is computed (wTotalLength, bNumInterfaces given), then the parts. */
    static byte[] config(int numInterfaces, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int total = 9 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {9, 2, (byte) total, (byte) (total >> 8), (byte) numInterfaces, 1, 0, (byte) 0xC0,
            0x32});
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** STM32F4-Discovery ROM: one interface, 4 alt settings, functional descriptor after the last one. */
    static byte[] f4RomConfig() {
        return config(1,
                iface(0, 0, 0xFE, 1, 2, 4, 0),
                iface(0, 1, 0xFE, 1, 2, 5, 0),
                iface(0, 2, 0xFE, 1, 2, 6, 0),
                iface(0, 3, 0xFE, 1, 2, 7, 0),
                functional(0x0B, 255, 2048, 0x011A));
    }

    static FakeUsbDevice f4Rom(String serial) {
        FakeUsbDevice d = new FakeUsbDevice("f4rom", deviceDescriptor(0x0100, 0x0483, 0xDF11, 0x2100, 1),
                f4RomConfig());
        d.string(1, "STMicroelectronics").string(2, "STM32  BOOTLOADER").string(3, serial);
        for (int i = 0; i < F4_LAYOUTS.size(); i++) {
            d.string(4 + i, F4_LAYOUTS.get(i));
        }
        return d;
    }

    /** MicroPython mboot: single alt setting, functional descriptor in the interface extra bytes. */
    static FakeUsbDevice mboot() {
        FakeUsbDevice d = new FakeUsbDevice("mboot", deviceDescriptor(0x0200, 0x0483, 0xDF11, 0x0300, 1),
                config(1, iface(0, 0, 0xFE, 1, 2, 4, 0), functional(0x0B, 255, 2048, 0x011A)));
        return d.string(1, "MicroPython").string(2, "Pyboard DFU").string(3, "2061376F5743")
                .string(4, "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x80000000/64*32Kg");
    }

    /**
     * A USB audio interface whose firmware offers a run-time DFU interface (interface 2), with the
     * functional descriptor between the configuration header and the first interface.
     */
    static FakeUsbDevice audioWithRuntimeDfu(int attributes) {
        FakeUsbDevice d = new FakeUsbDevice("audio", deviceDescriptor(0x0200, 0x1235, 0x8211, 0x0101, 1),
                config(3, functional(attributes, 1000, 1024, 0x0110),
                        iface(0, 0, 0x01, 0x01, 0, 0, 0),
                        iface(1, 0, 0x01, 0x02, 0, 0, 1), endpoint(0x81),
                        iface(2, 0, 0xFE, 0x01, 0x01, 4, 0)));
        return d.string(1, "Focusrite").string(2, "Scarlett 2i2").string(3, "Y8XXXXXX").string(4, "DFU runtime");
    }

    /** The DFU-mode personality a run-time device re-enumerates as (its own VID:PID). */
    static FakeUsbDevice audioBootloader() {
        FakeUsbDevice d = new FakeUsbDevice("audio-dfu", deviceDescriptor(0x0200, 0x1235, 0x8212, 0x0101, 1),
                config(1, iface(0, 0, 0xFE, 0x01, 0x02, 4, 0), functional(0x07, 1000, 1024, 0x0110)));
        return d.string(1, "Focusrite").string(2, "Scarlett DFU").string(3, "Y8XXXXXX").string(4, "firmware");
    }

    /** A keyboard (no DFU interface at all). */
    static FakeUsbDevice keyboard() {
        return new FakeUsbDevice("keyboard", deviceDescriptor(0x0200, 0x046D, 0xC31C, 0x6400, 1),
                config(1, iface(0, 0, 0x03, 0x01, 0x01, 0, 1), new byte[] {9, 0x21, 0x10, 0x01, 0, 1, 0x22, 0x41, 0},
                        endpoint(0x81)));
    }
}
