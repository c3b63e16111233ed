package io.github.dfu4j.libusb;

import java.util.LinkedHashMap;
import java.util.Map;

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
record DriverInfo(String kernelDriver, String deviceNode, String nodePermissions, Boolean nodeAccessible) {

    /** Nothing known. */
    public static final DriverInfo UNKNOWN = new DriverInfo(null, null, null, null);

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernelDriver", kernelDriver);
        m.put("deviceNode", deviceNode);
        m.put("nodePermissions", nodePermissions);
        m.put("nodeAccessible", nodeAccessible);
        return m;
    }
}
