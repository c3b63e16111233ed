package io.github.dfu4j.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The run-time personality's own behaviour, without a host stack (dfu-libusb tests drive it over a bus). */
class RuntimeDfuDeviceTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void enumeratesAsTheApplicationWithARuntimeInterfaceAndTheWillDetachBit() {
        for (boolean willDetach : new boolean[] {false, true}) {
            RuntimeDfuDevice d = RuntimeDfuDevice.start(SimulatedDevices.create("stm32f405"), willDetach);
            assertTrue(d.runtimeMode() && d.connected());
            byte[] dev = d.deviceDescriptor();
            assertEquals(RuntimeDfuDevice.PRODUCT_ID, (dev[10] & 0xFF) | (dev[11] & 0xFF) << 8);
            byte[] c = d.configurationDescriptor();
            byte[] dfuInterface = {9, 4, 1, 0, 0, (byte) 0xFE, 1, 1, 4};
            int at = indexOf(c, dfuInterface);
            assertTrue(at > 0, "interface 1, class FE/01, protocol 1");
            assertEquals(0x21, c[at + 10]);
            assertEquals(willDetach ? 0x0B : 0x03, c[at + 11]);
            assertEquals("DFU runtime", Descriptors.decode(d.stringDescriptor(4)));
        }
    }

    @Test
    void resetInAppDetachStartsTheRomAndALeaveBringsTheApplicationBack() throws Exception {
        SimulatedDevice board = SimulatedDevices.create("stm32f405");
        board.writeMemory(FLASH, TestImages.application(FLASH, 0x2002_0000L, 1024));
        RuntimeDfuDevice d = RuntimeDfuDevice.start(board, false);
        int appEnumeration = d.enumeration();
        assertFalse(d.control(0x21, 0, 500, RuntimeDfuDevice.DFU_INTERFACE, 0, new byte[0]).stalled());
        d.busReset();
        assertFalse(d.connected(), "rebooting into the ROM");
        board.clock().sleep(Duration.ofMillis(250));
        assertTrue(d.connected() && !d.runtimeMode());
        assertTrue(board.inDfuMode());
        assertEquals(0x11, d.deviceDescriptor()[10], "0483:df11 now");
        assertTrue(d.enumeration() != appEnumeration);

        RawDfu h = new RawDfu(board.connect());
        h.setAddress(FLASH);
        h.leave(0);
        assertTrue(d.runtimeMode(), "the application, with its run-time interface, is back");
        assertEquals(0, d.control(0xA1, 5, 0, RuntimeDfuDevice.DFU_INTERFACE, 1, new byte[0]).data()[0], "appIDLE");
    }

    @Test
    void detachTimeoutWithoutResetReturnsToAppIdle() throws Exception {
        SimulatedDevice board = SimulatedDevices.create("stm32f405");
        RuntimeDfuDevice d = RuntimeDfuDevice.start(board, false);
        d.control(0x21, 0, 5000, RuntimeDfuDevice.DFU_INTERFACE, 0, new byte[0]);
        assertArrayEquals(new byte[] {1}, d.control(0xA1, 5, 0, 1, 1, new byte[0]).data());
        board.clock().sleep(Duration.ofMillis(RuntimeDfuDevice.DETACH_TIMEOUT_MS)); // min(wValue, wDetachTimeOut)
        assertArrayEquals(new byte[] {0}, d.control(0xA1, 5, 0, 1, 1, new byte[0]).data());
        d.busReset();
        assertTrue(d.runtimeMode(), "a reset in appIDLE does not start the bootloader");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
