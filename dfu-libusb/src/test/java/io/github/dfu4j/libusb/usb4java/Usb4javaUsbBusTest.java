package io.github.dfu4j.libusb.usb4java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import org.junit.jupiter.api.Test;

/** usb4java's bundled natives on the platforms it has them for (this CI: Linux x86-64). */
class Usb4javaUsbBusTest {

    private static boolean bundledNativesExist() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return (os.startsWith("linux") || os.startsWith("windows")) && (arch.equals("amd64") || arch.equals("x86_64"))
                || os.startsWith("mac") && arch.equals("x86_64");
    }

    @Test
    void nativesLoadAndListDevices() throws Exception {
        assumeTrue(bundledNativesExist(), "usb4java 1.3.0 has no natives for this platform");
        Usb4javaUsbBus bus = Usb4javaUsbBus.open();
        try {
            assertTrue(bus.libusbVersion().startsWith("1.0."), bus.libusbVersion());
            assertEquals("libusb bundled with usb4java", bus.origin());
            try (DeviceSnapshot s = bus.snapshot()) {
                for (UsbDeviceRef ref : s.devices()) {
                    assertTrue(ref.deviceDescriptor().vendorId() >= 0);
                }
            }
        } finally {
            bus.close();
            bus.close();
        }
        assertThrows(IllegalStateException.class, bus::snapshot);
    }

    @Test
    void usb4javaIsReachableFromThisModuleOnTheClassPath() {
        assertTrue(ModuleAccess.canReachUsb4java());
    }
}
