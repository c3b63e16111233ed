package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Flash that only clears bits until erased, per the chip's programming unit and controller. */
class NorFlashTest {
    static final long FLASH = 0x0800_0000L;

    private static byte[] and(byte[] a, byte[] b) {
        byte[] r = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (byte) (a[i] & b[i]);
        }
        return r;
    }

    @Test
    void f4OverwriteAndsTheBitsAndTheRomReportsErrVerify() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        byte[] first = TestImages.random(1, 256);
        byte[] second = TestImages.random(2, 256);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, first, 2048).dfuState());
        RawDfu.Status s = h.writeEachAddressed(FLASH, second, 2048);
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_VERIFY, s.statusCode());
        assertArrayEquals(and(first, second), d.readMemory(FLASH, 256));
    }

    @Test
    void f4ClearingMoreBitsWithoutEraseIsFine() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        byte[] first = TestImages.random(3, 256);
        byte[] fewerOnes = and(first, TestImages.random(4, 256));
        h.writeEachAddressed(FLASH, first, 2048);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, fewerOnes, 2048).dfuState());
        assertArrayEquals(fewerOnes, d.readMemory(FLASH, 256));
    }

    @Test
    void h7RefusesToReprogramAFlashWordAndLeavesItUnchanged() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        RawDfu h = new RawDfu(d.connect());
        byte[] first = TestImages.random(5, 64);
        h.writeEachAddressed(FLASH, first, 1024);
        RawDfu.Status s = h.writeEachAddressed(FLASH, TestImages.random(6, 64), 1024);
        assertEquals(DfuStatus.ERR_PROG, s.statusCode());
        assertArrayEquals(first, d.readMemory(FLASH, 64));
        h.clrStatus();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.erase(FLASH).dfuState());
        byte[] third = TestImages.random(7, 64);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, third, 1024).dfuState());
        assertArrayEquals(third, d.readMemory(FLASH, 64));
    }

    @Test
    void h7ContinuingInsideAPaddedFlashWordFails() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        RawDfu h = new RawDfu(d.connect());
        byte[] a = TestImages.random(8, 16);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, a, 1024).dfuState());
        // the 256-bit word 0x08000000..1F was programmed with 16 bytes + 0xFF padding: the rest is lost
        RawDfu.Status s = h.writeEachAddressed(FLASH + 16, TestImages.random(9, 16), 1024);
        assertEquals(DfuStatus.ERR_PROG, s.statusCode());
        h.clrStatus();
        // the next word is still erased
        byte[] b = TestImages.random(10, 32);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH + 32, b, 1024).dfuState());
        assertArrayEquals(b, d.readMemory(FLASH + 32, 32));
    }

    @Test
    void f0HalfWordsAreProgrammedOnce() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f072");
        RawDfu h = new RawDfu(d.connect());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, new byte[] {0x12}, 2048).dfuState());
        assertEquals(DfuStatus.ERR_PROG, h.writeEachAddressed(FLASH + 1, new byte[] {0x34}, 2048).statusCode());
        h.clrStatus();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH + 2, new byte[] {0x56, 0x78}, 2048).dfuState());
        assertArrayEquals(new byte[] {0x12, (byte) 0xFF, 0x56, 0x78}, d.readMemory(FLASH, 4));
    }

    @Test
    void otpBitsCanBeClearedButNeverErased() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        h.t.selectAltSetting(2);
        long otp = 0x1FFF_7800L;
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(otp, new byte[] {0x0F}, 2048).dfuState());
        assertEquals(DfuStatus.ERR_TARGET, h.erase(otp).statusCode(), "OTP is typed 'e': not erasable");
        assertArrayEquals(new byte[] {0x0F}, d.readMemory(otp, 1));
    }
}
