package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MicroPython mboot quirks on the PYBD-SF2 personality (docs/reference/mboot.md §5). */
class MbootTest {
    static final long FLASH = 0x0800_0000L;
    static final long APP = 0x0800_8000L;
    static final long SPI1 = 0x8000_0000L;
    static final long QSPI = 0x9000_0000L;

    private static SimulatedDevice sf2() {
        return SimulatedDevices.create("mboot-pybd-sf2");
    }

    @Test
    void describesItselfAsMbootWithOneAltSettingAndAllZones() throws Exception {
        SimulatedDevice d = sf2();
        DfuTransport t = d.connect();
        assertEquals("MicroPython", t.device().manufacturer());
        assertEquals("Pyboard DFU", t.device().product());
        assertEquals(0x0300, t.device().bcdDevice());
        assertEquals("0483:df11", t.device().vidPid());
        assertEquals(1, t.altSettings().size());
        assertEquals("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x80000000/64*32Kg/0x90000000/64*32Kg",
                t.altSettings().get(0).name());
        assertEquals(27, d.endpoint().configurationDescriptor().length);
        assertEquals("Can't overwrite mboot", t.stringDescriptor(0x10));
        assertEquals("Address out of range", t.stringDescriptor(0x11));
        byte[] msos = d.endpoint().stringDescriptor(0xEE);
        assertEquals(0x42, msos[16], "MS OS vendor code");
        assertEquals(0x0200, (d.endpoint().deviceDescriptor()[2] & 0xFF) | (d.endpoint().deviceDescriptor()[3] & 0xFF) << 8);
    }

