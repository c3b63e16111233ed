package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RawGadgetAbiTest {

    @Test
    void initStructHoldsNulTerminatedNamesAndTheSpeed() {
        byte[] s = RawGadgetAbi.initStruct("dummy_udc", "dummy_udc.0", RawGadgetAbi.Speed.FULL);
        assertEquals(257, s.length);
        assertEquals("dummy_udc", new String(s, 0, 9, StandardCharsets.US_ASCII));
        assertEquals(0, s[9]);
        assertEquals("dummy_udc.0", new String(s, 128, 11, StandardCharsets.US_ASCII));
        assertEquals(0, s[128 + 11]);
        assertEquals(2, s[256]);
        assertEquals(3, RawGadgetAbi.initStruct("a", "b", RawGadgetAbi.Speed.HIGH)[256]);
    }

    @Test
    void initStructRejectsNamesWithoutRoomForTheNul() {
        String tooLong = "x".repeat(128);
        assertThrows(IllegalArgumentException.class, () -> RawGadgetAbi.initStruct(tooLong, "d", RawGadgetAbi.Speed.FULL));
        assertThrows(IllegalArgumentException.class, () -> RawGadgetAbi.initStruct("d", "", RawGadgetAbi.Speed.FULL));
        assertEquals(257, RawGadgetAbi.initStruct("x".repeat(127), "d", RawGadgetAbi.Speed.FULL).length);
    }

    @Test
    void ep0IoIsLittleEndianHeaderThenData() {
        byte[] io = RawGadgetAbi.ep0Io(RawGadgetAbi.IO_FLAGS_ZERO, new byte[] {7, 8, 9}, 3);
        assertArrayEquals(new byte[] {0, 0, 1, 0, 3, 0, 0, 0, 7, 8, 9}, io);
        byte[] read = RawGadgetAbi.ep0Io(0, null, 0x0800);
        assertEquals(8 + 2048, read.length);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 8, 0, 0}, Arrays.copyOf(read, 8));
    }

    @Test
    void decodesControlEvents() {
        byte[] raw = {2, 0, 0, 0, 8, 0, 0, 0, (byte) 0xa1, 3, 0, 0, 0, 0, 6, 0};
        RawGadgetEvent e = RawGadgetAbi.decodeEvent(raw);
        assertEquals(RawGadgetEvent.Kind.CONTROL, e.kind());
        assertEquals(new SetupPacket(0xa1, 3, 0, 0, 6), e.setup());
    }

    @Test
    void decodesConnectAndEventsOfNewerKernels() {
        assertEquals(RawGadgetEvent.Kind.CONNECT, RawGadgetAbi.decodeEvent(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}).kind());
        assertEquals(RawGadgetEvent.Kind.RESET, RawGadgetAbi.decodeEvent(new byte[] {5, 0, 0, 0, 0, 0, 0, 0}).kind());
        assertEquals(RawGadgetEvent.Kind.DISCONNECT, RawGadgetAbi.decodeEvent(new byte[] {6, 0, 0, 0, 0, 0, 0, 0}).kind());
        RawGadgetEvent unknown = RawGadgetAbi.decodeEvent(new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(RawGadgetEvent.Kind.UNKNOWN, unknown.kind());
        assertEquals(42, unknown.code());
        assertNull(unknown.setup());
    }

    @Test
    void rejectsTruncatedEvents() {
        assertThrows(IllegalArgumentException.class, () -> RawGadgetAbi.decodeEvent(new byte[] {2, 0, 0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawGadgetAbi.decodeEvent(new byte[] {2, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
    }

    @Test
    void setupPacketParsesAndClassifies() {
        SetupPacket s = SetupPacket.parse(new byte[] {0, 0, 0x21, 1, 2, 0, 0, 0, 0, 8}, 2);
        assertEquals(new SetupPacket(0x21, 1, 2, 0, 0x0800), s);
        assertTrue(!s.isIn() && s.type() == SetupPacket.TYPE_CLASS && s.recipient() == SetupPacket.RECIPIENT_INTERFACE);
        assertTrue(new SetupPacket(0x80, 6, 0x0100, 0, 18).isIn());
        assertThrows(IllegalArgumentException.class, () -> SetupPacket.parse(new byte[7], 0));
        assertThrows(IllegalArgumentException.class, () -> new SetupPacket(0x100, 0, 0, 0, 0));
    }
}
