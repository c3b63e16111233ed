package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.libusb.DfuMode;
import io.github.dfu4j.libusb.OpenedDevice;
import io.github.dfu4j.ops.FlashOptions;
import io.github.dfu4j.sim.SimOptions;
import io.github.dfu4j.sim.SimulatedDevice;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.stm32.RomQuirk;
import io.github.dfu4j.transport.TransportException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code dfu flash --all} after discovery: several simulated boards handed to the parallel part as if
 * USB had opened them, one of which misbehaves and one of which could not be opened at all.
 */
class FlashAllTest {
    private static final long BASE = 0x0800_0000L;

    /** 80 KiB: reaches the F405's 64 KiB sector 4, whose erase an L4-style ROM answers with stalls. */
    private static FirmwareImage image() {
        byte[] data = new byte[80 * 1024];
        new Random(11).nextBytes(data);
        return FirmwareImage.of(Segment.of(BASE, data));
    }

    private static OpenedDevice opened(SimulatedDevice sim, String path) throws Exception {
        DfuDeviceDescription d = ListCommandTest.usbDescriptionOf(sim.id(), path, DfuMode.DFU, null);
        return new OpenedDevice(d, sim.connect(), null);
    }

    private record Run(int exitCode, String out) {
    }

    private static Run flashAll(List<OpenedDevice> devices, List<String> quirks) {
        FlashCommand command = new FlashCommand();
        command.deviceOptions.quirks = quirks;
        StringWriter out = new StringWriter();
        int code = command.flashEach(devices, image(), FlashOptions.builder().verify(true), new PrintWriter(out, true));
        return new Run(code, out.toString());
    }

    @Test
    void everyBoardIsFlashedAndOneFailureDoesNotStopTheOthers() throws Exception {
        SimulatedDevice f405 = SimulatedDevices.create("stm32f405");
        SimulatedDevice h743 = SimulatedDevices.create("stm32h743");
        SimulatedDevice l4Style = SimulatedDevices.create("stm32f405",
                SimOptions.defaults().withQuirk(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING));
        DfuDeviceDescription locked = ListCommandTest.usbDescriptionOf("stm32f405", "1-4", DfuMode.DFU, null);
        OpenedDevice notOpened = new OpenedDevice(locked, null,
                new TransportException(TransportException.Kind.ACCESS, "libusb_open: LIBUSB_ERROR_ACCESS"));

        Run r = flashAll(List.of(opened(f405, "1-1"), opened(h743, "1-2"), opened(l4Style, "1-3"), notOpened), List.of());

        assertEquals(ExitCode.DEVICE_FAILURE, r.exitCode(), r.out());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertEquals("1-1: flashed and verified", lines.get(0));
        assertEquals("1-2: flashed and verified", lines.get(1));
        assertTrue(lines.get(2).startsWith("1-3: FAILED: ") && lines.get(2).contains("GETSTATUS failed 4 times in a row"),
                lines.get(2));
        assertEquals("1-4: FAILED: libusb_open: LIBUSB_ERROR_ACCESS", lines.get(3));
        byte[] expected = image().segments().get(0).bytes();
        assertArrayEquals(expected, f405.readMemory(BASE, expected.length));
        assertArrayEquals(expected, h743.readMemory(BASE, expected.length));
    }

    @Test
    void allRefusesRecordingsAndBadDeviceOptionsBeforeLookingForUsb() {
        String firmware = "../examples/firmware/blinky-f405.dfu";
        CliRunner replay = CliRunner.run("flash", firmware, "--all", "--replay", "session.txt");
        assertEquals(ExitCode.USAGE, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("cannot be combined with --replay"), replay.err());
        CliRunner badId = CliRunner.run("flash", firmware, "--all", "--device-id", "0xfffff");
        assertEquals(ExitCode.USAGE, badId.exitCode(), badId.err());
        assertTrue(badId.err().contains("--device-id"), badId.err());
    }

    @Test
    void quirkOptionsApplyToEveryBoard() throws Exception {
        SimulatedDevice f405 = SimulatedDevices.create("stm32f405");
        SimulatedDevice l4Style = SimulatedDevices.create("stm32f405",
                SimOptions.defaults().withQuirk(RomQuirk.STALLS_GETSTATUS_WHILE_ERASING));

        Run r = flashAll(List.of(opened(f405, "1-1"), opened(l4Style, "1-3")), List.of("stalls-getstatus-while-erasing"));

        assertEquals(ExitCode.OK, r.exitCode(), r.out());
        assertEquals(List.of("1-1: flashed and verified", "1-3: flashed and verified"), r.out().lines().toList());
        byte[] expected = image().segments().get(0).bytes();
        assertArrayEquals(expected, l4Style.readMemory(BASE, expected.length));
    }
}
