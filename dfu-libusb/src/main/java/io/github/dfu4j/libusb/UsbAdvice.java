package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DoctorReport.DriverInfo;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.transport.TransportException.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions from (OS, error kind, VID:PID, driver facts) to advice a user can act on. No I/O,
 * so every branch is unit-tested; the messages are what {@code dfu doctor} and the "Cannot open DFU
 * device" errors print.
 */
final class UsbAdvice {

    /** Where dfu4j's rules file goes on Linux. */
    public static final String UDEV_RULES_FILE = "/etc/udev/rules.d/60-dfu4j.rules";
    /** The command that makes udev apply new rules to devices already plugged in. */
    public static final String UDEV_RELOAD = "sudo udevadm control --reload-rules && sudo udevadm trigger";

    private UsbAdvice() {
    }

    /**
     * The udev rule that gives the logged-in user access to one VID:PID, e.g.
     * {@code SUBSYSTEM=="usb", ATTRS{idVendor}=="0483", ATTRS{idProduct}=="df11", TAG+="uaccess"}.
     */
    public static String udevRule(int vendorId, int productId) {
        return String.format("SUBSYSTEM==\"usb\", ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\","
                + " TAG+=\"uaccess\"", vendorId, productId);
    }

    /** Advice for a device that is visible but could not be opened or claimed. */
    public static Advice forOpenFailure(OsFamily os, Kind kind, int vendorId, int productId, DriverInfo driver) {
        String id = String.format("%04x:%04x", vendorId, productId);
        DriverInfo d = driver == null ? DriverInfo.UNKNOWN : driver;
        if (kind == Kind.NO_DEVICE) {
            return new Advice("The device " + id + " left the bus while it was being opened (it may have been"
                    + " re-enumerating).", List.of("Retry; if it keeps disappearing, try another cable or a USB port"
                    + " without a hub."));
        }
        return switch (os) {
            case LINUX -> linux(kind, id, vendorId, productId, d);
            case WINDOWS -> windows(kind, id, vendorId, productId);
            case MACOS -> macos(kind, id);
            case OTHER -> generic(kind, id);
        };
    }

    private static Advice linux(Kind kind, String id, int vendorId, int productId, DriverInfo d) {
        if (kind == Kind.ACCESS) {
            String node = d.deviceNode() == null ? "its device node"
                    : d.deviceNode() + (d.nodePermissions() == null ? "" : " (" + d.nodePermissions() + ")");
            return new Advice("Permission denied: this user may not open " + id + " through " + node + ".", List.of(
                    "Add this line to " + UDEV_RULES_FILE + " (or copy dfu4j's docs/60-dfu4j.rules there, which"
                            + " covers the common DFU IDs): " + udevRule(vendorId, productId),
                    "Apply it: " + UDEV_RELOAD,
                    "Unplug and re-plug the device (or put it into DFU mode again), then retry.",
                    "TAG+=\"uaccess\" grants access to the user logged in at the local seat; over SSH or for a"
                            + " service use MODE=\"0660\", GROUP=\"plugdev\" instead and add the user to that group.",
                    "To confirm it is only a permission problem, the same command run once with sudo should work."));
        }
        if (kind == Kind.BUSY) {
            List<String> steps = new ArrayList<>();
            String summary;
            if (d.kernelDriver() != null && !d.kernelDriver().isEmpty()) {
                summary = "The DFU interface of " + id + " is held by the kernel driver '" + d.kernelDriver()
                        + "' and could not be detached.";
                steps.add("Unbind it, e.g. echo -n '<interface>' | sudo tee /sys/bus/usb/drivers/" + d.kernelDriver()
                        + "/unbind, with the interface name from ls /sys/bus/usb/drivers/" + d.kernelDriver() + "/.");
            } else {
                summary = "Another program has claimed the DFU interface of " + id + ".";
            }
            steps.add("Close other programs that may hold it: dfu-util, STM32CubeProgrammer, another dfu4j, fwupd"
                    + " (sudo systemctl stop fwupd), ModemManager (for serial-looking devices).");
            steps.add("Retry.");
            return new Advice(summary, steps);
        }
        if (kind == Kind.NOT_SUPPORTED) {
            return new Advice("libusb cannot use usbfs for " + id + ".", List.of(
                    "Check that /dev/bus/usb exists; inside a container pass it through (docker run --device"
                            + " /dev/bus/usb ...).",
                    "Check that the libusb-1.0 in use was built for Linux usbfs (not a stub)."));
        }
        return generic(kind, id);
    }

