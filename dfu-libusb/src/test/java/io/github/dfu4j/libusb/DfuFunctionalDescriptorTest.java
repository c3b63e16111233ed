package io.github.dfu4j.libusb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DfuFunctionalDescriptorTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void parsesTheStRomDescriptor() throws Exception {
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.parse(hex("09210bff0000081a01"), "F4");
        assertEquals(9, d.length());
        assertEquals(0x0B, d.attributes());
        assertTrue(d.canDownload());
        assertTrue(d.canUpload());
        assertFalse(d.manifestationTolerant());
        assertTrue(d.willDetach());
        assertEquals(255, d.detachTimeoutMillis());
        assertEquals(2048, d.transferSize());
        assertEquals(0x011A, d.dfuVersion());
        assertTrue(d.isDfuSe());
        assertEquals("DfuSe 1.1a, bmAttributes 0x0b (download, upload, will-detach), detach 255 ms, transfer 2048",
                d.describe());
        assertArrayEquals(hex("09210bff0000081a01"), d.toBytes());
    }

    @Test
    void sevenByteDfu10DescriptorHasNoVersion() throws Exception {
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.parse(hex("072107e8030004"), "dfu 1.0");
        assertEquals(7, d.length());
        assertEquals(1000, d.detachTimeoutMillis());
        assertEquals(1024, d.transferSize());
        assertEquals(0x0100, d.dfuVersion());
        assertTrue(d.manifestationTolerant());
        assertArrayEquals(hex("072107e8030004"), d.toBytes());
    }

    @Test
    void truncatedDescriptorIsReadAsFarAsItGoes() throws Exception {
        // bLength says 9 but the device stopped after wDetachTimeOut
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.parse(hex("09210bff00"), "truncated");
        assertEquals(5, d.length());
        assertEquals(255, d.detachTimeoutMillis());
        assertEquals(0, d.transferSize(), "unknown transfer size");
    }

    @Test
    void bytesBeyondBLengthAreIgnored() throws Exception {
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.parse(hex("09210bff0000081a01" + "0904"), "x");
        assertEquals(9, d.length());
    }

    @Test
    void rejectsOtherTypesAndStubs() {
        DescriptorFormatException e = assertThrows(DescriptorFormatException.class,
                () -> DfuFunctionalDescriptor.parse(hex("0904000000"), "dev 1-2"));
        assertEquals("dev 1-2: offset 1: bDescriptorType 0x04 is not the DFU functional descriptor (0x21)",
                e.getMessage());
        e = assertThrows(DescriptorFormatException.class, () -> DfuFunctionalDescriptor.parse(hex("0221"), "x"));
        assertEquals(0, e.offset());
        assertThrows(DescriptorFormatException.class, () -> DfuFunctionalDescriptor.parse(new byte[1], "x"));
    }

    @Test
    void findsTheDescriptorAmongOtherExtraDescriptors() {
        byte[] extra = hex("0524000110" + "09210bff0000081a01");
        assertArrayEquals(hex("09210bff0000081a01"), DfuFunctionalDescriptor.findIn(extra).orElseThrow());
    }

    @Test
    void findStopsAtAMalformedLengthAndClipsATruncatedDescriptor() {
        assertTrue(DfuFunctionalDescriptor.findIn(hex("0024" + "09210bff0000081a01")).isEmpty());
        assertArrayEquals(hex("09210b"), DfuFunctionalDescriptor.findIn(hex("09210b")).orElseThrow());
        assertTrue(DfuFunctionalDescriptor.findIn(new byte[0]).isEmpty());
    }

    @Test
    void mapIsJsonFriendly() throws Exception {
        var m = DfuFunctionalDescriptor.parse(hex("09210bff0000081a01"), "x").toMap();
        assertEquals("0x011a", m.get("dfuVersion"));
        assertEquals(2048, m.get("transferSize"));
        assertEquals(true, m.get("willDetach"));
    }
}
