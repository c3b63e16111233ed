package io.github.dfu4j.integration;

import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.MemoryRange;
import io.github.dfu4j.ops.ProgressEvent;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.sim.BusyBehaviour;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a long erase on an H743 built as a bootloader that answers dfuDNBUSY while it erases
 * ({@link BusyBehaviour#REPORT_DNBUSY}, so the host waits between polls): the operation stops soon
 * after {@code cancel()}, in virtual time, gives the device at most {@link DfuDevice#CANCEL_WIND_DOWN}
 * to finish the request in flight and return to dfuIDLE, and the next session copes with a device
 * that is still erasing. (The real ROMs hold the poll until the erase is over, so a cancel there
 * takes effect when that request returns.) A cancelled download on the F405 ROM stops between two
 * blocks, ABORTs to dfuIDLE and reports exactly what it erased and wrote.
 */
class CancellationTest {

    /**
     * The simulator's transport, but its clock cancels {@code token} once {@code after} has passed: the
     * deterministic stand-in for a user pressing Ctrl-C from another thread while the host waits.
     */
    private static final class CancellingTransport implements DfuTransport {
        private final DfuTransport inner;
        private final CancellationToken token;
        private final Duration after;
        private final long start;

        CancellingTransport(DfuTransport inner, CancellationToken token, Duration after) {
            this.inner = inner;
            this.token = token;
            this.after = after;
            this.start = inner.time().nanoTime();
        }

        @Override
        public TimeSource time() {
            TimeSource t = inner.time();
            return new TimeSource() {
                @Override
                public long nanoTime() {
                    return t.nanoTime();
                }

                @Override
                public void sleep(Duration d) throws InterruptedException {
                    t.sleep(d);
                    if (t.nanoTime() - start >= after.toNanos() && !token.isCancelled()) {
                        token.cancel();
                    }
                }
            };
        }

        @Override public DeviceInfo device() { return inner.device(); }
        @Override public int interfaceNumber() { return inner.interfaceNumber(); }
        @Override public List<AltSetting> altSettings() { return inner.altSettings(); }
        @Override public byte[] functionalDescriptor() { return inner.functionalDescriptor(); }
        @Override public void selectAltSetting(int alt) throws TransportException { inner.selectAltSetting(alt); }
        @Override public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
            return inner.controlIn(request, value, length, timeout);
        }
        @Override public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
            inner.controlOut(request, value, data, timeout);
        }
        @Override public String stringDescriptor(int index) throws TransportException { return inner.stringDescriptor(index); }
        @Override public void reset() throws TransportException { inner.reset(); }
        @Override public io.github.dfu4j.transport.DevicePort port() { return inner.port(); }
        @Override public void close() { inner.close(); }
    }

    /** The ROM's profile without early polling: this bootloader answers at once, so bwPollTimeout paces the polls. */
    private static final Stm32DeviceProfile H743 = Stm32DeviceProfile.byId("stm32h743").orElseThrow().withEarlyPolling(false);

    private static SimulatedDevice reportingBusy() {
        return SimulatedDevices.create("stm32h743", SimOptions.defaults().withBusyBehaviour(BusyBehaviour.REPORT_DNBUSY));
    }

    @Test
    void aCancelledMassEraseStopsWithinAPollAndTheNextSessionWaitsForTheDevice() throws Exception {
        SimulatedDevice d = reportingBusy(); // mass erase ≈ 24 s, bwPollTimeout 50 ms
        CancellationToken token = new CancellationToken();
        Duration start = d.elapsed();
        try (DfuDevice dev = H743.open(new CancellingTransport(d.connect(), token, Duration.ofSeconds(2)), Duration.ZERO)) {
            DfuCancelledException e = assertThrows(DfuCancelledException.class,
                    () -> dev.massErase(0, ProgressListener.NONE, token));
            assertEquals(Phase.ERASE, e.phase().orElseThrow());
            assertFalse(e.deviceIdle(), "a 24 s mass erase does not end within the wind-down");
            assertTrue(e.duringRequest());
            assertEquals(0x0800_0000L, e.changes().orElseThrow().pending().orElseThrow().start(), "the mass erase may have touched all of flash");
            assertTrue(e.changes().orElseThrow().changedMemory());
        }
        Duration took = d.elapsed().minus(start);
        // cancel at 2 s, then at most CANCEL_WIND_DOWN waiting for dfuIDLE, not the 24 s of the erase
        assertTrue(took.compareTo(Duration.ofSeconds(2).plus(DfuDevice.CANCEL_WIND_DOWN).plusMillis(500)) < 0,
                "stopped soon after the cancel, not after the erase: " + took);
        assertEquals(DfuState.DFU_DNBUSY, d.state(), "the ROM is still erasing");

        // a new session: open waits (with patience) until the erase is over, then the device works
        FirmwareImage image = Firmware.multiSector(d, 77);
        try (DfuDevice again = H743.open(d.connect(), H743.quirks().budgets().massEraseBudget())) {
            FlashResult r = again.download(image, FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(r.verified());
        }
        Firmware.assertHolds(d, image);
    }

    @Test
    void aCancelledSectorEraseAlsoStopsWhileTheDeviceIsBusy() throws Exception {
        SimulatedDevice d = reportingBusy(); // 128 KB sector erase ≈ 1.1 s
        CancellationToken token = new CancellationToken();
        try (DfuDevice dev = H743.open(new CancellingTransport(d.connect(), token, Duration.ofMillis(300)), Duration.ZERO)) {
            DfuCancelledException e = assertThrows(DfuCancelledException.class,
                    () -> dev.erase(0, 0x0800_0000L, 0x0804_0000L, ProgressListener.NONE, token));
            assertEquals(Phase.ERASE, e.phase().orElseThrow());
            assertEquals(0x0800_0000L, e.address().getAsLong(), "inside the first sector's erase");
            // the wind-down let the 1.1 s erase finish and ABORTed: the ROM is idle, the sector maybe erased
            assertTrue(e.deviceIdle());
            assertEquals(List.of(), e.changes().orElseThrow().erased());
            assertEquals(new MemoryRange(0, 0x0800_0000L, 0x0802_0000L), e.changes().orElseThrow().pending().orElseThrow());
        }
        assertEquals(DfuState.DFU_IDLE, d.state());
        try (DfuDevice again = H743.open(d.connect(), H743.quirks().budgets().eraseBudget())) {
            assertEquals(64, again.upload(0, 0x0800_0000L, 64, ProgressListener.NONE).length);
        }
    }

    @Test
    void aCancelledDownloadStopsBetweenBlocksAbortsToIdleAndReportsWhatTheChipHolds() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405", SimOptions.defaults());
        FirmwareImage image = FirmwareImage.of(io.github.dfu4j.formats.Segment.of(0x0800_0000L, Firmware.random(100 * 1024, 9)));
        CancellationToken token = new CancellationToken();
        long stopAfter = 40 * 1024;
        ProgressListener cancelMidWrite = ev -> {
            if (ev.phase() == Phase.WRITE && ev.type() == ProgressEvent.Type.ADVANCED && ev.bytesDone() >= stopAfter) {
                token.cancel(); // the listener runs after a block's write completed: the next request is not sent
            }
        };
        Stm32DeviceProfile f405 = Stm32DeviceProfile.byId("stm32f405").orElseThrow();
        try (DfuDevice dev = f405.open(d.connect(), Duration.ZERO)) {
            DfuCancelledException e = assertThrows(DfuCancelledException.class,
                    () -> dev.download(image, FlashOptions.builder().cancellation(token).build(), cancelMidWrite));
            assertEquals(Phase.WRITE, e.changes().orElseThrow().phase());
            assertTrue(e.deviceIdle(), e.getMessage());
            assertFalse(e.duringRequest());
            assertEquals(List.of(new MemoryRange(0, 0x0800_0000L, 0x0800_4000L), new MemoryRange(0, 0x0800_4000L, 0x0800_8000L),
                    new MemoryRange(0, 0x0800_8000L, 0x0800_C000L), new MemoryRange(0, 0x0800_C000L, 0x0801_0000L),
                    new MemoryRange(0, 0x0801_0000L, 0x0802_0000L)), e.changes().orElseThrow().erased());
            assertEquals(stopAfter, e.changes().orElseThrow().bytesWritten());
            assertEquals(100 * 1024, e.changes().orElseThrow().bytesToWrite());
            // the vector-table sector is written last (a half image never boots): the writes began at 0x08004000
            assertEquals(List.of(new MemoryRange(0, 0x0800_4000L, 0x0800_4000L + stopAfter)), e.changes().orElseThrow().written());
            assertTrue(e.changes().orElseThrow().pending().isEmpty());
        }
        assertEquals(DfuState.DFU_IDLE, d.state(), "ABORTed back to dfuIDLE, not left in dfuDNLOAD-IDLE");
        byte[] expected = image.segments().get(0).bytes();
        byte[] written = d.readMemory(0x0800_4000L, (int) stopAfter);
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 0x4000, 0x4000 + (int) stopAfter), written);
        assertTrue(d.isErased(0x0800_0000L, 0x4000), "the vector-table sector is erased, not written");
        assertTrue(d.isErased(0x0800_4000L + stopAfter, (int) (100 * 1024 - 0x4000 - stopAfter)), "the rest is erased, not written");

        // the report is what an incremental re-run needs: it finishes and verifies
        try (DfuDevice again = f405.open(d.connect(), Duration.ZERO)) {
            FlashResult r = again.download(image, FlashOptions.builder().incremental(true).build(), ProgressListener.NONE);
            assertTrue(r.verified());
        }
        Firmware.assertHolds(d, image);
    }
}
