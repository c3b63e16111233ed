package io.github.dfu4j.dfu;

import io.github.dfu4j.dfu.internal.DfuseCommand;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionalDescriptorTest {

    @Test
    void parsesTheStm32F4RomDescriptor() throws Exception {
        // lsusb of an STM32F4 ROM: bmAttributes 0x0b, wDetachTimeOut 255, wTransferSize 2048, bcdDFU 1.1a
        byte[] raw = {0x09, 0x21, 0x0b, (byte) 0xff, 0x00, 0x00, 0x08, 0x1a, 0x01};
        FunctionalDescriptor d = FunctionalDescriptor.parse(raw, "alt 0");
        assertTrue(d.canDownload());
        assertTrue(d.canUpload());
        assertFalse(d.manifestationTolerant());
        assertTrue(d.willDetach());
        assertEquals(255, d.detachTimeoutMs());
        assertEquals(2048, d.transferSize());
        assertEquals(0x011A, d.bcdDfu());
        assertTrue(d.isDfuse());
        assertArrayEquals(raw, d.toBytes());
    }

    @Test
    void sevenByteDescriptorIsDfu10() throws Exception {
        byte[] raw = {0x07, 0x21, 0x05, 0x10, 0x00, 0x40, 0x00};
        FunctionalDescriptor d = FunctionalDescriptor.parse(raw, null);
        assertEquals(FunctionalDescriptor.BCD_DFU_1_0, d.bcdDfu());
        assertTrue(d.manifestationTolerant());
        assertFalse(d.canUpload());
        assertEquals(64, d.transferSize());
        assertFalse(d.isDfuse());
    }

    @Test
    void ignoresBytesBeyondBLength() throws Exception {
        byte[] raw = {0x09, 0x21, 0x0b, 0, 0, 0, 4, 0x10, 0x01, 0x55, 0x66};
        assertEquals(1024, FunctionalDescriptor.parse(raw, "x").transferSize());
    }

    @Test
    void rejectsWrongTypeTruncationAndAbsence() {
        assertTrue(protocol(assertThrows(DfuException.class,
                () -> FunctionalDescriptor.parse(new byte[] {9, 0x24, 0, 0, 0, 0, 0, 0, 0}, "cfg")))
                .getMessage().startsWith("cfg@0x0001: descriptor type 0x24"));
        assertTrue(protocol(assertThrows(DfuException.class,
                () -> FunctionalDescriptor.parse(new byte[] {9, 0x21, 0, 0, 0, 0, 0, 0x10}, "cfg")))
                .getMessage().contains("truncated"));
        assertTrue(protocol(assertThrows(DfuException.class,
                () -> FunctionalDescriptor.parse(new byte[] {5, 0x21, 0, 0, 0}, "cfg")))
                .getMessage().contains("bLength 5"));
        assertTrue(protocol(assertThrows(DfuException.class, () -> FunctionalDescriptor.parse(new byte[0], "dev")))
                .getMessage().contains("no DFU functional descriptor"));
        assertEquals(DfuException.Kind.PROTOCOL, assertThrows(DfuException.class, () -> FunctionalDescriptor.parse(new byte[] {9}, "dev")).kind());
    }

    @Test
    void dfuseCommandsEncodeAndDecode() {
        assertArrayEquals(new byte[] {0x21, 0x00, 0x40, 0x00, 0x08}, DfuseCommand.setAddress(0x08004000L).payload());
        assertArrayEquals(new byte[] {0x41, 0x00, 0x00, 0x10, 0x08}, DfuseCommand.erasePage(0x08100000L).payload());
        assertArrayEquals(new byte[] {0x41}, DfuseCommand.massErase().payload());
        assertArrayEquals(new byte[] {(byte) 0x92}, DfuseCommand.readUnprotect().payload());
        assertEquals(DfuseCommand.erasePage(0xFFFF_FFFFL), DfuseCommand.parse(DfuseCommand.erasePage(0xFFFF_FFFFL).payload()));
        assertEquals(DfuseCommand.massErase(), DfuseCommand.parse(new byte[] {0x41}));
        assertEquals(null, DfuseCommand.parse(new byte[] {0x41, 1, 2}));
        assertEquals(null, DfuseCommand.parse(new byte[] {0x55}));
        assertThrows(IllegalArgumentException.class, () -> DfuseCommand.setAddress(1L << 32));
    }

    private static DfuException protocol(DfuException e) {
        assertEquals(DfuException.Kind.PROTOCOL, e.kind(), e.getMessage());
        return e;
    }
}
