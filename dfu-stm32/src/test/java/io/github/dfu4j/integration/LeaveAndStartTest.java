package io.github.dfu4j.integration;

import io.github.dfu4j.stm32.internal.Stm32Internals;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareFiles;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveMode;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.LeaveResult;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.RunningApplication;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.stm32.Stm32DeviceProfile;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leave and start per family: F0/F4/F7 ROMs jump through the vector table base, H7 ROMs branch to the
 * reset handler (taken from the image's vector table or its ELF entry point), mboot resets. BOOT0 high
 * or a wrong address is "flashed, verified, but did not start" (CAME_BACK_IN_DFU), never a failure.
 */
class LeaveAndStartTest {

    static Stream<String> ids() {
        return SimulatedDevices.ids().stream().map(SimulatedDevices.Entry::id).filter(id -> !id.startsWith("plain-dfu")); // DfuSe only: plain DFU in PlainDfuPersonalityTest
    }

    static Stream<String> romIds() {
        return ids().filter(id -> !id.startsWith("mboot"));
    }

    private record Flashed(FlashResult result, SimulatedDevice device) {
        LeaveResult leave() {
            return result.leave().orElseThrow();
        }
    }

    private static FirmwareImage app(SimulatedDevice d, int length, int handlerOffset) {
        long base = Firmware.appBase(d);
        return FirmwareImage.of(Segment.of(base, Firmware.application(base, Firmware.stackTop(Stm32Internals.chipOf(d)), length, handlerOffset, 0.2, 11)));
    }

    private static Flashed flash(SimulatedDevice d, FirmwareImage image, LeaveRequest leave) throws Exception {
        DfuTransport t = d.connect();
        Identification id = Identification.identify(t);
        try (DfuDevice dev = id.open(t)) {
            FlashResult r = dev.download(image, FlashOptions.builder().leave(leave).build(), ProgressListener.NONE);
            assertTrue(r.verified(), d.id());
            Firmware.assertHolds(d, image);
            LeaveResult l = r.leave().orElseThrow();
            if (l.left() && l.reenumerationChecked()) {
                // not back in DFU mode within the check: the port says the application came up
                assertEquals(PortState.Mode.OTHER, l.atPort().orElseThrow().mode(), d.id() + ": " + l.atPort());
                assertTrue(d.runningApplication().isPresent(), d.id());
            } else {
                assertTrue(l.atPort().isEmpty(), d.id() + ": " + l);
            }
            if (l.outcome() == LeaveResult.Outcome.CAME_BACK_IN_DFU) {
                // the device goes on with its new enumeration: it answers in DFU mode again
                assertTrue(d.inDfuMode(), d.id());
                dev.upload(0, Firmware.appBase(d), 16, ProgressListener.NONE);
            }
            return new Flashed(r, d);
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void autoLeaveStartsTheApplicationTheWayTheBootloaderWantsIt(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        long base = Firmware.appBase(d);
        LeaveMode mode = Stm32DeviceProfile.byId(id).orElseThrow().leaveMode();
        Flashed f = flash(d, app(d, 6000, Firmware.HANDLER), LeaveRequest.auto());
        LeaveResult leave = f.leave();
        switch (mode) {
            case VECTOR_TABLE -> {
                assertEquals(LeaveResult.AddressSource.VECTOR_TABLE_BASE, leave.addressSource(), id);
                assertEquals(base, leave.address().getAsLong());
            }
            case RESET_HANDLER -> {
                assertEquals(LeaveResult.AddressSource.RESET_VECTOR, leave.addressSource(), id);
                assertEquals(Firmware.resetVector(base, Firmware.HANDLER), leave.address().getAsLong());
                assertEquals(LeaveResult.Outcome.DISCONNECTED, leave.outcome(), "H7 ROMs reset before answering");
            }
            case IGNORED_RESETS -> assertEquals(LeaveResult.AddressSource.NONE, leave.addressSource(), id);
        }
        assertTrue(leave.left(), id + " " + leave);
        RunningApplication a = d.runningApplication().orElseThrow();
        assertEquals(base, a.vectorTable());
        assertEquals(Firmware.resetVector(base, Firmware.HANDLER), a.entryPoint());
    }

    /** docs/troubleshooting.md 001: an H7 application whose reset handler is 0x0800BA65; leaving at 0x08000000 does not start it. */
    @Test
    void h7LeavesThroughTheResetHandlerNotTheTableBase() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        FirmwareImage image = app(d, 0xC000, 0xBA64);
        Flashed f = flash(d, image, LeaveRequest.auto());
        assertEquals(0x0800_BA65L, f.leave().address().getAsLong());
        assertEquals(0x0800_BA65L, d.runningApplication().orElseThrow().entryPoint());

        SimulatedDevice again = SimulatedDevices.create("stm32h743");
        Flashed wrong = flash(again, image, LeaveRequest.at(0x0800_0000L));
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, wrong.leave().outcome(), "what dfu-util :leave / CubeProgrammer did");
        assertTrue(again.runningApplication().isEmpty());
        assertTrue(again.inDfuMode());
    }

    @Test
    void h7ElfEntryPointIsTheLeaveAddress() throws Exception {
        Path elf = Firmware.example("blinky-h743.elf").orElse(null);
        Assumptions.assumeTrue(elf != null, "examples/firmware not in this checkout");
        FirmwareImage image = FirmwareFiles.read(elf);
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        Flashed f = flash(d, image, LeaveRequest.auto());
        assertEquals(LeaveResult.AddressSource.IMAGE_ENTRY_POINT, f.leave().addressSource());
        assertEquals(image.entryPoint().getAsLong(), f.leave().address().getAsLong());
        assertEquals(image.entryPoint().getAsLong(), d.runningApplication().orElseThrow().entryPoint());
    }

    @Test
    void f4ElfLeavesThroughTheVectorTableNotTheEntryPoint() throws Exception {
        Path elf = Firmware.example("blinky-f405.elf").orElse(null);
        Assumptions.assumeTrue(elf != null, "examples/firmware not in this checkout");
        FirmwareImage image = FirmwareFiles.read(elf);
        SimulatedDevice d = SimulatedDevices.create("stm32f405");
        Flashed f = flash(d, image, LeaveRequest.auto());
        assertEquals(OptionalLong.of(0x0800_0000L), f.leave().address());
        assertEquals(0x0800_0000L, d.runningApplication().orElseThrow().vectorTable());
    }

    @ParameterizedTest
    @MethodSource("ids")
    void boot0HighIsFlashedVerifiedButNotStarted(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withBoot0High(true));
        Flashed f = flash(d, app(d, 6000, Firmware.HANDLER), LeaveRequest.auto());
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, f.leave().outcome(), id);
        assertTrue(f.leave().reenumerationChecked());
        assertTrue(f.result().verified());
        assertTrue(d.runningApplication().isEmpty());
        assertTrue(d.inDfuMode());
    }

    @ParameterizedTest
    @MethodSource("romIds")
    void anExplicitWrongAddressComesBackInDfuMode(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        long wrong = Firmware.appBase(d) + 0x100; // inside the image, not a vector table nor the handler
        Flashed f = flash(d, app(d, 6000, Firmware.HANDLER), LeaveRequest.at(wrong));
        assertEquals(LeaveResult.AddressSource.EXPLICIT, f.leave().addressSource());
        assertEquals(LeaveResult.Outcome.CAME_BACK_IN_DFU, f.leave().outcome(), id);
        assertTrue(d.runningApplication().isEmpty());
    }

    /** Flashes without leaving; the device stays in DFU mode with the image in flash. */
    private static void flashOnly(SimulatedDevice d, FirmwareImage image) throws Exception {
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            FlashResult r = dev.download(image, FlashOptions.defaults(), ProgressListener.NONE);
            assertTrue(r.verified());
            assertTrue(r.leave().isEmpty());
        }
        assertTrue(d.inDfuMode());
    }

    /** A fresh session's leave without an address, as {@code dfu leave} / dfu-util -s :leave do. */
    private static LeaveResult bareLeave(SimulatedDevice d) throws Exception {
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            return dev.leave(OptionalLong.empty());
        }
    }

    /** docs/troubleshooting.md 001 again: a bare leave on an H7 ROM used to jump to the pointer (0x08000000) and come back. */
    @Test
    void h7BareLeaveInAFreshSessionStartsTheApplicationThroughItsResetVector() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        flashOnly(d, app(d, 0xC000, 0xBA64));
        LeaveResult leave = bareLeave(d);
        assertEquals(LeaveResult.AddressSource.RESET_VECTOR, leave.addressSource());
        assertEquals(OptionalLong.of(0x0800_BA65L), leave.address(), "word 1 as stored, Thumb bit included");
        assertTrue(leave.left(), leave.toString());
        assertFalse(d.inDfuMode());
        assertEquals(0x0800_BA65L, d.runningApplication().orElseThrow().entryPoint());
    }

    @Test
    void h7BareLeaveOnBlankFlashFailsInsteadOfJumping() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        DfuException e = assertThrows(DfuException.class, () -> bareLeave(d));
        assertEquals(DfuException.Kind.LEAVE_ADDRESS, e.kind(), e.getMessage());
        assertEquals(Phase.LEAVE, e.phase().orElseThrow());
        assertEquals(0x0800_0000L, e.address().getAsLong());
        assertTrue(e.getMessage().contains("blank") && e.getMessage().contains("explicit leave address"), e.getMessage());
        assertTrue(d.inDfuMode());
        assertTrue(d.trace().stream().noneMatch(x -> x.request().request() == DfuRequest.DNLOAD && x.request().length() == 0),
                "no leave request was sent");
    }

    @Test
    void h7BareLeaveRefusesAResetVectorOutsideFlash() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("stm32h743");
        // a stack pointer and a "reset handler" in AXI SRAM: not an application this ROM can start from flash
        d.writeMemory(0x0800_0000L, new byte[] {0x00, 0x00, 0x02, 0x24, 0x35, 0x12, 0x00, 0x24});
        DfuException e = assertThrows(DfuException.class, () -> bareLeave(d));
        assertEquals(DfuException.Kind.LEAVE_ADDRESS, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("0x24001235") && e.getMessage().contains("not inside flash"), e.getMessage());
        assertTrue(d.inDfuMode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f072", "stm32f405", "stm32f746"})
    void vectorTableRomsBareLeaveSendsTheFlashStart(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id);
        flashOnly(d, app(d, 6000, Firmware.HANDLER));
        LeaveResult leave = bareLeave(d);
        assertEquals(LeaveResult.AddressSource.LAYOUT_START, leave.addressSource());
        assertEquals(OptionalLong.of(0x0800_0000L), leave.address());
        assertTrue(leave.left(), leave.toString());
        assertEquals(0x0800_0000L, d.runningApplication().orElseThrow().vectorTable());
    }

    @Test
    void mbootBareLeaveSendsNoAddress() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2");
        flashOnly(d, app(d, 6000, Firmware.HANDLER));
        LeaveResult leave = bareLeave(d);
        assertEquals(LeaveResult.AddressSource.NONE, leave.addressSource());
        assertTrue(leave.address().isEmpty());
        assertEquals(0x0800_8000L, d.runningApplication().orElseThrow().vectorTable());
    }

    @Test
    void mbootIgnoresEvenAnExplicitAddress() throws Exception {
        SimulatedDevice d = SimulatedDevices.create("mboot-pybd-sf2");
        Flashed f = flash(d, app(d, 6000, Firmware.HANDLER), LeaveRequest.at(0x0801_2345L));
        assertTrue(f.leave().left(), f.leave().toString());
        assertEquals(0x0800_8000L, d.runningApplication().orElseThrow().vectorTable());
    }

    /**
     * Issue 9: a leave whose final GETSTATUS times out while the device stays on the bus was reported
     * as DISCONNECTED (left). Only the transport saying the device is gone counts as having left.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743", "stm32f072"})
    void aLeaveWhoseFinalStatusTimesOutOnABusThatStillHasTheDeviceIsNotLeft(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withFaults(
                io.github.dfu4j.sim.FaultRule.every(io.github.dfu4j.sim.RequestMatcher.getStatusFor(io.github.dfu4j.sim.Command.Leave.class),
                        io.github.dfu4j.sim.Fault.timeout())));
        FirmwareImage image = app(d, 6000, Firmware.HANDLER);
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            FlashResult r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            assertTrue(r.verified());
            LeaveResult l = r.leave().orElseThrow();
            assertEquals(LeaveResult.Outcome.NO_ANSWER, l.outcome());
            assertFalse(l.left(), "a timeout is not a disconnect");
            assertTrue(d.inDfuMode(), "the device really is still in DFU mode");
        }
        // the same through DfuDevice.leave, on a device whose flash already holds the image
        SimulatedDevice d2 = SimulatedDevices.create(id, d.options().withInitialMemory(image));
        DfuTransport t2 = d2.connect();
        try (DfuDevice dev = Identification.identify(t2).open(t2)) {
            LeaveResult l = dev.leave(OptionalLong.of(Firmware.appBase(d2)), java.time.Duration.ZERO);
            assertEquals(LeaveResult.Outcome.NO_ANSWER, l.outcome());
            assertFalse(l.left());
            assertTrue(d2.inDfuMode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stm32f405", "stm32h743"})
    void aLeaveWhoseFinalStatusTimesOutOnceIsAskedAgainAndCountsOnlyWhatTheDeviceThenDoes(String id) throws Exception {
        SimulatedDevice d = SimulatedDevices.create(id, SimOptions.defaults().withFaults(
                io.github.dfu4j.sim.FaultRule.first(io.github.dfu4j.sim.RequestMatcher.getStatusFor(io.github.dfu4j.sim.Command.Leave.class),
                        io.github.dfu4j.sim.Fault.timeout())));
        FirmwareImage image = app(d, 6000, Firmware.HANDLER);
        DfuTransport t = d.connect();
        try (DfuDevice dev = Identification.identify(t).open(t)) {
            FlashResult r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
            LeaveResult l = r.leave().orElseThrow();
            assertEquals(!d.inDfuMode(), l.left(), l + " while the device is " + (d.inDfuMode() ? "in DFU mode" : "gone"));
        }
    }
}
