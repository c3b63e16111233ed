package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.LibusbError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorTest {
    private final FakeUsbBus bus = new FakeUsbBus();
    private final FakeUsbBus spare = new FakeUsbBus();

    private Environment env(OsFamily os, HostInspector inspector) {
        return new Environment(os, new FakeClock(), Duration.ofMillis(100), inspector);
    }

    private Map<BackendChoice, BackendLoader> jnaMissingUsb4javaWorks() {
        Map<BackendChoice, BackendLoader> m = new LinkedHashMap<>();
        m.put(BackendChoice.JNA, () -> {
            throw new BackendUnavailableException("JNA", List.of("usb-1.0: not found", "install libusb-1.0-0"), null);
        });
        m.put(BackendChoice.USB4JAVA, () -> bus);
        return m;
    }

    @Test
    void reportsBackendsDevicesAndTheFixForAnInaccessibleDevice() {
        bus.plug(Fixtures.f4Rom("SN1").at(1, 2)).openFailure = LibusbError.ACCESS;
        bus.plug(Fixtures.mboot().at(1, 3));
        bus.plug(Fixtures.keyboard().at(1, 4));
        HostInspector inspector = (b, a, p, c, i) -> new DriverInfo("", "/dev/bus/usb/001/0" + a, "root:root rw-rw-r--",
                false);
        DoctorReport r = Doctor.run(BackendChoice.AUTO, jnaMissingUsb4javaWorks(), env(OsFamily.LINUX, inspector));

        assertEquals(2, r.backends().size());
        assertFalse(r.backends().get(0).available());
        assertEquals("usb-1.0: not found; install libusb-1.0-0", r.backends().get(0).detail());
        assertTrue(r.backends().get(1).available());
        assertEquals(BackendChoice.USB4JAVA, r.activeBackend());
        assertEquals(3, r.usbDeviceCount());
        assertEquals(2, r.devices().size());
        assertFalse(r.devices().get(0).usable());
        assertTrue(r.devices().get(1).usable());
        assertFalse(r.healthy());
        assertEquals(1, r.advice().size());
        assertTrue(r.advice().get(0).steps().get(0).contains(UsbAdvice.udevRule(0x0483, 0xdf11)));

        String text = r.toText();
        assertTrue(text.contains("JNA: unavailable: usb-1.0: not found"), text);
        assertTrue(text.contains("* USB4JAVA: libusb 1.0.99.0-fake (fake bus)"), text);
        assertTrue(text.contains("[0483:df11] DFU mode, path 1-3, serial \"2061376F5743\", MicroPython Pyboard DFU"),
                text);
        assertTrue(text.contains("open: FAILED: libusb_open: LIBUSB_ERROR_ACCESS"), text);
        assertTrue(text.contains("device node: /dev/bus/usb/001/010 (root:root rw-rw-r--)"), text);
        assertTrue(text.contains("functional descriptor: DfuSe 1.1a"), text);
        assertTrue(text.contains(UsbAdvice.UDEV_RELOAD), text);
        assertEquals(0, bus.openHandles(), "the access check closes what it opens");
        assertEquals(1, bus.closeCalls, "the doctor closes the backend");
    }

    @Test
    void jsonMapHasEveryPart() {
        bus.plug(Fixtures.mboot());
        DoctorReport r = Doctor.run(BackendChoice.AUTO, jnaMissingUsb4javaWorks(), env(OsFamily.LINUX,
                HostInspector.NONE));
        Map<String, Object> m = r.toMap();
        assertEquals(List.of("os", "osDescription", "javaVersion", "backends", "activeBackend", "usbDeviceCount",
                "devices", "advice", "healthy"), List.copyOf(m.keySet()));
        assertEquals(true, m.get("healthy"));
        Map<?, ?> device = (Map<?, ?>) ((List<?>) m.get("devices")).get(0);
        assertEquals(true, device.get("usable"));
        assertNull(device.get("problem"));
    }

    @Test
    void noDeviceGivesDfuModeAdvice() {
        bus.plug(Fixtures.keyboard());
        DoctorReport r = Doctor.run(BackendChoice.AUTO, jnaMissingUsb4javaWorks(), env(OsFamily.WINDOWS,
                HostInspector.NONE));
        assertEquals(List.of(UsbAdvice.forNoDevice(OsFamily.WINDOWS)), r.advice());
        assertFalse(r.healthy());
    }

    @Test
    void noBackendGivesInstallAdvice() {
        Map<BackendChoice, BackendLoader> none = new LinkedHashMap<>();
        none.put(BackendChoice.JNA, () -> {
            throw new BackendUnavailableException("JNA", List.of("missing"), null);
        });
        none.put(BackendChoice.USB4JAVA, () -> {
            throw new UnsatisfiedLinkError("libusb4java");
        });
        DoctorReport r = Doctor.run(BackendChoice.AUTO, none, env(OsFamily.LINUX, HostInspector.NONE));
        assertNull(r.activeBackend());
        assertEquals(-1, r.usbDeviceCount());
        assertEquals("No USB backend could be loaded.", r.advice().get(0).summary());
        assertFalse(r.toText().contains("DFU interfaces"));
    }

    @Test
    void aChosenBackendIsUsedAndTheOthersAreClosedAfterProbing() {
        Map<BackendChoice, BackendLoader> both = new LinkedHashMap<>();
        both.put(BackendChoice.JNA, () -> spare);
        both.put(BackendChoice.USB4JAVA, () -> bus);
        DoctorReport r = Doctor.run(BackendChoice.USB4JAVA, both, env(OsFamily.LINUX, HostInspector.NONE));
        assertEquals(BackendChoice.USB4JAVA, r.activeBackend());
        assertEquals(1, spare.closeCalls);
        assertEquals(1, bus.closeCalls);
    }
}
