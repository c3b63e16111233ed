package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads what the OS knows about a device's driver and device node, without privileges. Only Linux
 * exposes this (sysfs and usbfs); elsewhere the answer is {@link DriverInfo#UNKNOWN}.
 */
interface HostInspector {

    DriverInfo inspect(int busNumber, int deviceAddress, String path, int configurationValue, int interfaceNumber);

    HostInspector NONE = (bus, address, path, config, iface) -> DriverInfo.UNKNOWN;

    static HostInspector forOs(OsFamily os) {
        return os == OsFamily.LINUX ? new LinuxSysfs(Path.of("/sys/bus/usb/devices"), Path.of("/dev/bus/usb"))
                : NONE;
    }

    /**
     * Linux: the interface's driver is the target of {@code /sys/bus/usb/devices/<path>:<cfg>.<if>/driver},
     * the usbfs node is {@code /dev/bus/usb/<bus>/<address>} (both zero-padded to 3 digits).
     */
    record LinuxSysfs(Path sysfsDevices, Path usbfs) implements HostInspector {
        @Override
        public DriverInfo inspect(int busNumber, int deviceAddress, String path, int configurationValue,
                                  int interfaceNumber) {
            String driver = null;
            Path iface = sysfsDevices.resolve(path + ":" + configurationValue + "." + interfaceNumber);
            if (Files.isDirectory(iface)) {
                Path link = iface.resolve("driver");
                try {
                    driver = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : "";
                } catch (IOException | SecurityException e) {
                    driver = null;
                }
            }
            Path node = usbfs.resolve(String.format("%03d", busNumber)).resolve(String.format("%03d", deviceAddress));
            if (!Files.exists(node, LinkOption.NOFOLLOW_LINKS)) {
                return new DriverInfo(driver, null, null, null);
            }
            String permissions = null;
            try {
                PosixFileAttributes a = Files.readAttributes(node, PosixFileAttributes.class);
                permissions = a.owner().getName() + ":" + a.group().getName() + " "
                        + PosixFilePermissions.toString(a.permissions());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                permissions = null;
            }
            boolean accessible = Files.isReadable(node) && Files.isWritable(node);
            return new DriverInfo(driver, node.toString(), permissions, accessible);
        }
    }
}
