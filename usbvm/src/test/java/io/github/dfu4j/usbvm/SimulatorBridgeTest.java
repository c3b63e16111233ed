package io.github.dfu4j.usbvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bridge in front of dfu-stm32's real simulated bootloaders, over the fake raw_gadget. */
class SimulatorBridgeTest {
    private final FakeRawGadget gadget = new FakeRawGadget();
    private final StringWriter trace = new StringWriter();

    private static BridgeOptions options(String... args) {
        return BridgeOptions.parse(args);
    }

    private static byte[] le32(int command, long address) {
        return new byte[] {(byte) command, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743", "stm32f072", "stm32f767"})
    void enumeratesEveryPersonalityFromItsOwnDescriptors(String id) throws IOException {
        BridgedDevice device = SimulatorDevices.create(options("--sim", id));
        ControlBridge bridge = new ControlBridge(gadget, device.endpoint(), BridgeTrace.to(trace));
        gadget.exchange(bridge, 0x80, 6, 0x0100, 0, 64, null);
        assertEquals(0x0483, (gadget.lastWritten()[8] & 0xFF) | (gadget.lastWritten()[9] & 0xFF) << 8);
        gadget.exchange(bridge, 0x80, 6, 0x0200, 0, 0xFFFF, null);
        byte[] config = gadget.lastWritten();
        assertEquals((config[2] & 0xFF) | (config[3] & 0xFF) << 8, config.length, "wTotalLength");
        gadget.exchange(bridge, 0x00, 9, 1, 0, 0, null);
        assertTrue(gadget.ops.contains("CONFIGURE"));
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null); // GETSTATUS
        assertEquals(6, gadget.lastWritten().length);
        assertEquals(2, gadget.lastWritten()[4], "dfuIDLE");
    }

    @Test
    void aDfuseEraseAndWriteThroughTheBridgeLandsInSimulatedFlash() throws IOException {
        SimulatedDevice sim = SimulatedDevices.create("stm32f405", SimulatorDevices.simOptions(options("--sim", "stm32f405")));
        ControlBridge bridge = new ControlBridge(gadget, sim.endpoint(), BridgeTrace.to(trace));
        gadget.exchange(bridge, 0x00, 9, 1, 0, 0, null);
        gadget.exchange(bridge, 0x01, 11, 0, 0, 0, null);
        gadget.exchange(bridge, 0x21, 1, 0, 0, 5, le32(0x41, 0x08000000L)); // ERASE sector 0
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(4, gadget.lastWritten()[4], "dfuDNBUSY");
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(5, gadget.lastWritten()[4], "dfuDNLOAD_IDLE");
        gadget.exchange(bridge, 0x21, 1, 0, 0, 5, le32(0x21, 0x08000000L)); // SET_ADDRESS
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        byte[] block = new byte[2048];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7);
        }
        gadget.exchange(bridge, 0x21, 1, 2, 0, block.length, block);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(5, gadget.lastWritten()[4], () -> "state after the write; trace:\n" + trace);
        assertArrayEquals(block, sim.readMemory(0x08000000L, block.length));
    }

    /** Erase sector 0 and set the address pointer, each followed by the two GETSTATUS of its cycle. */
    private void eraseAndPoint(ControlBridge bridge) {
        gadget.exchange(bridge, 0x00, 9, 1, 0, 0, null);
        gadget.exchange(bridge, 0x21, 1, 0, 0, 5, le32(0x41, 0x08000000L));
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0x21, 1, 0, 0, 5, le32(0x21, 0x08000000L));
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(5, gadget.lastWritten()[4], "dfuDNLOAD_IDLE");
    }

    @Test
    void anInjectedStallOfAWriteIsReportedByItsGetStatusAndNothingIsWritten() throws IOException {
        SimulatedDevice sim = SimulatedDevices.create("stm32f405",
                SimulatorDevices.simOptions(options("--sim", "stm32f405", "--sim-option", "fault=stall@cmd:write#1")));
        ControlBridge bridge = new ControlBridge(gadget, sim.endpoint(), BridgeTrace.to(trace));
        eraseAndPoint(bridge);
        byte[] block = new byte[2048];
        Arrays.fill(block, (byte) 0x42);
        gadget.exchange(bridge, 0x21, 1, 2, 0, block.length, block);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertArrayEquals(new byte[] {0x0F, 0, 0, 0, 10, 0}, gadget.lastWritten(), () -> "errSTALLEDPKT/dfuERROR; trace:\n" + trace);
        gadget.exchange(bridge, 0x21, 4, 0, 0, 0, null); // CLRSTATUS
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(2, gadget.lastWritten()[4], "dfuIDLE: the simulator was brought back with ABORT");
        assertEquals(0, gadget.lastWritten()[0]);
        byte[] erased = new byte[2048];
        Arrays.fill(erased, (byte) 0xFF);
        assertArrayEquals(erased, sim.readMemory(0x08000000L, 2048), "the refused block never reached the flash");
        assertTrue(trace.toString().contains("ABORT"), trace.toString());
    }

    @Test
    void aDnloadTheSimulatorRefusesByItsOwnRulesIsReportedThroughItsOwnError() throws IOException {
        SimulatedDevice sim = SimulatedDevices.create("stm32f405", SimulatorDevices.simOptions(options("--sim", "stm32f405")));
        ControlBridge bridge = new ControlBridge(gadget, sim.endpoint(), BridgeTrace.to(trace));
        eraseAndPoint(bridge);
        gadget.exchange(bridge, 0x21, 1, 2, 0, 4096, new byte[4096]); // longer than wTransferSize 2048
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertArrayEquals(new byte[] {0x0F, 0, 0, 0, 10, 0}, gadget.lastWritten());
        gadget.exchange(bridge, 0x21, 4, 0, 0, 0, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertEquals(2, gadget.lastWritten()[4], () -> "dfuIDLE after CLRSTATUS; trace:\n" + trace);
        assertTrue(trace.toString().contains("with CLRSTATUS"), trace.toString());
    }

    @Test
    void aChipWithBoot0HighComesBackAfterLeavingAndTheBridgeWaitsForIt() throws Exception {
        BridgedDevice device = SimulatorDevices.create(options("--sim", "stm32f405", "--sim-option", "boot0=high"));
        ControlBridge bridge = new ControlBridge(gadget, device.endpoint(), BridgeTrace.to(trace));
        gadget.exchange(bridge, 0x00, 9, 1, 0, 0, null);
        gadget.exchange(bridge, 0x21, 1, 2, 0, 0, null); // zero-length DNLOAD: leave
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null); // GETSTATUS -> dfuMANIFEST, then the chip resets
        assertEquals(7, gadget.lastWritten()[4], "dfuMANIFEST");
        assertFalse(device.endpoint().connected(), "the chip left the bus");
        assertTrue(BridgeMain.awaitRejoin(device, Duration.ofSeconds(5)), "BOOT0 high: back in the bootloader");
        assertTrue(device.endpoint().connected());
    }

    @Test
    void aChipThatStartsItsApplicationStaysAway() throws Exception {
        BridgedDevice device = SimulatorDevices.create(options("--sim", "stm32f405"));
        ControlBridge bridge = new ControlBridge(gadget, device.endpoint(), BridgeTrace.to(trace));
        gadget.exchange(bridge, 0x00, 9, 1, 0, 0, null);
        gadget.exchange(bridge, 0x21, 1, 2, 0, 0, null);
        gadget.exchange(bridge, 0xA1, 3, 0, 0, 6, null);
        assertFalse(device.endpoint().connected());
        // Erased flash holds no application: the chip may come back; either way awaitRejoin must
        // agree with the device's own view once the timeout has passed.
        boolean back = BridgeMain.awaitRejoin(device, Duration.ofMillis(300));
        assertEquals(device.endpoint().connected(), back);
    }

    @Test
    void stateFileRoundTripsThroughTheBridgeFactory(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("f405.state");
        BridgedDevice first = SimulatorDevices.create(options("--sim", "stm32f405", "--state", state.toString()));
        SimulatedDevice probe = SimulatedDevices.create("stm32f405");
        assertTrue(probe.isErased(0x08000000L, 16));
        first.saveState(state);
        assertTrue(Files.size(state) > 0);
        BridgedDevice second = SimulatorDevices.create(options("--sim", "stm32f405", "--state", state.toString()));
        assertArrayEquals(first.endpoint().deviceDescriptor(), second.endpoint().deviceDescriptor());
        assertEquals(Optional.of(state), options("--sim", "x", "--state", state.toString()).stateFile());
        assertEquals(List.of(), options("--sim", "x").simOptions());
    }
}
