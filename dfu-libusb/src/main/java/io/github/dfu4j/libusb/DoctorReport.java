package io.github.dfu4j.libusb;

import java.util.Locale;
import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code dfu doctor} found: the host, which USB backends load, the DFU devices visible and
 * whether each can be opened, with advice for every problem.
 *
 * <pre>{@code
 * DoctorReport r = DoctorReport.run();
 * System.out.print(r.toText());      // or a JSON writer over r.toMap()
 * }</pre>
 *
 * @param os             the OS family
 * @param osDescription  os.name, os.version and os.arch
 * @param javaVersion    java.version and vendor
 * @param backends       every backend tried, in order
 * @param activeBackend  the backend used to look at devices, null when none loaded
 * @param usbDeviceCount USB devices on all buses (hubs included), -1 when unknown
 * @param devices        every DFU interface seen, with its access check
 * @param advice         overall advice: no backend, no device, or the problems of the devices
 */
public record DoctorReport(OsFamily os, String osDescription, String javaVersion, List<BackendStatus> backends,
                           BackendChoice activeBackend, int usbDeviceCount, List<DeviceCheck> devices,
                           List<Advice> advice) {

    /**
     * Checks the OS and copies the lists.
     *
     * @param os             the OS family
     * @param osDescription  os.name, os.version and os.arch
     * @param javaVersion    java.version and vendor
     * @param backends       every backend tried, in order
     * @param activeBackend  the backend used to look at devices, null when none loaded
     * @param usbDeviceCount USB devices on all buses (hubs included), -1 when unknown
     * @param devices        every DFU interface seen, with its access check
     * @param advice         overall advice: no backend, no device, or the problems of the devices
     * @throws NullPointerException when {@code os} or one of the lists is {@code null}
     */
    public DoctorReport {
        Objects.requireNonNull(os, "os");
        backends = List.copyOf(backends);
        devices = List.copyOf(devices);
        advice = List.copyOf(advice);
    }

    /**
     * Diagnoses the USB side of flashing now: which backends load (and libusb's version), which DFU
     * devices are visible and whether each can be opened and claimed, with advice for this OS. Uses
     * the backend named by {@value UsbBackends#BACKEND_PROPERTY} (default AUTO) to look at devices.
     *
     * @return the report; problems are in it, never thrown
     */
    public static DoctorReport run() {
        return Doctor.run();
    }

    /**
     * Like {@link #run()}: tries every backend, and looks at devices with {@code choice} (AUTO: the first that loads).
     *
     * @param choice the backend to look at devices with, or AUTO
     * @return the report; problems are in it, never thrown
     */
    public static DoctorReport run(BackendChoice choice) {
        return Doctor.run(choice);
    }

    /**
     * True when a backend loaded and every DFU device seen can be opened and claimed.
     *
     * @return {@code true} when a flash would get as far as the DFU interface of every device seen
     *        (and at least one was seen)
     */
    public boolean healthy() {
        return activeBackend != null && !devices.isEmpty() && devices.stream().allMatch(DeviceCheck::usable);
    }

    /**
     * One DFU interface and whether it can be used.
     *
     * @param device  as discovered
     * @param problem why it cannot be opened or claimed, null when it can
     * @param driver  the OS's driver and device-node facts
     */
    public record DeviceCheck(DfuDeviceDescription device, OpenProblem problem, DriverInfo driver) {
        /**
         * Checks the required components; {@code problem} may be {@code null} (the device is usable).
         *
         * @param device  as discovered
         * @param problem why it cannot be opened or claimed, null when it can
         * @param driver  the OS's driver and device-node facts
         * @throws NullPointerException when {@code device} or {@code driver} is {@code null}
         */
        public DeviceCheck {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(driver, "driver");
        }

        /**
         * Whether the device could be opened and its DFU interface claimed, i.e. it has no {@link #problem()}.
         *
         * @return {@code true} when {@code problem} is {@code null}
         */
        public boolean usable() {
            return problem == null;
        }

        /**
         * Insertion-ordered map for JSON output: {@code device} (as {@link DfuDeviceDescription#toMap()},
         * without its open problem), {@code usable}, {@code problem} ({@code null} or as
         * {@link OpenProblem#toMap()}) and {@code driver} (as {@link DriverInfo#toMap()}).
         *
         * @return a new mutable map of plain values
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", device.withOpenProblem(null).toMap());
            m.put("usable", usable());
            m.put("problem", problem == null ? null : problem.toMap());
            m.put("driver", driver.toMap());
            return m;
        }
    }

    /**
     * The report as plain text, the way {@code dfu doctor} prints it.
     *
     * @return the report as lines ending in the platform's line separator
     */
    public String toText() {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append("Host: ").append(osDescription).append(" (").append(os).append("), Java ").append(javaVersion)
                .append(nl);
        b.append("USB backends:").append(nl);
        for (BackendStatus s : backends) {
            b.append("  ").append(s.activeMark(activeBackend)).append(s.toText()).append(nl);
        }
        if (activeBackend != null) {
            b.append("USB devices visible: ").append(usbDeviceCount < 0 ? "unknown" : usbDeviceCount).append(nl);
            b.append("DFU interfaces: ").append(devices.size()).append(nl);
            for (DeviceCheck c : devices) {
                b.append("  ").append(c.device().withOpenProblem(null).summary()).append(nl);
                for (String line : c.device().withOpenProblem(null).listing()) {
                    b.append("    ").append(line).append(nl);
                }
                if (c.device().functionalDescriptor() != null) {
                    b.append("    functional descriptor: ").append(c.device().functionalDescriptor().describe())
                            .append(" (from ").append(c.device().functionalDescriptorSource()).append(')').append(nl);
                } else {
                    b.append("    no DFU functional descriptor (treated as DFU 1.0)").append(nl);
                }
                if (c.driver().kernelDriver() != null) {
                    b.append("    kernel driver on the DFU interface: ")
                            .append(c.driver().kernelDriver().isEmpty() ? "none" : c.driver().kernelDriver()).append(nl);
                }
                if (c.driver().deviceNode() != null) {
                    b.append("    device node: ").append(c.driver().deviceNode());
                    if (c.driver().nodePermissions() != null) {
                        b.append(" (").append(c.driver().nodePermissions()).append(')');
                    }
                    b.append(nl);
                }
                b.append("    open: ").append(c.usable() ? "OK" : "FAILED: " + c.problem().message()).append(nl);
            }
        }
        for (Advice a : advice) {
            b.append(nl).append(a.toText()).append(nl);
        }
        return b.toString();
    }

    /**
     * Insertion-ordered map of plain values for JSON output.
     *
     * @return a new mutable map of plain values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("os", os);
        m.put("osDescription", osDescription);
        m.put("javaVersion", javaVersion);
        List<Object> bs = new ArrayList<>();
        for (BackendStatus s : backends) {
            bs.add(s.toMap());
        }
        m.put("backends", bs);
        m.put("activeBackend", activeBackend);
        m.put("usbDeviceCount", usbDeviceCount);
        List<Object> ds = new ArrayList<>();
        for (DeviceCheck c : devices) {
            ds.add(c.toMap());
        }
        m.put("devices", ds);
        List<Object> as = new ArrayList<>();
        for (Advice a : advice) {
            as.add(a.toMap());
        }
        m.put("advice", as);
        m.put("healthy", healthy());
        return m;
    }

    /** The host OS family, which decides how USB access problems are fixed. */
    public enum OsFamily {
        /** Linux: udev rules decide access. */
        LINUX,
        /** Windows: the device needs the WinUSB driver. */
        WINDOWS,
        /** macOS: no driver or permission setup. */
        MACOS,
        /** Anything else. */
        OTHER;

        /**
         * The OS this JVM runs on.
         *
         * @return the family of {@code os.name}
         */
        public static OsFamily current() {
            return fromOsName(System.getProperty("os.name", ""));
        }

        /**
         * Classifies a {@code os.name} value such as "Linux", "Windows 11" or "Mac OS X".
         *
         * @param osName the value of the {@code os.name} system property
         * @return the family; {@link #OTHER} for names it does not know
         */
        public static OsFamily fromOsName(String osName) {
            String os = osName.toLowerCase(Locale.ROOT);
            if (os.startsWith("linux")) {
                return LINUX;
            }
            if (os.startsWith("windows")) {
                return WINDOWS;
            }
            if (os.startsWith("mac") || os.startsWith("darwin")) {
                return MACOS;
            }
            return OTHER;
        }
    }

    /**
     * What the host OS says about a device's driver and device node, as far as it can be found out
     * without privileges. Every field is null when unknown (always on Windows and macOS, where libusb
     * does not expose the driver).
     *
     * @param kernelDriver    the kernel driver bound to the DFU interface (Linux sysfs), "" when none
     * @param deviceNode      the usbfs node, e.g. /dev/bus/usb/001/005
     * @param nodePermissions the node's owner, group and mode, e.g. "root:plugdev rw-rw-r--"
     * @param nodeAccessible  whether this process may open the node for reading and writing
     */
    public record DriverInfo(String kernelDriver, String deviceNode, String nodePermissions, Boolean nodeAccessible) {

        /** Nothing known. */
        public static final DriverInfo UNKNOWN = new DriverInfo(null, null, null, null);

        /**
         * Insertion-ordered map for JSON output: {@code kernelDriver}, {@code deviceNode},
         * {@code nodePermissions} and {@code nodeAccessible}, each {@code null} when unknown.
         *
         * @return a new mutable map of plain values
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernelDriver", kernelDriver);
            m.put("deviceNode", deviceNode);
            m.put("nodePermissions", nodePermissions);
            m.put("nodeAccessible", nodeAccessible);
            return m;
        }
    }
}
