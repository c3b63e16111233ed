package io.github.dfu4j.libusb.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.transport.TransportException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against the real system libusb-1.0 (scripts/test-all installs Debian's libusb-1.0-0). The CI
 * machine has no USB devices, so the list may be empty; when devices are present their
 * descriptors are read through the struct offsets too.
 */
class JnaUsbBusTest {

    @Test
    @SuppressWarnings("try") // the explicit close() calls check idempotence
    void initListsDevicesAndExits() throws Exception {
        JnaUsbBus bus = JnaUsbBus.open();
        try {
            assertTrue(bus.libusbVersion().matches("1\\.0\\.\\d+\\.\\d+.*"), bus.libusbVersion());
            assertTrue(JnaUsbBus.atLeast(bus.libusbVersion(), new int[] {1, 0, 16}));
            assertTrue(bus.origin().startsWith("system libusb via JNA, loaded as '"), bus.origin());
            try (DeviceSnapshot s = bus.snapshot()) {
                for (UsbDeviceRef ref : s.devices()) {
                    DeviceDescriptor d = ref.deviceDescriptor();
                    assertTrue(d.numConfigurations() >= 0);
                    assertTrue(ref.busNumber() > 0);
                    for (int c = 0; c < d.numConfigurations(); c++) {
                        try {
                            ConfigurationDescriptor config = ref.configuration(c);
                            assertTrue(config.altSettings().size() <= 255 * 32);
                        } catch (TransportException e) {
                            // some OSes cannot read inactive configurations; that is reported, not fatal
                            assertTrue(e.getMessage().startsWith("libusb_get_config_descriptor"), e.getMessage());
                        }
                    }
                }
                s.close(); // idempotent with the try-with-resources close
            }
        } finally {
            bus.close();
            bus.close();
        }
        assertThrows(IllegalStateException.class, bus::snapshot);
    }

    @Test
    void libusbIsCalledThroughDirectMappingForTheLoadedLibrary() throws Exception {
        // Native.register binds libusb once per JVM (DirectLibUsb); both buses (same library) use it, no
        // interface proxy, and the calls answer as libusb does
        try (JnaUsbBus a = JnaUsbBus.open(); JnaUsbBus b = JnaUsbBus.open()) {
            assertTrue(a.directCalls(), a.origin());
            assertTrue(b.directCalls(), b.origin());
            assertEquals("LIBUSB_ERROR_ACCESS", a.errorName(-3));
            a.snapshot();
        }
    }

    @Test
    void libusbNamesItsErrorsTheWayOurTableDoes() throws Exception {
        try (JnaUsbBus bus = JnaUsbBus.open()) {
            for (LibusbError e : LibusbError.values()) {
                assertEquals(e.libusbName(), bus.errorName(e.code()), "code " + e.code());
            }
        }
    }

    @Test
    @SuppressWarnings("try")
    void twoContextsAreIndependent() throws Exception {
        try (JnaUsbBus a = JnaUsbBus.open(); JnaUsbBus b = JnaUsbBus.open()) {
            a.close();
            try (DeviceSnapshot s = b.snapshot()) {
                assertTrue(s.devices().size() >= 0);
            }
        }
    }

    @Test
    void aMissingLibraryFileIsReportedWithWhatWasTriedAndHowToFixIt() {
        String old = System.getProperty(JnaLibraryLoader.LIBRARY_PATH_PROPERTY);
        System.setProperty(JnaLibraryLoader.LIBRARY_PATH_PROPERTY, "/nonexistent/libusb-1.0.so.0");
        try {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, JnaUsbBus::open);
            assertEquals("JNA (system libusb-1.0)", e.backend());
            assertTrue(e.attempts().get(0).startsWith("/nonexistent/libusb-1.0.so.0: "), e.attempts().toString());
            assertTrue(e.getMessage().contains("-Ddfu4j.libusb.path="), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(JnaLibraryLoader.LIBRARY_PATH_PROPERTY);
            } else {
                System.setProperty(JnaLibraryLoader.LIBRARY_PATH_PROPERTY, old);
            }
        }
    }

    @Test
    void candidateNamesPerPlatform() {
        assertEquals(List.of("libusb-1.0.so.0", "usb-1.0"), JnaLibraryLoader.candidates(null, "Linux"));
        assertEquals(List.of("libusb-1.0", "usb-1.0"), JnaLibraryLoader.candidates(null, "Windows 10"));
        assertTrue(JnaLibraryLoader.candidates(null, "Mac OS X").contains("/opt/homebrew/lib/libusb-1.0.dylib"));
        assertEquals(List.of("/x/libusb.so"), JnaLibraryLoader.candidates(" /x/libusb.so ", "Linux"));
    }

    @Test
    void versionComparison() {
        assertTrue(JnaUsbBus.atLeast("1.0.26.11724", new int[] {1, 0, 16}));
        assertTrue(JnaUsbBus.atLeast("1.0.16.0-rc3", new int[] {1, 0, 16}));
        assertTrue(!JnaUsbBus.atLeast("1.0.9.0", new int[] {1, 0, 16}));
        assertTrue(JnaUsbBus.atLeast("2.0.0.0", new int[] {1, 0, 16}));
    }
}
