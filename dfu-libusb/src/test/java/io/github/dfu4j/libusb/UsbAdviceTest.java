package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.transport.TransportException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UsbAdviceTest {

    private static boolean anyStep(Advice a, String text) {
        return a.steps().stream().anyMatch(s -> s.contains(text));
    }

    @Test
    void udevRuleLineForAVidPid() {
        assertEquals("SUBSYSTEM==\"usb\", ATTRS{idVendor}==\"0483\", ATTRS{idProduct}==\"df11\", TAG+=\"uaccess\"",
                UsbAdvice.udevRule(0x0483, 0xDF11));
    }

    @Test
    void linuxAccessGivesTheExactRuleWhereToPutItAndHowToReload() {
        DriverInfo node = new DriverInfo("", "/dev/bus/usb/001/007", "root:root rw-rw-r--", false);
        Advice a = UsbAdvice.forOpenFailure(OsFamily.LINUX, Kind.ACCESS, 0x1209, 0xdb42, node);
        assertEquals("Permission denied: this user may not open 1209:db42 through /dev/bus/usb/001/007"
                + " (root:root rw-rw-r--).", a.summary());
        assertTrue(a.steps().get(0).contains("/etc/udev/rules.d/60-dfu4j.rules"));
        assertTrue(a.steps().get(0).endsWith(UsbAdvice.udevRule(0x1209, 0xdb42)));
        assertEquals("Apply it: sudo udevadm control --reload-rules && sudo udevadm trigger", a.steps().get(1));
        assertTrue(anyStep(a, "plugdev"), "headless alternative to uaccess");
    }

    @Test
    void linuxBusyNamesTheKernelDriverWhenKnown() {
        Advice a = UsbAdvice.forOpenFailure(OsFamily.LINUX, Kind.BUSY, 0x0483, 0xdf11,
                new DriverInfo("usbfs", null, null, null));
        assertTrue(a.summary().contains("kernel driver 'usbfs'"), a.summary());
        assertTrue(anyStep(a, "/sys/bus/usb/drivers/usbfs/unbind"));
        Advice other = UsbAdvice.forOpenFailure(OsFamily.LINUX, Kind.BUSY, 0x0483, 0xdf11, DriverInfo.UNKNOWN);
        assertTrue(other.summary().startsWith("Another program has claimed"));
        assertTrue(anyStep(other, "fwupd"));
    }

    @Test
    void windowsMissingDriverExplainsWinUsbZadigAndTheStDriverConflict() {
        // the seed report: dfu-util "Cannot open DFU device 0483:df11" on Windows 10 (LIBUSB_ERROR_NOT_SUPPORTED)
        Advice a = UsbAdvice.forOpenFailure(OsFamily.WINDOWS, Kind.NOT_SUPPORTED, 0x0483, 0xdf11, DriverInfo.UNKNOWN);
        assertTrue(a.summary().startsWith("Cannot open DFU device 0483:df11: Windows has no WinUSB"), a.summary());
        assertTrue(a.steps().get(0).contains("Zadig"));
        assertTrue(a.steps().get(0).contains("0483 DF11"), "Zadig shows IDs in upper case: " + a.steps().get(0));
        assertTrue(anyStep(a, "STTub30"));
        assertTrue(anyStep(a, "Roll Back"));
        assertTrue(anyStep(a, "WCID"));
    }

    @Test
    void windowsAccessAlsoMentionsOtherProgramsHoldingTheDevice() {
        Advice a = UsbAdvice.forOpenFailure(OsFamily.WINDOWS, Kind.ACCESS, 0x0483, 0xdf11, null);
        assertTrue(a.steps().get(0).contains("STM32CubeProgrammer"));
        assertTrue(anyStep(a, "Zadig"));
    }

    @Test
    void macosExplainsKernelDriversAndSudo() {
        Advice a = UsbAdvice.forOpenFailure(OsFamily.MACOS, Kind.ACCESS, 0x0483, 0x5740, DriverInfo.UNKNOWN);
        assertTrue(anyStep(a, "sudo"));
        assertTrue(anyStep(a, "com.apple.vm.device-access"));
        assertFalse(anyStep(a, "udev"));
    }

    @ParameterizedTest
    @EnumSource(OsFamily.class)
    void everyOsAndKindHasASummaryAndAtLeastOneStep(OsFamily os) {
        for (Kind kind : Kind.values()) {
            Advice a = UsbAdvice.forOpenFailure(os, kind, 0x0483, 0xdf11, DriverInfo.UNKNOWN);
            assertFalse(a.summary().isBlank(), os + " " + kind);
            assertFalse(a.steps().isEmpty(), os + " " + kind);
            assertTrue(a.summary().contains("0483:df11"), os + " " + kind + ": " + a.summary());
        }
    }

    @Test
    void noDeviceAdviceIsPerOs() {
        assertTrue(anyStep(UsbAdvice.forNoDevice(OsFamily.LINUX), "lsusb"));
        assertTrue(anyStep(UsbAdvice.forNoDevice(OsFamily.WINDOWS), "Device Manager"));
        assertTrue(anyStep(UsbAdvice.forNoDevice(OsFamily.MACOS), "system_profiler"));
        assertTrue(anyStep(UsbAdvice.forNoDevice(OsFamily.OTHER), "BOOT0"));
    }

    @Test
    void detachFailureOnWindowsBlamesWinUsbReset() {
        Advice win = UsbAdvice.forDetachFailure(OsFamily.WINDOWS, Kind.NOT_SUPPORTED, 5);
        assertTrue(win.summary().startsWith("WinUSB cannot reset the USB port"));
        Advice linux = UsbAdvice.forDetachFailure(OsFamily.LINUX, null, 5);
        assertEquals("The device did not re-appear in DFU mode within 5 s after DETACH.", linux.summary());
        assertTrue(anyStep(linux, "bitWillDetach"));
    }

    @Test
    void backendAdviceNamesThePackageAndTheOverride() {
        Advice linux = UsbAdvice.forBackendsUnavailable(OsFamily.LINUX, "amd64");
        assertTrue(linux.steps().get(0).contains("apt install libusb-1.0-0"));
        assertTrue(anyStep(linux, "-Ddfu4j.libusb.path="));
        Advice mac = UsbAdvice.forBackendsUnavailable(OsFamily.MACOS, "aarch64");
        assertTrue(mac.steps().get(0).contains("brew install libusb"));
        assertTrue(anyStep(mac, "no Apple Silicon natives"));
    }

    @Test
    void textFormNumbersTheSteps() {
        Advice a = new Advice("Cause.", List.of("one", "two"));
        String nl = System.lineSeparator();
        assertEquals("Cause." + nl + "  1. one" + nl + "  2. two", a.toText());
    }

    @Test
    void osNamesAreClassified() {
        assertEquals(OsFamily.LINUX, OsFamily.fromOsName("Linux"));
        assertEquals(OsFamily.WINDOWS, OsFamily.fromOsName("Windows 11"));
        assertEquals(OsFamily.MACOS, OsFamily.fromOsName("Mac OS X"));
        assertEquals(OsFamily.OTHER, OsFamily.fromOsName("FreeBSD"));
    }
}
