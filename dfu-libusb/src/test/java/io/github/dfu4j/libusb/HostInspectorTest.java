package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInspectorTest {

    @Test
    void readsTheInterfaceDriverAndTheUsbfsNodeFromSysfs(@TempDir Path root) throws Exception {
        Path sys = Files.createDirectories(root.resolve("sys"));
        Path iface = Files.createDirectories(sys.resolve("1-2.3:1.0"));
        Path drivers = Files.createDirectories(root.resolve("drivers/usbhid"));
        Files.createSymbolicLink(iface.resolve("driver"), drivers);
        Path node = Files.createDirectories(root.resolve("usb/001")).resolve("007");
        Files.createFile(node);
        HostInspector.LinuxSysfs inspector = new HostInspector.LinuxSysfs(sys, root.resolve("usb"));

        DriverInfo info = inspector.inspect(1, 7, "1-2.3", 1, 0);
        assertEquals("usbhid", info.kernelDriver());
        assertEquals(node.toString(), info.deviceNode());
        assertTrue(info.nodePermissions().matches("\\S+:\\S+ [rwx-]{9}"), info.nodePermissions());
        assertEquals(Files.isReadable(node) && Files.isWritable(node), info.nodeAccessible());
    }

    @Test
    void interfaceWithoutDriverAndMissingNode(@TempDir Path root) throws Exception {
        Path sys = Files.createDirectories(root.resolve("sys"));
        Files.createDirectories(sys.resolve("3-1:1.2"));
        DriverInfo info = new HostInspector.LinuxSysfs(sys, root.resolve("usb")).inspect(3, 4, "3-1", 1, 2);
        assertEquals("", info.kernelDriver());
        assertNull(info.deviceNode());
        assertNull(new HostInspector.LinuxSysfs(sys, root).inspect(3, 4, "3-9", 1, 0).kernelDriver());
    }

    @Test
    void otherSystemsKnowNothing() {
        assertEquals(DriverInfo.UNKNOWN, HostInspector.forOs(OsFamily.WINDOWS).inspect(1, 2, "1-1", 1, 0));
    }
}
