package io.github.dfu4j.modulecheck;

import io.github.dfu4j.libusb.BackendChoice;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription;
import io.github.dfu4j.libusb.UsbBackend;
import io.github.dfu4j.libusb.UsbBackends;
import java.util.List;

/**
 * An application on the class path using dfu-libusb from the module path, as docs/usb-setup.md §2
 * describes: run by {@code ModulePathLaunchTest} in a child JVM. Prints one {@code key=value} per
 * line; lists devices through the JNA backend (an empty list is fine on a host without USB). In its
 * own package: the test classes of {@code io.github.dfu4j.libusb} would split that package.
 */
public final class ModulePathMain {
    private ModulePathMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("dfu-libusb-module=" + UsbBackends.class.getModule().getName());
        System.out.println("jna-module=" + com.sun.jna.Native.class.getModule().getName());
        for (BackendStatus s : UsbBackends.probe()) {
            System.out.println("backend-" + s.backend() + "=" + s.available() + " " + s.detail());
        }
        try (UsbBackend usb = UsbBackends.open(BackendChoice.JNA)) {
            List<DfuDeviceDescription> devices = usb.listDfuDevices();
            System.out.println("jna-devices=" + devices.size());
        }
    }
}
