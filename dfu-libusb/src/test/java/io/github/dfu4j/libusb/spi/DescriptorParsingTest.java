package io.github.dfu4j.libusb.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DescriptorParsingTest {

    /** STM32F4 ROM configuration as the device sends it (wTotalLength 0x36, docs/reference/dfu.md §2.1). */
    static final byte[] F4_CONFIG = HexFormat.of().parseHex(
            "09023600010100c032"
            + "0904000000fe010204"
            + "0904000100fe010205"
            + "0904000200fe010206"
            + "0904000300fe010207"
            + "09210bff0000081a01");

    @Test
    void parsesTheF4RomConfigurationLikeLibusb() throws Exception {
        ConfigurationDescriptor c = ConfigurationDescriptor.parse(F4_CONFIG, "F4 ROM");
        assertEquals(1, c.configurationValue());
        assertEquals(0xC0, c.attributes());
        assertEquals(0x32, c.maxPower());
        assertEquals(0, c.extra().length, "nothing between the header and the first interface");
        assertEquals(4, c.altSettings().size());
        for (int alt = 0; alt < 4; alt++) {
            InterfaceAltDescriptor a = c.altSettings().get(alt);
            assertEquals(0, a.interfaceNumber());
            assertEquals(alt, a.alternateSetting());
            assertEquals(4 + alt, a.interfaceIndex());
            assertEquals(2, a.interfaceProtocol());
            assertTrue(a.isDfu());
        }
        // libusb puts the descriptors after an interface into that interface's extra bytes
        assertEquals(0, c.altSettings().get(0).extra().length);
        assertArrayEquals(HexFormat.of().parseHex("09210bff0000081a01"), c.altSettings().get(3).extra());
    }

    @Test
    void descriptorsBeforeTheFirstInterfaceAreConfigurationExtra() throws Exception {
        byte[] raw = HexFormat.of().parseHex("09021b00010100c032" + "09210bff0000081a01" + "0904000000fe010204");
        ConfigurationDescriptor c = ConfigurationDescriptor.parse(raw, "x");
        assertArrayEquals(HexFormat.of().parseHex("09210bff0000081a01"), c.extra());
        assertEquals(0, c.altSettings().get(0).extra().length);
    }

    @Test
    void descriptorsAfterAnEndpointAreNotInterfaceExtra() throws Exception {
        byte[] raw = HexFormat.of().parseHex("09022700010100c032" + "090400000103000000" + "0921100100012241" + "00"
                + "07058102400000" + "0524000110");
        ConfigurationDescriptor c = ConfigurationDescriptor.parse(raw, "x");
        assertEquals(9, c.altSettings().get(0).extra().length);
    }

    @Test
    void rejectsAZeroBLengthWithItsOffset() {
        byte[] raw = Arrays.copyOf(F4_CONFIG, F4_CONFIG.length);
        raw[18] = 0;
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> ConfigurationDescriptor.parse(raw, "config of 0483:df11"));
        assertEquals(18, e.offset());
        assertEquals("config of 0483:df11: offset 18: bLength 0 < 2", e.getMessage());
    }

    @Test
    void rejectsATotalLengthBeyondTheBytes() {
        byte[] raw = Arrays.copyOf(F4_CONFIG, 40);
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> ConfigurationDescriptor.parse(raw, "short"));
        assertEquals(2, e.offset());
        assertTrue(e.getMessage().contains("wTotalLength 54 exceeds the 40 bytes available"), e.getMessage());
    }

    @Test
    void rejectsADescriptorRunningPastTheTotalLength() {
        byte[] raw = Arrays.copyOf(F4_CONFIG, F4_CONFIG.length);
        raw[45] = 20;
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> ConfigurationDescriptor.parse(raw, "x"));
        assertEquals(45, e.offset());
    }

    @Test
    void rejectsAShortInterfaceDescriptor() {
        byte[] raw = HexFormat.of().parseHex("09021000010100c032" + "07040000000000");
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> ConfigurationDescriptor.parse(raw, "x"));
        assertEquals(9, e.offset());
    }

    @Test
    void rejectsAnotherDescriptorType() {
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> ConfigurationDescriptor.parse(HexFormat.of().parseHex("120100020000004083041"
                        + "1df002201020301"), "x"));
        assertEquals(1, e.offset());
    }

    @Test
    void deviceDescriptorRoundTrips() throws Exception {
        byte[] raw = HexFormat.of().parseHex("120100010000004083041 1df002101020301".replace(" ", ""));
        DeviceDescriptor d = DeviceDescriptor.parse(raw, "F4 ROM");
        assertEquals(0x0483, d.vendorId());
        assertEquals(0xDF11, d.productId());
        assertEquals(0x2100, d.bcdDevice());
        assertEquals(0x0100, d.bcdUsb());
        assertEquals(64, d.maxPacketSize0());
        assertEquals(3, d.serialNumberIndex());
        assertArrayEquals(raw, d.toBytes());
    }

    @Test
    void deviceDescriptorNeeds18Bytes() {
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> DeviceDescriptor.parse(new byte[] {18, 1, 0}, "dev"));
        assertEquals("dev: offset 3: device descriptor needs 18 bytes, got 3", e.getMessage());
    }

    @Test
    void pathFormatIsBusDashPortsDotted() {
        assertEquals("1-2.3", UsbDeviceRef.path(1, java.util.List.of(2, 3)));
        assertEquals("3-1", UsbDeviceRef.path(3, java.util.List.of(1)));
        assertEquals("2-0", UsbDeviceRef.path(2, java.util.List.of()));
    }
}
