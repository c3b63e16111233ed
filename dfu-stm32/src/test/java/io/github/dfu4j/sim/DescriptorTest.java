package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DfuTransport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** USB descriptors as bytes, and the UsbControlEndpoint side a gadget bridge uses. */
class DescriptorTest {

    static Stream<String> ids() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("plain-dfu")); // plain DFU: PlainDfuPersonalityTest
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    @Test
    void f405DeviceDescriptorMatchesTheRom() {
        byte[] dev = SimulatedDevices.create("stm32f405").endpoint().deviceDescriptor();
        assertArrayEquals(new byte[] {18, 1, 0x00, 0x01, 0, 0, 0, 64, (byte) 0x83, 0x04, 0x11, (byte) 0xDF, 0x00, 0x22, 1, 2, 3, 1}, dev);
    }

    @Test
    void h743DeviceDescriptorAndConfigurationMatchTheH7Rom() {
        UsbControlEndpoint ep = SimulatedDevices.create("stm32h743").endpoint();
        byte[] dev = ep.deviceDescriptor();
        assertEquals(0x0200, u16(dev, 2), "bcdUSB 2.00");
        assertEquals(0x0200, u16(dev, 12), "bcdDevice 0x0200");
        byte[] cfg = ep.configurationDescriptor();
        assertEquals(2, cfg[6], "iConfiguration 2");
        assertEquals("DFU in FS Mode", Descriptors.decode(ep.stringDescriptor(2)));
        assertEquals("@Internal Flash   /0x08000000/16*128Kg", Descriptors.decode(ep.stringDescriptor(4)));
        assertEquals("@Option Bytes   /0x5200201C/01*128 e", Descriptors.decode(ep.stringDescriptor(5)));
        assertEquals(1024, u16(cfg, cfg.length - 4), "wTransferSize");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void configurationListsEveryAltSettingThenTheFunctionalDescriptor(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        DfuTransport t = d.connect();
        byte[] cfg = d.endpoint().configurationDescriptor();
        int alts = t.altSettings().size();
        assertEquals(9 + 9 * alts + 9, cfg.length);
        assertEquals(cfg.length, u16(cfg, 2), "wTotalLength");
        assertEquals(2, cfg[1]);
        assertEquals((byte) 0xC0, cfg[7]);
        for (int a = 0; a < alts; a++) {
            int o = 9 + 9 * a;
            assertArrayEquals(new byte[] {9, 4, 0, (byte) a, 0, (byte) 0xFE, 1, 2, (byte) (4 + a)}, java.util.Arrays.copyOfRange(cfg, o, o + 9));
            assertEquals(t.altSettings().get(a).name(), Descriptors.decode(d.endpoint().stringDescriptor(4 + a)));
            assertEquals(t.altSettings().get(a).name(), t.stringDescriptor(4 + a));
        }
        byte[] func = java.util.Arrays.copyOfRange(cfg, cfg.length - 9, cfg.length);
        assertArrayEquals(t.functionalDescriptor(), func);
        assertEquals(0x21, func[1]);
        assertEquals(0x0B, func[2]);
        assertEquals(255, u16(func, 3));
        assertEquals(0x011A, u16(func, 7));
        assertArrayEquals(new byte[] {4, 3, 0x09, 0x04}, d.endpoint().stringDescriptor(0));
        assertNull(d.endpoint().stringDescriptor(0x30));
    }

    @Test
    void endpointAnswersStandardAndClassRequestsLikeAGadget() {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        UsbControlEndpoint ep = d.endpoint();
        assertFalse(ep.control(0x00, 9, 1, 0, 0, new byte[0]).stalled(), "SET_CONFIGURATION 1");
        assertFalse(ep.control(0x01, 11, 2, 0, 0, new byte[0]).stalled(), "SET_INTERFACE alt 2");
        assertArrayEquals(new byte[] {2}, ep.control(0x81, 10, 0, 0, 1, new byte[0]).data(), "GET_INTERFACE");
        assertTrue(ep.control(0x01, 11, 9, 0, 0, new byte[0]).stalled(), "no alt 9");
        byte[] st = ep.control(0xA1, 3, 0, 0, 6, new byte[0]).data();
        assertEquals(6, st.length);
        assertEquals(DfuState.DFU_IDLE.code(), st[4]);
        assertArrayEquals(ep.deviceDescriptor(), ep.control(0x80, 6, 0x0100, 0, 18, new byte[0]).data());
        assertTrue(ep.control(0x21, 3, 0, 0, 6, new byte[0]).stalled(), "GETSTATUS with the OUT request type");
        assertTrue(ep.control(0xA1, 3, 0, 1, 6, new byte[0]).stalled(), "wrong interface");
        // a DfuSe write through the endpoint: no bus time is charged (a real bus carries it)
        long t0 = d.clock().nanoTime();
        ep.control(0x01, 11, 0, 0, 0, new byte[0]);
        ep.control(0x21, 1, 0, 0, 5, RawDfu.cmd(0x21, 0x0800_0000L));
        ep.control(0xA1, 3, 0, 0, 6, new byte[0]);
        ep.control(0xA1, 3, 0, 0, 6, new byte[0]);
        ep.control(0x21, 1, 2, 0, 3, new byte[] {1, 2, 3});
        ep.control(0xA1, 3, 0, 0, 6, new byte[0]);
        assertEquals(DfuState.DFU_DNLOAD_IDLE.code(), ep.control(0xA1, 3, 0, 0, 6, new byte[0]).data()[4]);
        assertArrayEquals(new byte[] {1, 2, 3}, d.readMemory(0x0800_0000L, 3));
        assertTrue(d.clock().nanoTime() - t0 > 0, "only the flash time passed");
        assertTrue(ep.connected());
        ep.busReset();
        assertEquals(DfuState.DFU_IDLE, d.state());
    }
}
