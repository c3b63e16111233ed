package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription.DfuMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;

import io.github.dfu4j.ops.DfuDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.ops.FlashResult;
import io.github.dfu4j.ops.LeaveRequest;
import io.github.dfu4j.ops.ProgressListener;
import io.github.dfu4j.sim.RuntimeDfuDevice;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.Identification;
import io.github.dfu4j.transport.DfuTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The run-time to DFU path of {@link UsbBackend} against the simulated run-time personality, over a bus
 * adapter: DETACH, USB reset (or none with bitWillDetach), the ROM enumerating on the same port, a
 * flash, the leave, and the application (the run-time face) coming back where the wait finds it.
 */
class RuntimePersonalityTest {
    private static final long FLASH = 0x0800_0000L;

    private static SimulatedDevice board() {
        return SimulatedDevices.create("stm32f405", SimOptions.defaults().withVirtualTime());
    }

    private static UsbBackend backend(SimEndpointBus bus, SimulatedDevice board, OsFamily os) {
        Environment env = new Environment(os, board.clock(), Duration.ofMillis(100), HostInspector.NONE);
        return new UsbBackend(BackendChoice.JNA, bus, new BackendStatus(BackendChoice.JNA, true, "1.0.99", "sim"), env);
    }

    /** A minimal application: a vector table with a stack in RAM and a Thumb reset vector into itself. */
    private static FirmwareImage application() {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x2002_0000).putInt(4, (int) (FLASH + 0x101));
        return FirmwareImage.of(Segment.of(FLASH, b.array()));
    }

    @Test
    void runtimeDeviceIsDetachedResetFlashedAndTheApplicationComesBackAtTheSamePort() throws Exception {
        SimulatedDevice board = board();
        RuntimeDfuDevice device = RuntimeDfuDevice.start(board, false);
        SimEndpointBus bus = new SimEndpointBus(device, 1, 3, 2);
        try (UsbBackend usb = backend(bus, board, OsFamily.LINUX)) {
            DfuDeviceDescription runtime = usb.select(DeviceFilter.builder().vidPid("0483:5740").build());
            assertEquals(DfuMode.RUNTIME, runtime.mode());
            assertEquals(RuntimeDfuDevice.DFU_INTERFACE, runtime.interfaceNumber());
            assertFalse(runtime.functionalDescriptor().willDetach());

            FlashResult result;
            try (DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().vidPid("0483:5740").build(), Duration.ofSeconds(5))) {
                assertEquals(1, device.detaches());
                assertEquals(1, bus.resets, "no bitWillDetach: the host resets the device");
                assertEquals("0483:df11", t.device().vidPid(), "the ROM, found again by port");
                assertEquals("1-3.2", t.device().path());
                assertTrue(t.device().dfuMode());
                DfuDevice dfu = Identification.identify(t).open(t);
                result = dfu.download(application(), FlashOptions.builder().leave(LeaveRequest.auto())
                        .reopenTimeout(Duration.ZERO).build(), ProgressListener.NONE);
            }
            assertTrue(result.verified());
            assertTrue(result.leave().orElseThrow().left());

            Duration before = board.elapsed();
            PortDevice app = usb.awaitDevice("1-3.2", PortDevice.APPLICATION, Duration.ofSeconds(3));
            assertEquals("0483:5740 (run-time DFU interface) at 1-3.2", app.summary());
            assertTrue(board.elapsed().minus(before).compareTo(Duration.ofMillis(200)) <= 0, "found at once");
            assertTrue(device.runtimeMode());
            assertEquals(FLASH, board.runningApplication().orElseThrow().vectorTable());
        }
        assertEquals(0, bus.openHandles);
    }

    @Test
    void willDetachDeviceLeavesByItselfWithoutAReset() throws Exception {
        SimulatedDevice board = board();
        RuntimeDfuDevice device = RuntimeDfuDevice.start(board, true);
        SimEndpointBus bus = new SimEndpointBus(device, 2, 1);
        try (UsbBackend usb = backend(bus, board, OsFamily.LINUX);
             DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().vidPid("0483:5740,0483:df11").alt("Internal Flash").build(),
                     Duration.ofSeconds(5))) {
            assertEquals(0, bus.resets);
            assertEquals(1, device.detaches());
            assertEquals("0483:df11", t.device().vidPid());
            assertEquals(0, t.altSettings().stream().filter(a -> a.name().startsWith("@Internal Flash")).findFirst()
                    .orElseThrow().altSetting());
        }
    }

    @Test
    void withoutTheResetTheDeviceReturnsToAppIdleAndTheHostReportsItLost() throws Exception {
        SimulatedDevice board = board();
        RuntimeDfuDevice device = RuntimeDfuDevice.start(board, false);
        SimEndpointBus bus = new SimEndpointBus(device, 1, 4);
        bus.resetUnsupported = true; // WinUSB
        try (UsbBackend usb = backend(bus, board, OsFamily.WINDOWS)) {
            UsbException e = assertThrows(UsbException.class,
                    () -> usb.openInDfuMode(DeviceFilter.builder().vidPid("0483:5740").build(), Duration.ofSeconds(2)));
            assertEquals(UsbException.Problem.LOST_AFTER_DETACH, e.problem());
            assertTrue(e.advice().orElseThrow().summary().startsWith("WinUSB cannot reset the USB port"), e.advice().orElseThrow().summary());
            assertTrue(device.runtimeMode(), "the application still runs");
            // DFU 1.1 §5.1: the detach timeout ran out, so the run-time state is appIDLE again
            assertEquals(0, device.control(0xA1, 5, 0, RuntimeDfuDevice.DFU_INTERFACE, 1, new byte[0]).data()[0]);
            // a USB reset now (outside appDETACH) does not start the bootloader
            device.busReset();
            assertTrue(device.runtimeMode());
        }
    }

    @Test
    void runtimeInterfaceAnswersGetStatusAndStallsRequestsToOtherInterfaces() throws Exception {
        RuntimeDfuDevice device = RuntimeDfuDevice.start(board(), false);
        byte[] status = device.control(0xA1, 3, 0, RuntimeDfuDevice.DFU_INTERFACE, 6, new byte[0]).data();
        assertEquals(6, status.length);
        assertEquals(0, status[4], "appIDLE");
        assertTrue(device.control(0x21, 0, 1000, 0, 0, new byte[0]).stalled(), "DETACH to the vendor interface");
        assertFalse(device.control(0x21, 0, 1000, RuntimeDfuDevice.DFU_INTERFACE, 0, new byte[0]).stalled());
        assertEquals(1, device.control(0xA1, 5, 0, RuntimeDfuDevice.DFU_INTERFACE, 1, new byte[0]).data()[0], "appDETACH");
        int before = device.enumeration();
        device.busReset();
        assertFalse(device.connected(), "between the application and the bootloader");
        assertTrue(device.enumeration() != before);
    }
}