    @Test
    void pollTimeoutIsAlwaysZeroAndTheUsbStackBlocksWhileFlashIsBusy() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, RawDfu.cmd(0x41, 0x0802_0000L));
        RawDfu.Status first = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, first.dfuState());
        assertEquals(0, first.poll());
        long t0 = d.clock().nanoTime();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.getStatus().dfuState());
        assertTrue(d.clock().nanoTime() - t0 > 0, "the second GETSTATUS waited for the erase");
    }

    @Test
    void writesAboveItsSectorTableFailWithAddressOutOfRangeOnceReported() throws Exception {
        SimulatedDevice d = sf2();
        RawDfu h = new RawDfu(d.connect());
        h.setAddress(0x0808_0000L); // advertised by the layout string, beyond mboot's 512 KB table
        RawDfu.Status s = h.dnloadAndPoll(2, new byte[16]);
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.ERR_ADDRESS, s.statusCode());
        assertEquals(0x11, s.iString());
        RawDfu.Status again = h.getStatus();
        assertEquals(DfuState.DFU_ERROR, again.dfuState(), "still dfuERROR");
        assertEquals(DfuStatus.OK, again.statusCode(), "status cleared after it was reported once");
        assertEquals(0, again.iString());
        assertEquals(DfuStatus.ERR_ADDRESS, h.erase(0x0809_0000L).statusCode());
    }

    @Test
    void itsOwnSectorsAreProtected() throws Exception {
        SimulatedDevice d = sf2();
        byte[] mboot = TestImages.random(1, 0x8000);
        d.writeMemory(FLASH, mboot);
        RawDfu h = new RawDfu(d.connect());
        RawDfu.Status e = h.erase(0x0800_4000L);
        assertEquals(DfuStatus.ERR_ADDRESS, e.statusCode());
        assertEquals(0x10, e.iString());
        h.clrStatus();
        h.setAddress(APP - 8);
        assertEquals(0x10, h.dnloadAndPoll(2, new byte[16]).iString(), "a write overlapping mboot is refused");
        h.clrStatus();
        assertEquals(DfuStatus.OK, h.massErase().statusCode());
        assertArrayEquals(mboot, d.readMemory(FLASH, 0x8000), "mass erase skips mboot");
    }

    @Test
    void massEraseLeavesSpiFlashAlone() throws Exception {
        SimulatedDevice d = sf2();
        byte[] app = TestImages.random(2, 4096);
        byte[] ext = TestImages.random(3, 4096);
        d.writeMemory(APP, app);
        d.writeMemory(QSPI, ext);
        RawDfu h = new RawDfu(d.connect());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.massErase().dfuState());
        assertTrue(d.isErased(APP, 4096));
        assertArrayEquals(ext, d.readMemory(QSPI, 4096));
    }

    @Test
    void spiPageEraseStartsAtTheGivenAddressRoundedTo4k() throws Exception {
        SimulatedDevice d = sf2();
        byte[] ext = TestImages.random(4, 0x10000);
        d.writeMemory(SPI1, ext);
        RawDfu h = new RawDfu(d.connect());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.erase(SPI1 + 0x1234).dfuState());
        // 8 x 4 KB from 0x80001000: into the next 32 KB layout page
        assertArrayEquals(Arrays.copyOfRange(ext, 0, 0x1000), d.readMemory(SPI1, 0x1000));
        assertTrue(d.isErased(SPI1 + 0x1000, 0x8000));
        assertArrayEquals(Arrays.copyOfRange(ext, 0x9000, 0x10000), d.readMemory(SPI1 + 0x9000, 0x7000));
    }

    @Test
    void fixed2048ByteBlockAddressingAndUploadsWithoutShortFrames() throws Exception {
        SimulatedDevice d = sf2();
        RawDfu h = new RawDfu(d.connect());
        byte[] data = TestImages.random(5, 3000);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeSequential(QSPI, data, 2048).dfuState());
        assertArrayEquals(data, d.readMemory(QSPI, 3000));
        h.setAddress(QSPI);
        assertArrayEquals(Arrays.copyOfRange(data, 2048, 3000), Arrays.copyOf(h.upload(3, 2048), 952));
        assertEquals(DfuState.DFU_UPLOAD_IDLE, h.getStatus().dfuState());
    }

    @Test
    void noStateValidation() throws Exception {
        SimulatedDevice d = sf2();
        RawDfu h = new RawDfu(d.connect());
        h.clrStatus(); // not an error in dfuIDLE
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
        h.detach(); // ignored
        h.setAddress(APP);
        h.upload(2, 64);
        assertEquals(DfuState.DFU_UPLOAD_IDLE, h.getStatus().dfuState());
        h.dnload(0, RawDfu.cmd(0x21, APP + 0x100)); // DNLOAD straight from dfuUPLOAD-IDLE
        assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.getStatus().dfuState());
        assertEquals(APP + 0x100, d.addressPointer());
        h.abort();
        assertEquals(DfuState.DFU_IDLE, h.getStatus().dfuState());
    }

    @Test
    void unsupportedCommandsEndInDfuErrorWithStatusZero() throws Exception {
        RawDfu h = new RawDfu(sf2().connect());
        h.dnload(0, new byte[] {(byte) 0x92}); // no Read Unprotect in mboot
        assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
        RawDfu.Status s = h.getStatus();
        assertEquals(DfuState.DFU_ERROR, s.dfuState());
        assertEquals(DfuStatus.OK, s.statusCode());
    }

    @Test
    void getStatusIsAnsweredOnlyWithWLength6() throws Exception {
        SimulatedDevice d = sf2();
        DfuTransport t = d.connect();
        assertThrows(TransportException.class, () -> t.controlIn(RawDfu.GETSTATUS, 0, 64, Duration.ofSeconds(1)));
        assertThrows(TransportException.class, () -> t.controlIn(RawDfu.GETSTATE, 0, 2, Duration.ofSeconds(1)));
        assertEquals(6, t.controlIn(RawDfu.GETSTATUS, 0, 6, Duration.ofSeconds(1)).length);
    }

    @Test
    void leaveResetsIgnoresTheAddressAndStartsTheApplicationAtItsBase() throws Exception {
        SimulatedDevice d = sf2();
        RawDfu h = new RawDfu(d.connect());
        byte[] app = TestImages.application(APP, 0x2004_0000L, 2048);
        h.writeEachAddressed(APP, app, 2048);
        h.setAddress(0x1234_5678L); // ignored for leaving
        RawDfu.Status s = h.leave(0).orElseThrow();
        assertEquals(DfuState.DFU_MANIFEST, s.dfuState());
        assertEquals(0, s.poll());
        assertTrue(d.inDfuMode(), "mboot waits 50 + 50 ms before resetting");
        h.sleep(150);
        assertFalse(d.inDfuMode());
        assertEquals(APP, d.runningApplication().orElseThrow().vectorTable());
        assertTrue(h.reopen(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void leaveWithoutAnApplicationOrWithTheButtonHeldStaysInMboot() throws Exception {
        SimulatedDevice empty = sf2();
        RawDfu h = new RawDfu(empty.connect());
        h.leave(2);
        h.sleep(150);
        assertTrue(empty.runningApplication().isEmpty());
        assertTrue(h.reopen(Duration.ofSeconds(2)).isPresent());

        SimulatedDevice held = SimulatedDevices.create("mboot-pybd-sf2", SimOptions.defaults().withBoot0High(true)
                .withInitialMemory(io.github.dfu4j.formats.FirmwareImage.of(io.github.dfu4j.formats.Segment.of(APP,
                        TestImages.application(APP, 0x2004_0000L, 2048)))));
        RawDfu h2 = new RawDfu(held.connect());
        h2.leave(0);
        assertTrue(h2.reopen(Duration.ofSeconds(2)).isPresent());
        assertTrue(held.runningApplication().isEmpty());
    }

    @Test
    void sf6UsesTheF767SingleBankTableAnd4kSpiPages() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf6");
        DfuTransport t = d.connect();
        assertTrue(t.altSettings().get(0).name().endsWith("/0x80000000/512*4Kg/0x90000000/512*4Kg"));
        RawDfu h = new RawDfu(t);
        byte[] ext = TestImages.random(6, 0x2000);
        d.writeMemory(SPI1, ext);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.erase(SPI1).dfuState());
        assertTrue(d.isErased(SPI1, 0x1000));
        assertArrayEquals(Arrays.copyOfRange(ext, 0x1000, 0x2000), d.readMemory(SPI1 + 0x1000, 0x1000));
        h.setAddress(0x081F_0000L);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.dnloadAndPoll(2, new byte[] {1, 2, 3, 4}).dfuState(), "2 MB of internal flash");
    }
}
