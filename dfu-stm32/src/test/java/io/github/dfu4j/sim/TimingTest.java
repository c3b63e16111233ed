package io.github.dfu4j.sim;

import io.github.dfu4j.sim.SimOptions.UsbTiming;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The timing model on the virtual clock: what the device reports, how long operations take, what a
 * GETSTATUS sent too early gets. These assert device (virtual) time, which is model output, never
 * wall time.
 */
class TimingTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void f405MassEraseReports100msButTakesSecondsAndOutlastsA5sControlTimeout() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        d.writeMemory(FLASH, TestImages.random(7, 4096));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, new byte[] {0x41});
        RawDfu.Status first = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, first.dfuState());
        assertEquals(100, first.poll(), "the F405 lie (dfu-util dfuse.c: 'STM32F405 lies about mass erase timeout')");
        long started = d.clock().nanoTime();
        h.sleep(first.poll());
        TransportException e = assertThrows(TransportException.class, h::getStatus, "5 s is too short for the real erase");
        assertEquals(TransportException.Kind.TIMEOUT, e.kind());
        h.timeout = Duration.ofSeconds(35); // dfu-util's override
        RawDfu.Status done = h.getStatus();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, done.dfuState());
        Duration took = Duration.ofNanos(d.clock().nanoTime() - started);
        Duration erase = d.chip().timing().massErase().typical();
        assertTrue(took.compareTo(erase) >= 0 && took.compareTo(erase.plusMillis(100)) < 0, "took " + took);
        assertTrue(d.isErased(FLASH, 4096));
    }

    @Test
    void earlyGetStatusOnANakRomWaitsForTheOperation() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, RawDfu.cmd(0x41, 0x0802_0000L)); // 128 KB sector: 1 s typical
        assertEquals(DfuState.DFU_DNBUSY, h.getStatus().dfuState());
        long t0 = d.clock().nanoTime();
        RawDfu.Status s = h.getStatus(); // no sleep: the USB stack NAKs until the erase is done
        assertEquals(DfuState.DFU_DNLOAD_IDLE, s.dfuState());
        assertEquals(d.chip().timing().sectorErase(128 * 1024).orElseThrow().typical().toNanos(), d.clock().nanoTime() - t0);
    }

    @Test
    void h7RomHoldsAnEarlyGetStatusUntilTheEraseIsDoneAsPydfuExpects() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, RawDfu.cmd(0x41, FLASH));
        RawDfu.Status first = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, first.dfuState());
        assertEquals(50, first.poll());
        long t0 = d.clock().nanoTime();
        RawDfu.Status second = h.getStatus(); // pydfu: no sleep, this one must say dfuDNLOAD-IDLE
        assertEquals(DfuState.DFU_DNLOAD_IDLE, second.dfuState());
        assertEquals(d.chip().timing().sectorErase(128 * 1024).orElseThrow().typical().toNanos(), d.clock().nanoTime() - t0);
    }

    @Test
    void aReportDnBusyBootloaderAnswersDnBusyAgainWhilePolledEarly() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT)
                .withBusyBehaviour(io.github.dfu4j.sim.BusyBehaviour.REPORT_DNBUSY));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, RawDfu.cmd(0x41, FLASH));
        RawDfu.Status first = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, first.dfuState());
        assertEquals(50, first.poll());
        h.sleep(first.poll());
        RawDfu.Status again = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, again.dfuState(), "1.1 s erase still running after 50 ms");
        assertEquals(50, again.poll());
        h.sleep(2000);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.getStatus().dfuState());
    }

    @Test
    void h743Bank2EraseWedgesAndRecoversWithTwoClearStatus() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        long bank2 = 0x0810_0000L;
        d.writeMemory(bank2, TestImages.random(8, 1024));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, RawDfu.cmd(0x41, bank2));
        RawDfu.Status s = h.getStatus();
        assertEquals(DfuState.DFU_DNBUSY, s.dfuState());
        long t0 = d.clock().nanoTime();
        s = h.getStatus(); // held for the erase like any request, then answered: still dfuDNBUSY
        assertTrue(d.clock().nanoTime() - t0 >= Duration.ofMillis(1100).toNanos(), "held for the 1.1 s erase");
        for (int i = 0; i < 100; i++) { // 100 polls, far beyond the reported 50 ms and the real 1.1 s
            assertEquals(DfuState.DFU_DNBUSY, s.dfuState(), "poll " + i);
            h.sleep(Math.max(s.poll(), 100));
            s = h.getStatus();
        }
        assertTrue(d.elapsed().compareTo(Duration.ofSeconds(10)) > 0);
        assertTrue(d.isErased(bank2, 128 * 1024), "the erase itself completed");
        h.clrStatus();
        RawDfu.Status afterFirst = h.getStatus();
        assertEquals(DfuState.DFU_ERROR, afterFirst.dfuState());
        assertEquals(DfuStatus.ERR_UNKNOWN, afterFirst.statusCode());
        h.clrStatus();
        RawDfu.Status afterSecond = h.getStatus();
        assertEquals(DfuState.DFU_IDLE, afterSecond.dfuState());
        assertEquals(DfuStatus.OK, afterSecond.statusCode());
        // the device works normally afterwards
        byte[] data = TestImages.random(9, 1024);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(bank2, data, 1024).dfuState());
        assertArrayEquals(data, d.readMemory(bank2, 1024));
    }

    @Test
    void bank1EraseAndRevisionYPartsDoNotWedge() throws Exception {
        SimulatedDevice revV = SimulatedDevices.create("stm32h743");
        assertEquals(DfuState.DFU_DNLOAD_IDLE, new RawDfu(revV.connect()).erase(0x080E_0000L).dfuState());
        SimulatedDevice revY = SimulatedDevices.create("stm32h743", SimOptions.defaults().withoutQuirk(RomQuirk.BANK2_ERASE_WEDGE));
        assertEquals(DfuState.DFU_DNLOAD_IDLE, new RawDfu(revY.connect()).erase(0x0810_0000L).dfuState());
    }

    @Test
    void everyControlTransferCostsBusTime() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        long t0 = d.clock().nanoTime();
        h.getState();
        assertEquals(UsbTiming.FULL_SPEED.transferTime(1).toNanos(), d.clock().nanoTime() - t0);
        h.setAddress(FLASH); // DNLOAD(5) + 2 GETSTATUS(6) + the 104 ms poll sleep
        long t1 = d.clock().nanoTime();
        h.dnload(2, new byte[2048]);
        assertEquals(Duration.ofMillis(1).plus(Duration.ofNanos(76_923).multipliedBy(32)).toNanos(), d.clock().nanoTime() - t1);
    }

    @Test
    void aFastForwardedClockShortensWaitsButCountsHostWorkOnce() throws Exception {
        SimClock clock = SimClock.realTime(1000);
        long device0 = clock.nanoTime();
        long wall0 = System.nanoTime();
        while (System.nanoTime() - wall0 < 20_000_000L) {
            Thread.onSpinWait(); // 20 ms of host work between two requests
        }
        long hostWork = clock.nanoTime() - device0;
        // scaling all wall time by the factor made this 20 s (--sim-time 72 reported a 4.5 s run as 323 s)
        assertTrue(hostWork < 2_000_000_000L, "host work counted " + hostWork / 1e9 + " s of device time");
        long device1 = clock.nanoTime();
        long wall1 = System.nanoTime();
        clock.sleep(Duration.ofSeconds(5));
        assertTrue(clock.nanoTime() - device1 >= 5_000_000_000L, "a 5 s device wait passes 5 s of device time");
        assertTrue(System.nanoTime() - wall1 < 2_000_000_000L, "and takes about 5 ms of wall time at factor 1000");
    }

    @Test
    void realTimeClockRunsTheSameProtocolScaled() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withRealTime(2000));
        assertTrue(!d.clock().isVirtual());
        RawDfu h = new RawDfu(d.connect());
        h.timeout = Duration.ofSeconds(35);
        RawDfu.Status s = h.massErase(); // 8 s device time, about 4 ms of wall time
        assertEquals(DfuState.DFU_DNLOAD_IDLE, s.dfuState());
        assertTrue(d.elapsed().compareTo(d.chip().timing().massErase().typical()) >= 0);
    }

    @Test
    void usbTimingFormula() {
        assertEquals(Duration.ofMillis(1), UsbTiming.FULL_SPEED.transferTime(0));
        assertEquals(Duration.ofNanos(1_000_000 + 76_923), UsbTiming.FULL_SPEED.transferTime(1));
        assertEquals(Duration.ofNanos(1_000_000 + 76_923), UsbTiming.FULL_SPEED.transferTime(64));
        assertEquals(Duration.ofNanos(1_000_000 + 2 * 76_923), UsbTiming.FULL_SPEED.transferTime(65));
        assertEquals(Duration.ZERO, UsbTiming.INSTANT.transferTime(2048));
    }

    @Test
    void aNakRomAnswersNothingAtAllWhileTheFlashIsBusy() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults().withUsbTiming(UsbTiming.INSTANT));
        RawDfu h = new RawDfu(d.connect());
        h.dnload(0, new byte[] {0x41});
        h.getStatus(); // dfuDNBUSY: the 8 s mass erase starts
        long t0 = d.clock().nanoTime();
        TransportException e = assertThrows(TransportException.class, () -> h.t.selectAltSetting(1));
        assertEquals(TransportException.Kind.TIMEOUT, e.kind(), "SET_INTERFACE is NAKed too");
        assertEquals(Duration.ofSeconds(5).toNanos(), d.clock().nanoTime() - t0);
        h.timeout = Duration.ofSeconds(10);
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.getStatus().dfuState());
        h.t.selectAltSetting(1); // fine once the erase is done
    }
}
