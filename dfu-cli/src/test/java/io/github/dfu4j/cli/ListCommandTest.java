package io.github.dfu4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.Advice;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.libusb.DfuFunctionalDescriptor;
import io.github.dfu4j.libusb.DfuMode;
import io.github.dfu4j.libusb.FunctionalDescriptorSource;
import io.github.dfu4j.libusb.OpenProblem;
import io.github.dfu4j.sim.SimulatedDevices;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dfu list}: besides dfu-util's lines, what dfu4j makes of each device (the identification
 * {@code dfu flash} prints, the functional descriptor), or why it cannot be opened. USB devices are
 * described from the discovery records a simulated device's descriptors fill in.
 */
class ListCommandTest {

    /** What discovery would report for this simulated device on a USB port. */
    static DfuDeviceDescription usbDescriptionOf(String simId, String path, DfuMode mode, OpenProblem problem) throws Exception {
        try (DfuTransport t = SimulatedDevices.create(simId).connect()) {
            var info = t.device();
            return new DfuDeviceDescription(info.vendorId(), info.productId(), info.bcdDevice(),
                    problem == null ? info.manufacturer() : "", problem == null ? info.product() : "",
                    problem == null ? info.serial() : "", 1, 7, path, 1, 0, mode, t.altSettings(),
                    DfuFunctionalDescriptor.parse(t.functionalDescriptor(), simId), FunctionalDescriptorSource.INTERFACE_EXTRA,
                    problem);
        }
    }

    @Test
    void listSimShowsIdentificationAndFunctionalDescriptorOfEveryPersonality() {
        CliRunner r = CliRunner.run("list", "--sim");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        int f405 = lines.indexOf(lines.stream().filter(l -> l.startsWith("stm32f405 ")).findFirst().orElseThrow());
        assertEquals("  Identified: STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)", lines.get(f405 + 1));
        assertEquals("  Functional descriptor: DfuSe 1.1a, bmAttributes 0x0b (download, upload, will-detach), detach 255 ms,"
                + " transfer 2048", lines.get(f405 + 2));
        assertTrue(r.out().contains("  Identified: STM32H742/H743/H753/H750 (2 MB die) ROM bootloader (ST, bcdDevice 0x0200)"),
                r.out());
        assertTrue(r.out().contains("transfer 1024"), "the H7 ROMs' wTransferSize: " + r.out());
        assertTrue(r.out().contains("  Identified: MicroPython mboot on PYBD-SF6 (STM32F767IIK) (bcdDevice 0x0300)"), r.out());
        long identified = lines.stream().filter(l -> l.startsWith("  Identified: ")).count();
        assertEquals(SimulatedDevices.ids().size(), identified, "one identification per simulated device");
        assertFalse(r.out().contains("not identified"), r.out());
    }

    @Test
    void listSimJsonCarriesTheSameFacts() {
        CliRunner r = CliRunner.run("list", "--sim", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"identified\":\"STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)\""), r.out());
        assertTrue(r.out().contains("\"identifiedKind\":\"MBOOT\""), r.out());
        assertTrue(r.out().contains("\"transferSize\":1024"), r.out());
    }

    @Test
    void anOpenedUsbDeviceIsIdentifiedAsFlashWouldIdentifyIt() throws Exception {
        List<String> lines = ListCommand.describe(usbDescriptionOf("stm32f405", "1-2.3", DfuMode.DFU, null));
        assertTrue(lines.get(0).startsWith("Found DFU: [0483:df11] ver=2200, devnum=7, cfg=1, intf=0, path=\"1-2.3\", alt=0,"
                + " name=\"@Internal Flash"), lines.get(0));
        assertEquals(4, lines.stream().filter(l -> l.startsWith("Found DFU:")).count(), "one line per alt setting: " + lines);
        assertTrue(lines.contains("  Identified: STM32F405/F407/F415/F417 ROM bootloader (ST, bcdDevice 0x2200)"), lines.toString());
        assertTrue(lines.contains("  Functional descriptor: DfuSe 1.1a, bmAttributes 0x0b (download, upload, will-detach),"
                + " detach 255 ms, transfer 2048"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("dfu doctor")), lines.toString());
    }

    @Test
    void aDeviceThatCannotBeOpenedSaysWhyAndPointsToDoctor() throws Exception {
        OpenProblem access = new OpenProblem(TransportException.Kind.ACCESS,
                "libusb_open: LIBUSB_ERROR_ACCESS (access denied, insufficient permissions)",
                new Advice("no permission to open 0483:df11", List.of("install the udev rule")));
        List<String> lines = ListCommand.describe(usbDescriptionOf("stm32f405", "1-4", DfuMode.DFU, access));
        assertTrue(lines.contains("  Cannot open it (ACCESS): libusb_open: LIBUSB_ERROR_ACCESS (access denied,"
                + " insufficient permissions)"), lines.toString());
        assertTrue(lines.contains("  no permission to open 0483:df11; run 'dfu doctor' for what to do"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("  Identified:")), "no strings, no identification: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  Functional descriptor: DfuSe 1.1a")),
                "the descriptor is known without opening: " + lines);
    }

    @Test
    void anUnlistedStLineIsNamedAsSuchWithTheFlagThatSelectsIt() throws Exception {
        DfuDeviceDescription f405 = usbDescriptionOf("stm32f405", "1-5", DfuMode.DFU, null);
        // an STM32L4-style ROM: 2 KiB pages no profile has
        DfuDeviceDescription l4 = new DfuDeviceDescription(f405.vendorId(), f405.productId(), f405.bcdDevice(),
                f405.manufacturer(), f405.product(), f405.serial(), 1, 8, "1-5", 1, 0, DfuMode.DFU,
                List.of(new AltSetting(0, "@Internal Flash  /0x08000000/256*02Kg")), f405.functionalDescriptor(),
                FunctionalDescriptorSource.INTERFACE_EXTRA, null);
        List<String> lines = ListCommand.describe(l4);
        assertTrue(lines.contains("  Identified: ST ROM bootloader of an unlisted STM32 line (bcdDevice 0x2200)"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  warning: no STM32 profile matches alt 0")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  hint: give the device ID with --device-id 0xNNN")), lines.toString());
    }

    @Test
    void aRunTimeDeviceIsNotIdentifiedButToldHowToGetThere() throws Exception {
        List<String> lines = ListCommand.describe(usbDescriptionOf("stm32f405", "1-6", DfuMode.RUNTIME, null));
        assertTrue(lines.get(0).startsWith("Found Runtime:"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  Run-time (application) mode: 'dfu flash' detaches it")),
                lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("  Identified:")), lines.toString());
    }
}
