package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DfuSe behaviour of the ST ROM personalities driven with raw requests. */
class StRomProtocolTest {
    static final long FLASH = 0x0800_0000L;

    private static RawDfu host(SimulatedDevice d) {
        return new RawDfu(d.connect());
    }

    @Test
    void dnloadOnlyStoresTheCommandUntilGetStatus() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        h.dnload(0, RawDfu.cmd(0x21, 0x0800_4000L));
        assertEquals(DfuState.DFU_DNLOAD_SYNC.code(), h.getState());
        assertEquals(FLASH, d.addressPointer(), "pointer unchanged before GETSTATUS");
        RawDfu.Status first = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, first.dfuState());
        assertEquals(104, first.poll(), "F4 ROM reports 104 ms after SET_ADDRESS");
        RawDfu.Status second = h.getStatus();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, second.dfuState());
        assertEquals(0, second.poll());
        assertEquals(0x0800_4000L, d.addressPointer());
    }

    @Test
    void writesLandWhereBothHostPatternsPutThem() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        byte[] image = TestImages.random(1, 5000);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(FLASH, image, 2048).dfuState());
        assertArrayEquals(image, d.readMemory(FLASH, image.length));
        byte[] second = TestImages.random(2, 4500);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeSequential(0x0800_4000L, second, 2048).dfuState());
        assertArrayEquals(second, d.readMemory(0x0800_4000L, second.length));
        assertEquals(3 + 3, d.stats().writes());
    }

    @Test
    void blockAddressUsesTheTransferSizeNotTheBlockLength() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        h.setAddress(0x0800_8000L);
        byte[] small = {1, 2, 3, 4};
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.dnloadAndPoll(5, small).dfuState());
        assertArrayEquals(small, d.readMemory(0x0800_8000L + 3 * 2048, 4));
        assertTrue(d.isErased(0x0800_8000L, 3 * 2048));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743"})
    void blocksLargerThanTheTransferSizeStallIntoErrStalledPkt(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        RawDfu h = host(d);
        int xfer = d.chip().rom().transferSize();
        h.setAddress(FLASH);
        TransportException e = assertThrows(TransportException.class, () -> h.dnload(2, new byte[xfer + 1]));
        assertEquals(TransportException.Kind.STALL, e.kind());
        RawDfu.Status s = h.getStatus();
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_STALLEDPKT, s.statusCode());
        assertTrue(d.isErased(FLASH, xfer + 1));
        h.clrStatus();
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
    }

    @Test
    void uploadReadsAtPointerPlusBlockOffsetAndAShortFrameEndsIt() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        byte[] image = TestImages.random(3, 3 * 2048);
        d.writeMemory(FLASH, image);
        RawDfu h = host(d);
        h.setAddress(FLASH);
        h.abort();
        assertArrayEquals(Arrays.copyOfRange(image, 2048, 4096), h.upload(3, 2048));
        assertEquals(DfuState.DFU_UPLOAD_IDLE, h.getStatus().dfuState());
        assertThrows(TransportException.class, () -> h.dnload(0, RawDfu.cmd(0x21, FLASH)), "no DNLOAD in dfuUPLOAD-IDLE");
        h.clrStatus();
        assertArrayEquals(Arrays.copyOfRange(image, 0, 2048), h.read(FLASH, 2048, 2048));
        // the last 100 bytes of flash: asking for 2048 gives a short frame and ends the upload
        long end = d.chip().defaultFlashMap().end();
        h.setAddress(end - 100);
        h.abort();
        byte[] tail = h.upload(2, 2048);
        assertEquals(100, tail.length);
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
    }

    @Test
    void getCommandsListsTheRomCommands() throws Exception {
        RawDfu h = host(SimulatedDevices.create("stm32f405"));
        assertArrayEquals(new byte[] {0x00, 0x21, 0x41, (byte) 0x92}, h.upload(0, 2048));
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState(), "short frame returns to dfuIDLE");
        assertArrayEquals(new byte[] {0x00, 0x21, 0x41, (byte) 0x92}, h.upload(0, 4));
        assertEquals(DfuState.DFU_UPLOAD_IDLE, h.getStatus().dfuState(), "full frame stays in dfuUPLOAD-IDLE");
    }

    @Test
    void uploadBlockOneStalls() throws Exception {
        RawDfu h = host(SimulatedDevices.create("stm32f405"));
        assertThrows(TransportException.class, () -> h.upload(1, 16));
        assertEquals(DfuStatus.ERR_STALLEDPKT, h.getStatus().statusCode());
    }

    @Test
    void unsupportedCommandByteStalls() throws Exception {
        RawDfu h = host(SimulatedDevices.create("stm32f405"));
        TransportException e = assertThrows(TransportException.class, () -> h.dnload(0, new byte[] {0x55, 0, 0, 0, 8}));
        assertEquals(TransportException.Kind.STALL, e.kind());
        assertEquals(DfuStatus.ERR_STALLEDPKT, h.getStatus().statusCode());
        h.clrStatus();
        assertThrows(TransportException.class, () -> h.dnload(1, new byte[16]));
        assertEquals(DfuState.DFU_ERROR, h.getStatus().dfuState());
    }

    @Test
    void eraseClearsExactlyTheSectorHoldingTheAddress() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        byte[] all = TestImages.random(4, 0x20000);
        d.writeMemory(FLASH, all);
        RawDfu h = host(d);
        RawDfu.Status s = h.erase(0x0800_4123L); // inside sector 1 (16 KB at 0x08004000)
        assertEquals(DfuState.DFU_DNLOAD_IDLE, s.dfuState());
        assertTrue(d.isErased(0x0800_4000L, 0x4000));
        assertArrayEquals(Arrays.copyOfRange(all, 0, 0x4000), d.readMemory(FLASH, 0x4000));
        assertArrayEquals(Arrays.copyOfRange(all, 0x8000, 0x20000), d.readMemory(0x0800_8000L, 0x18000));
        assertEquals(1, d.stats().sectorErases());
    }

    @Test
    void addressesOutsideEveryMemoryAreErrTarget() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        RawDfu.Status s = h.setAddress(0x0810_0000L); // past the 1 MB flash
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_TARGET, s.statusCode());
        h.clrStatus();
        h.setAddress(d.chip().defaultFlashMap().end() - 16);
        RawDfu.Status w = h.dnloadAndPoll(2, new byte[32]); // runs off the end
        assertEquals(DfuStatus.ERR_TARGET, w.statusCode());
        h.clrStatus();
        assertEquals(DfuStatus.ERR_TARGET, h.erase(0x2000_0000L).statusCode());
    }

    @Test
    void writingOptionBytesRequiresTheirAltSettingAndResetsTheChip() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        long ob = 0x1FFF_C000L;
        byte[] original = d.readMemory(ob, 16);
        assertEquals((byte) 0xAA, original[1], "RDP level 0 by default");
        // from alt 0 the option bytes are not a target
        h.setAddress(ob);
        assertEquals(DfuStatus.ERR_TARGET, h.dnloadAndPoll(2, new byte[16]).statusCode());
        h.clrStatus();
        h.t.selectAltSetting(1);
        byte[] changed = original.clone();
        changed[0] = (byte) 0xE0;
        h.setAddress(ob);
        h.dnload(2, changed);
        assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
        assertThrows(TransportException.class, h::getStatus, "the chip resets after programming option bytes");
        assertArrayEquals(changed, d.readMemory(ob, 16));
        DfuTransport again = h.reopen(java.time.Duration.ofSeconds(2)).orElseThrow();
        assertEquals(DfuState.DFU_IDLE, new RawDfu(again).getStatus().dfuState());
    }

    @Test
    void optionBytesAreReadOnlyAsAWhole() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = host(d);
        h.t.selectAltSetting(1);
        assertArrayEquals(d.readMemory(0x1FFF_C000L, 16), h.read(0x1FFF_C000L, 16, 2048));
        h.setAddress(0x1FFF_C000L);
        h.abort();
        assertThrows(TransportException.class, () -> h.upload(2, 8));
        assertEquals(DfuStatus.ERR_TARGET, h.getStatus().statusCode());
    }

    @Test
    void readProtectionRefusesReadsEraseAndSetAddressUntilReadUnprotect() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withReadProtection(true));
        byte[] secret = TestImages.random(5, 64);
        d.writeMemory(FLASH, secret);
        RawDfu h = host(d);
        assertThrows(TransportException.class, () -> h.upload(2, 64));
        assertEquals(DfuStatus.ERR_VENDOR, h.getStatus().statusCode());
        h.clrStatus();
        assertEquals(DfuStatus.ERR_VENDOR, h.setAddress(FLASH).statusCode());
        h.clrStatus();
        assertEquals(DfuStatus.ERR_VENDOR, h.erase(FLASH).statusCode());
        h.clrStatus();
        assertArrayEquals(secret, d.readMemory(FLASH, 64));
        // Read Unprotect: one dfuDNBUSY, then the chip disconnects, mass-erases, clears RDP and resets
        h.dnload(0, new byte[] {(byte) 0x92});
        assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
        TransportException gone = assertThrows(TransportException.class, h::getStatus);
        assertTrue(gone.isDisconnect());
        assertTrue(d.isErased(FLASH, 64));
        RawDfu back = new RawDfu(h.reopen(java.time.Duration.ofSeconds(30)).orElseThrow());
        byte[] erased = new byte[64];
        Arrays.fill(erased, (byte) 0xFF);
        assertArrayEquals(erased, back.read(FLASH, 64, 2048), "readable again after the unprotect");
        assertEquals((byte) 0xAA, d.readMemory(0x1FFF_C001L, 1)[0]);
    }

    @Test
    void transportDescribesTheRom() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        DfuTransport t = d.connect();
        assertEquals("0483:df11", t.device().vidPid());
        assertEquals(0x2200, t.device().bcdDevice());
        assertEquals("STM32  BOOTLOADER", t.device().product());
        assertEquals("STMicroelectronics", t.device().manufacturer());
        assertEquals(12, t.device().serial().length());
        assertEquals("sim:stm32f405", t.device().path());
        assertEquals(4, t.altSettings().size());
        assertEquals("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", t.altSettings().get(0).name());
        assertEquals("@OTP Memory /0x1FFF7800/01*512 e,01*016 e", t.stringDescriptor(6));
        assertArrayEquals(new byte[] {9, 0x21, 0x0B, (byte) 0xFF, 0, 0x00, 0x08, 0x1A, 0x01}, t.functionalDescriptor());
        assertThrows(TransportException.class, () -> t.selectAltSetting(4));
        t.close();
        assertThrows(IllegalStateException.class, () -> t.controlIn(3, 0, 6, java.time.Duration.ofSeconds(1)));
        assertFalse(d.runningApplication().isPresent());
    }

    @Test
    void clearStatusOutsideErrorIsErrUnknownOrAStallWithoutTheQuirk() throws Exception {
        RawDfu st = host(SimulatedDevices.create("stm32f405"));
        st.clrStatus();
        RawDfu.Status s = st.getStatus();
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_UNKNOWN, s.statusCode());
        RawDfu plain = host(SimulatedDevices.create("stm32f405",
                SimOptions.defaults().withoutQuirk(io.github.dfu4j.stm32.RomQuirk.CLRSTATUS_OUTSIDE_ERROR_SETS_ERR_UNKNOWN)));
        assertThrows(TransportException.class, plain::clrStatus);
        assertEquals(DfuStatus.ERR_STALLEDPKT, plain.getStatus().statusCode());
    }

    @Test
    void someF4RomsReportErrFirmwareOnTheFirstGetStatus() throws Exception {
        RawDfu h = host(SimulatedDevices.create("stm32f405", SimOptions.defaults().withFirmwareErrorAtStart(true)));
        RawDfu.Status s = h.getStatus();
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_FIRMWARE, s.statusCode());
        h.clrStatus();
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
    }
}