    private static Advice windows(Kind kind, String id, int vendorId, int productId) {
        List<String> driverSteps = List.of(
                String.format("Install the WinUSB driver with Zadig (https://zadig.akeo.ie): Options > List All Devices,"
                        + " select the device whose USB ID is %04X %04X (the ST ROM shows as \"STM32  BOOTLOADER\" or"
                        + " \"DFU in FS Mode\"), choose WinUSB (libusbK also works) and press Replace Driver.",
                        vendorId, productId),
                "Do it while the device is in the mode you want to use: the bootloader (DFU mode) and the application"
                        + " (run-time mode) usually have different IDs and need a driver each.",
                "The ST DfuSe / STM32CubeProgrammer DFU driver (STTub30) conflicts: libusb cannot use it, and after"
                        + " switching to WinUSB those ST tools no longer see the device until you roll the driver back"
                        + " (Device Manager > the device > Driver > Roll Back, or uninstall it and re-plug).",
                "For your own firmware, declare WinUSB in Microsoft OS descriptors (WCID, compatible ID \"WINUSB\","
                        + " as MicroPython's mboot does): Windows then binds WinUSB by itself, no Zadig needed.");
        if (kind == Kind.BUSY || kind == Kind.ACCESS) {
            List<String> steps = new ArrayList<>();
            steps.add("Close programs that may have it open: STM32CubeProgrammer, DfuSeDemo, dfu-util, another dfu4j"
                    + " (WinUSB lets one process open a device at a time).");
            steps.addAll(driverSteps);
            return new Advice("Cannot open DFU device " + id + ": another program has it open, or it is not driven"
                    + " by WinUSB.", steps);
        }
        if (kind == Kind.NOT_SUPPORTED || kind == Kind.IO) {
            return new Advice("Cannot open DFU device " + id + ": Windows has no WinUSB (or libusbK) driver bound to"
                    + " it, so libusb cannot talk to it.", driverSteps);
        }
        return generic(kind, id);
    }

    private static Advice macos(Kind kind, String id) {
        if (kind == Kind.ACCESS || kind == Kind.BUSY || kind == Kind.NOT_SUPPORTED) {
            return new Advice("macOS would not let this process use " + id
                    + ": another program or a kernel driver holds it.", List.of(
                    "Quit programs that may use it: STM32CubeProgrammer, dfu-util, a serial terminal on the same"
                            + " board.",
                    "A run-time device that is also a serial port, keyboard or audio device is claimed by macOS"
                            + " drivers; libusb 1.0.25+ detaches them only when run as root (sudo) or with the"
                            + " com.apple.vm.device-access entitlement.",
                    "Bootloaders in DFU mode normally need neither a driver nor sudo; if this is one, re-plug it"
                            + " and retry."));
        }
        return generic(kind, id);
    }

    private static Advice generic(Kind kind, String id) {
        return switch (kind) {
            case TIMEOUT -> new Advice("The device " + id + " did not answer in time.", List.of(
                    "Re-plug it or reset it into DFU mode again, then retry.",
                    "Try another cable or a USB port without a hub."));
            case STALL -> new Advice("The device " + id + " refused a standard request.", List.of(
                    "Reset it into DFU mode again and retry."));
            default -> new Advice("USB error (" + kind + ") with " + id + ".", List.of(
                    "Retry; then try another cable or a USB port without a hub.",
                    "On Linux, 'dmesg' shows what the kernel saw."));
        };
    }

