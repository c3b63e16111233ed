package io.github.dfu4j.libusb.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The offsets dfu4j reads libusb's structs at. The 64-bit numbers are what gcc's offsetof printed
 * for libusb.h 1.0.26 on x86-64 Linux; the same natural-alignment rules hold for AArch64, Apple
 * arm64 and Windows x64 (LLP64 changes only {@code long}, which these structs do not use).
 */
class CStructLayoutTest {

    @Test
    void sixtyFourBitOffsetsMatchTheCCompiler() {
        LibusbLayouts l = LibusbLayouts.forPointerSize(8);
        assertEquals(40, l.config().size());
        assertEquals(2, l.config().offset("wTotalLength"));
        assertEquals(4, l.config().offset("bNumInterfaces"));
        assertEquals(8, l.config().offset("MaxPower"));
        assertEquals(16, l.config().offset("interface"));
        assertEquals(24, l.config().offset("extra"));
        assertEquals(32, l.config().offset("extra_length"));

        assertEquals(16, l.iface().size());
        assertEquals(0, l.iface().offset("altsetting"));
        assertEquals(8, l.iface().offset("num_altsetting"));

        assertEquals(40, l.altDesc().size());
        assertEquals(2, l.altDesc().offset("bInterfaceNumber"));
        assertEquals(8, l.altDesc().offset("iInterface"));
        assertEquals(16, l.altDesc().offset("endpoint"));
        assertEquals(24, l.altDesc().offset("extra"));
        assertEquals(32, l.altDesc().offset("extra_length"));

        assertEquals(32, l.endpoint().size());
        assertEquals(4, l.endpoint().offset("wMaxPacketSize"));
        assertEquals(6, l.endpoint().offset("bInterval"));
        assertEquals(8, l.endpoint().offset("bSynchAddress"));
        assertEquals(16, l.endpoint().offset("extra"));
        assertEquals(24, l.endpoint().offset("extra_length"));

        assertEquals(24, l.version().size());
        assertEquals(8, l.version().offset("rc"));
        assertEquals(16, l.version().offset("describe"));
    }

    @Test
    void thirtyTwoBitOffsetsFollowTheSameRules() {
        LibusbLayouts l = LibusbLayouts.forPointerSize(4);
        assertEquals(12, l.config().offset("interface"));
        assertEquals(16, l.config().offset("extra"));
        assertEquals(20, l.config().offset("extra_length"));
        assertEquals(24, l.config().size());
        assertEquals(8, l.iface().size());
        assertEquals(12, l.altDesc().offset("endpoint"));
        assertEquals(24, l.altDesc().size());
        assertEquals(16, l.version().size());
    }

    @Test
    void deviceDescriptorIsTheWireLayout() {
        CStructLayout d = CStructLayout.struct("libusb_device_descriptor", 8)
                .u8("bLength").u8("bDescriptorType").u16("bcdUSB").u8("bDeviceClass").u8("bDeviceSubClass")
                .u8("bDeviceProtocol").u8("bMaxPacketSize0").u16("idVendor").u16("idProduct").u16("bcdDevice")
                .u8("iManufacturer").u8("iProduct").u8("iSerialNumber").u8("bNumConfigurations").build();
        assertEquals(LibusbLayouts.DEVICE_DESCRIPTOR_SIZE, d.size());
        assertEquals(8, d.offset("idVendor"));
        assertEquals(12, d.offset("bcdDevice"));
        assertEquals(17, d.offset("bNumConfigurations"));
    }
}
