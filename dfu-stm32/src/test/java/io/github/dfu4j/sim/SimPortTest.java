package io.github.dfu4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulator's {@link DevicePort}: what is at the board's port, and waiting for DFU mode or the application there. */
class SimPortTest {
    static final long FLASH = 0x0800_0000L;

    @Test
    void theBootloaderOnTheBusIsDfuModeWithItsIdentity() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        DfuTransport t = d.connect();
        PortState s = t.port().state();
        assertEquals(PortState.Mode.DFU, s.mode());
        assertEquals(t.device(), s.device().orElseThrow());
        assertEquals("0483:df11 (DFU mode) at sim:stm32f405", s.summary());
        assertEquals("sim:stm32f405", t.port().path());
        assertTrue(t.port().awaitDfu(Duration.ofSeconds(1)).isEmpty(), "the enumeration the port was taken from does not count");
    }

    @Test
    void afterALeaveThePortReportsTheRunningApplication() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        d.writeMemory(FLASH, TestImages.application(FLASH, 0x2002_0000L, 1024));
        DfuTransport t = d.connect();
        DevicePort port = t.port();
        RawDfu h = new RawDfu(t);
        h.setAddress(FLASH);
        h.leave(0);
        PortState app = port.awaitApplication(Duration.ofSeconds(5)).orElseThrow();
        assertEquals(PortState.Mode.OTHER, app.mode(), "the plain board has no USB face for its application");
        assertTrue(app.mode().isApplication());
        assertEquals("simulated application at sim:stm32f405", app.summary());
        RunningApplication running = d.runningApplication().orElseThrow();
        assertEquals(String.format("vector table 0x%08x, reset handler 0x%08x", FLASH, running.entryPoint()), app.detail());
        assertEquals(app, port.state());
        Duration before = d.elapsed();
        assertTrue(port.awaitDfu(Duration.ofSeconds(2)).isEmpty(), "the application stays");
        assertEquals(Duration.ofSeconds(2), d.elapsed().minus(before), "the wait ran on the board's clock");
        assertThrows(TransportException.class, () -> t.controlIn(3, 0, 6, Duration.ofSeconds(1)), "the old enumeration is gone");
    }

    @Test
    void aLeaveWithoutApplicationComesBackAsANewEnumeration() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        DfuTransport t = d.connect();
        new RawDfu(t).leave(0); // erased flash: the ROM comes back
        Optional<DfuTransport> back = t.port().awaitDfu(Duration.ofSeconds(3));
        assertTrue(back.isPresent());
        assertNotSame(t, back.get());
        assertEquals(PortState.Mode.DFU, back.get().port().state().mode());
        assertEquals(io.github.dfu4j.dfu.DfuState.DFU_IDLE, new RawDfu(back.get()).getStatus().dfuState(), "the new enumeration answers");
        assertTrue(t.port().awaitApplication(Duration.ofSeconds(1)).isEmpty(), "nothing but the bootloader");
        assertEquals(PortState.Mode.DFU, t.port().state().mode());
    }

    @Test
    void aRunTimeApplicationIsReportedWithItsOwnIdentity() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        DfuTransport t = d.connect();
        RuntimeDfuDevice.start(d, true);
        PortState s = t.port().state();
        assertEquals(PortState.Mode.RUNTIME, s.mode());
        assertEquals(RuntimeDfuDevice.PRODUCT_ID, s.device().orElseThrow().productId());
        assertFalse(s.device().orElseThrow().dfuMode());
        assertEquals("0483:5740 (run-time DFU interface) at sim:stm32f405", s.summary());
        assertEquals(s, t.port().awaitApplication(Duration.ZERO).orElseThrow());
    }
}