    /** Advice when no DFU device is visible at all. */
    public static Advice forNoDevice(OsFamily os) {
        List<String> steps = new ArrayList<>();
        steps.add("Put the board into DFU mode. STM32 ROM bootloader: hold BOOT0 high (jumper or button) while"
                + " resetting or plugging in; MicroPython boards: machine.bootloader(), or hold USR while pressing"
                + " RST.");
        steps.add("Use a data USB cable connected to the MCU's own USB pins (ST ROM DFU: USB FS on PA11/PA12).");
        switch (os) {
            case LINUX -> steps.add("Check that 'lsusb' lists it (the STM32 ROM bootloader is 0483:df11).");
            case WINDOWS -> steps.add("If Device Manager shows it with a warning sign or under \"Other devices\","
                    + " it has no driver: install WinUSB with Zadig (https://zadig.akeo.ie).");
            case MACOS -> steps.add("Check that 'system_profiler SPUSBDataType' lists it.");
            default -> {
            }
        }
        return new Advice("No DFU-capable USB device is visible.", steps);
    }

    /**
     * Advice when a run-time device was sent DETACH but did not come back in DFU mode, e.g. because
     * WinUSB cannot reset the port.
     */
    public static Advice forDetachFailure(OsFamily os, Kind resetFailure, long timeoutSeconds) {
        List<String> steps = new ArrayList<>();
        String summary;
        if (os == OsFamily.WINDOWS && resetFailure == Kind.NOT_SUPPORTED) {
            summary = "WinUSB cannot reset the USB port, so the device did not switch to DFU mode after DETACH.";
        } else {
            summary = "The device did not re-appear in DFU mode within " + timeoutSeconds + " s after DETACH.";
        }
        steps.add("Unplug and re-plug it, or press its reset button, so that it re-enumerates; then retry.");
        steps.add("Or start it in DFU mode directly (STM32: BOOT0 high during reset).");
        steps.add("Firmware authors: set bitWillDetach in the DFU functional descriptor so that the device"
                + " detaches by itself and no host reset is needed.");
        if (os == OsFamily.WINDOWS) {
            steps.add("The DFU-mode device has its own VID:PID and needs WinUSB too (Zadig).");
        }
        return new Advice(summary, steps);
    }

    /** Advice when neither the system libusb nor usb4java could be loaded. */
    public static Advice forBackendsUnavailable(OsFamily os, String arch) {
        List<String> steps = new ArrayList<>();
        switch (os) {
            case LINUX -> steps.add("Install libusb-1.0: Debian/Ubuntu 'sudo apt install libusb-1.0-0',"
                    + " Fedora 'sudo dnf install libusb1', Arch 'sudo pacman -S libusb'.");
            case MACOS -> steps.add("Install libusb: 'brew install libusb' (Homebrew) or 'sudo port install"
                    + " libusb' (MacPorts).");
            case WINDOWS -> steps.add("Put a 64-bit libusb-1.0.dll (from the libusb release archive, VS or MinGW64"
                    + " build) next to the application or on PATH.");
            default -> steps.add("Install libusb-1.0 for this OS.");
        }
        steps.add("Or point dfu4j at the library file: -D" + UsbBackends.LIBRARY_PATH_PROPERTY + "=/path/to/libusb-1.0"
                + (os == OsFamily.WINDOWS ? ".dll" : os == OsFamily.MACOS ? ".dylib" : ".so.0"));
        if (os == OsFamily.MACOS && ("aarch64".equals(arch) || "arm64".equals(arch))) {
            steps.add("usb4java cannot help here: it has no Apple Silicon natives.");
        } else {
            steps.add("Or put usb4java 1.3.0 and its libusb4java natives on the class path (not the module path).");
        }
        return new Advice("No USB backend could be loaded.", steps);
    }
}
