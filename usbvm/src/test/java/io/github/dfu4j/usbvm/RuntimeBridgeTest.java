package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.UsbControlEndpoint;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The run-time personalities through the bridge (over the fake raw_gadget): the application's face,
 * DETACH with bitWillDetach 1 and 0, the bootloader's face after the re-enumeration, and the
 * application back after a leave, each face on a connection of its own.
 */
class RuntimeBridgeTest {
    private final FakeRawGadget gadget = new FakeRawGadget();
    private final StringWriter trace = new StringWriter();
    /** The endpoint the current connection was made with. */
    private UsbControlEndpoint view;

    /** A fresh connection (as BridgeMain makes after each re-enumeration) and its device descriptor's idProduct. */
    private int enumerate(BridgedDevice device, ControlBridge[] into) {
        view = device.endpoint();
        into[0] = new ControlBridge(gadget, view, BridgeTrace.to(trace));
        gadget.exchange(into[0], 0x80, 6, 0x0100, 0, 18, null);
        byte[] d = gadget.lastWritten();
        gadget.exchange(into[0], 0x00, 9, 1, 0, 0, null);
        return (d[10] & 0xFF) | (d[11] & 0xFF) << 8;
    }

    private String serial(ControlBridge bridge) {
        gadget.exchange(bridge, 0x80, 6, 0x0300 | 3, 0x0409, 255, null);
        byte[] s = gadget.lastWritten();
        StringBuilder b = new StringBuilder();
        for (int i = 2; i + 1 < s.length; i += 2) {
            b.append((char) ((s[i] & 0xFF) | (s[i + 1] & 0xFF) << 8));
        }
        return b.toString();
    }

    private static byte[] le32(int command, long address) {
        return new byte[] {(byte) command, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
    }

    private void dfuseCommand(ControlBridge bridge, byte[] command) {
        gadget.exchange(bridge, 0x21, 1, 0, 0, command.length, command);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
    }

    @Test
    void willDetachOneReEnumeratesAsTheBootloaderAndALeaveBringsTheApplicationBack() throws Exception {
        BridgedDevice device = SimulatorDevices.create(BridgeOptions.parse("--sim", "stm32f405-runtime",
                "--sim-option", "serial=RT0000000001"));
        ControlBridge[] bridge = new ControlBridge[1];
        assertEquals(0x5740, enumerate(device, bridge), "the application's PID");
        assertEquals("RT0000000001", serial(bridge[0]));
        gadget.exchange(bridge[0], 0xA1, 3, 0, 1, 6, null);
        assertEquals(0, gadget.lastWritten()[4], "appIDLE");
        gadget.exchange(bridge[0], 0x21, 0, 1000, 1, 0, null); // DFU_DETACH on interface 1
        assertFalse(view.connected(), "bitWillDetach 1: the application left the bus by itself");
        assertTrue(BridgeMain.awaitRejoin(device, Duration.ofSeconds(5)), "the bootloader comes up");
        assertEquals(0xDF11, enumerate(device, bridge), "the bootloader's PID");
        assertEquals("RT0000000001", serial(bridge[0]), "the same serial in both faces");

        // a vector table at the start of flash, so the leave starts the application
        byte[] block = new byte[2048];
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x2002_0000).putInt(4, 0x0800_0199);
        dfuseCommand(bridge[0], le32(0x41, 0x0800_0000L));
        dfuseCommand(bridge[0], le32(0x21, 0x0800_0000L));
        gadget.exchange(bridge[0], 0x21, 1, 2, 0, block.length, block);
        gadget.exchange(bridge[0], 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge[0], 0xA1, 3, 0, 0, 6, null);
        assertEquals(5, gadget.lastWritten()[4], () -> "dfuDNLOAD_IDLE after the write; trace:\n" + trace);
        dfuseCommand(bridge[0], le32(0x21, 0x0800_0000L));
        gadget.exchange(bridge[0], 0x21, 1, 0, 0, 0, null); // leave
        gadget.exchange(bridge[0], 0xA1, 3, 0, 0, 6, null);
        assertEquals(7, gadget.lastWritten()[4], "dfuMANIFEST");
        // the board went from bootloader to application in one instant: never off the bus, yet the
        // bootloader's connection must end so that the host enumerates the application
        assertFalse(view.connected(), "the bootloader's connection is over");
        assertTrue(BridgeMain.awaitRejoin(device, Duration.ofSeconds(5)), "the application starts");
        assertEquals(0x5740, enumerate(device, bridge), () -> "the application is back; trace:\n" + trace);
        assertEquals("RT0000000001", serial(bridge[0]));
    }

    @Test
    void willDetachZeroWaitsForTheHostsResetThenReEnumeratesAsTheBootloader() throws Exception {
        BridgedDevice device = SimulatorDevices.create(BridgeOptions.parse("--sim", "stm32f405-runtime-reset"));
        ControlBridge[] bridge = new ControlBridge[1];
        assertEquals(0x5740, enumerate(device, bridge));
        gadget.exchange(bridge[0], 0x80, 6, 0x0200, 0, 255, null);
        byte[] config = gadget.lastWritten();
        assertEquals(0x03, config[config.length - 7] & 0x0F, "functional descriptor without bitWillDetach");
        gadget.exchange(bridge[0], 0x21, 0, 1000, 1, 0, null); // DFU_DETACH
        assertTrue(view.connected(), "bitWillDetach 0: still the application, in appDETACH");
        gadget.exchange(bridge[0], 0xA1, 3, 0, 1, 6, null);
        assertEquals(1, gadget.lastWritten()[4], "appDETACH");
        bridge[0].handle(new RawGadgetEvent(RawGadgetEvent.Kind.RESET, RawGadgetEvent.Kind.RESET.ordinal(), null));
        assertFalse(view.connected(), "the USB reset started the bootloader");
        assertTrue(BridgeMain.awaitRejoin(device, Duration.ofSeconds(5)));
        assertEquals(0xDF11, enumerate(device, bridge));
        gadget.exchange(bridge[0], 0xA1, 3, 0, 0, 6, null);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 2, 0}, gadget.lastWritten(), "dfuIDLE");
    }
}
