package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.stm32.internal.ChipProfile;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Leaving DFU (docs/reference/dfu.md §2.5): the right address starts the application, a wrong one does not. */
class LeaveTest {
    static final long FLASH = 0x0800_0000L;

    static Stream<String> romIds() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("mboot")).filter(id -> !id.startsWith("plain-dfu"));
    }

    private static long stackTop(ChipProfile chip) {
        return chip.ram().get(0).end();
    }

    /** Programs an application at the flash base through the protocol and returns its bytes. */
    private static byte[] program(SimulatedDevice d, RawDfu h, long base) throws TransportException {
        byte[] app = TestImages.application(base, stackTop(d.chip()), 4096);
        int xfer = d.chip().rom().transferSize();
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.erase(base).dfuState());
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.writeEachAddressed(base, app, xfer).dfuState());
        return app;
    }

    /** The address the ROM needs to start the application, per its leave behaviour. */
    private static long correctAddress(SimulatedDevice d, byte[] app, long base) {
        return d.chip().leave() == LeaveMode.RESET_HANDLER ? TestImages.resetHandler(app) : base;
    }

    private static long wrongAddress(SimulatedDevice d, byte[] app, long base) {
        return d.chip().leave() == LeaveMode.RESET_HANDLER ? base : base + 0x200;
    }

    private static Optional<RawDfu.Status> leaveAt(RawDfu h, long address, int block) throws TransportException {
        assertEquals(DfuState.DFU_DNLOAD_IDLE, h.setAddress(address).dfuState());
        return h.leave(block);
    }

    @ParameterizedTest
    @MethodSource("romIds")
    void theRightAddressStartsTheApplication(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        RawDfu h = new RawDfu(d.connect());
        byte[] app = program(d, h, FLASH);
        long address = correctAddress(d, app, FLASH);
        Optional<RawDfu.Status> reply = leaveAt(h, address, 2);
        if (d.chip().has(RomQuirk.LEAVES_BEFORE_MANIFEST_STATUS)) {
            assertTrue(reply.isEmpty(), "H7 ROMs reset before answering");
        } else {
            assertEquals(DfuState.DFU_MANIFEST, reply.orElseThrow().dfuState());
        }
        RunningApplication running = d.runningApplication().orElseThrow();
        assertEquals(FLASH, running.vectorTable());
        assertEquals(TestImages.resetHandler(app), running.entryPoint());
        assertFalse(d.inDfuMode());
        assertTrue(h.reopen(Duration.ofSeconds(5)).isEmpty(), "the application runs: no DFU device comes back");
        TransportException e = assertThrows(TransportException.class, h::getStatus);
        assertTrue(e.isDisconnect());
    }

    @ParameterizedTest
    @MethodSource("romIds")
    void aWrongAddressComesBackInDfuMode(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        RawDfu h = new RawDfu(d.connect());
        byte[] app = program(d, h, FLASH);
        leaveAt(h, wrongAddress(d, app, FLASH), 0);
        assertTrue(d.runningApplication().isEmpty());
        DfuTransport back = h.reopen(Duration.ofSeconds(5)).orElseThrow();
        RawDfu h2 = new RawDfu(back);
        assertEquals(DfuState.DFU_IDLE, h2.getStatus().dfuState());
        assertEquals(2, d.stats().enumerations());
        // and the right address works from there
        leaveAt(h2, correctAddress(d, app, FLASH), 2);
        assertTrue(d.runningApplication().isPresent());
    }

    @ParameterizedTest
    @MethodSource("romIds")
    void boot0HighAlwaysComesBackInDfuMode(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBoot0High(true));
        RawDfu h = new RawDfu(d.connect());
        byte[] app = program(d, h, FLASH);
        leaveAt(h, correctAddress(d, app, FLASH), 2);
        assertTrue(d.runningApplication().isEmpty());
        assertTrue(h.reopen(Duration.ofSeconds(5)).isPresent());
    }

    @ParameterizedTest
    @MethodSource("romIds")
    void erasedFlashHasNoApplicationToStart(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        RawDfu h = new RawDfu(d.connect());
        h.leave(0); // pointer defaults to the flash base
        assertTrue(d.runningApplication().isEmpty());
        assertTrue(h.reopen(Duration.ofSeconds(5)).isPresent());
    }

    @Test
    void vectorTableMustHoldAStackPointerInRamAndAThumbResetVectorIntoFlash() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        byte[] app = TestImages.application(FLASH, 0x2002_0000L, 1024);
        byte[] evenReset = app.clone();
        evenReset[4] &= (byte) 0xFE; // no Thumb bit
        byte[] spInFlash = app.clone();
        spInFlash[3] = 0x08;
        for (byte[] bad : new byte[][] {evenReset, spInFlash}) {
            d.writeMemory(FLASH, bad);
            RawDfu h = new RawDfu(d.connect());
            h.leave(2);
            assertTrue(d.runningApplication().isEmpty());
            h.reopen(Duration.ofSeconds(1)).orElseThrow();
        }
        d.writeMemory(FLASH, app);
        new RawDfu(d.connect()).leave(2);
        assertTrue(d.runningApplication().isPresent());
    }

    @Test
    void h7AcceptsTheResetHandlerWithOrWithoutTheThumbBit() throws Exception {
        for (long delta : new long[] {0, -1}) {
            SimulatedDevice d = SimulatedDevices.create("stm32h743");
            RawDfu h = new RawDfu(d.connect());
            byte[] app = program(d, h, FLASH);
            leaveAt(h, TestImages.resetHandler(app) + delta, 2);
            assertTrue(d.runningApplication().isPresent(), "delta " + delta);
        }
    }

    @Test
    void applicationAtAnotherSectorIsStartedThroughItsOwnVectorTable() throws Exception {
        for (String id : new String[] {"stm32f405", "stm32h743"}) {
            SimulatedDevice d = SimulatedDevices.create(id);
            RawDfu h = new RawDfu(d.connect());
            long base = 0x0802_0000L;
            byte[] app = program(d, h, base);
            leaveAt(h, correctAddress(d, app, base), 2);
            assertEquals(base, d.runningApplication().orElseThrow().vectorTable(), id);
        }
    }

    @Test
    void connectingAgainPutsTheBoardBackIntoTheBootloader() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        RawDfu h = new RawDfu(d.connect());
        program(d, h, FLASH);
        leaveAt(h, FLASH, 2);
        assertTrue(d.runningApplication().isPresent());
        RawDfu again = new RawDfu(d.connect());
        assertEquals(DfuState.DFU_IDLE, again.getStatus().dfuState());
        assertTrue(d.runningApplication().isEmpty());
    }
}
