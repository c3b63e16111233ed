package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DFU interface of one USB device as discovery found it, before anything is claimed: the
 * device's identity (dfu-api's {@link DeviceInfo}, the same record an opened transport reports) plus
 * where it sits on the bus and what its DFU interface offers. A device with two DFU interfaces yields
 * two descriptions. Strings in {@link #device()} are empty when the device has none or could not be
 * opened to read them ({@link #openProblem()} then says why).
 *
 * <pre>{@code
 * try (UsbBackend usb = UsbBackends.open()) {
 *     for (DfuDeviceDescription d : usb.listDfuDevices()) {
 *         System.out.println(d.summary() + " at " + d.device().path());
 *     }
 * }
 * }</pre>
 *
 * @param device                     identity: IDs, bcdDevice (ST ROMs: 0x2100, 0x2200, H7 0x0200),
 *                                   strings (serials are not unique on every ST ROM), the port path
 *                                   ("1-2.3", stays the same when the device re-enumerates on the
 *                                   same port) and whether the interface is in DFU mode
 * @param busNumber                  USB bus number
 * @param deviceAddress              address on the bus; changes when the device re-enumerates
 * @param configurationValue         bConfigurationValue of the configuration holding the interface
 * @param interfaceNumber            bInterfaceNumber of the DFU interface
 * @param altSettings                every alternate setting of the DFU interface with its name
 * @param functionalDescriptor       the DFU functional descriptor, null when the device has none
 * @param functionalDescriptorSource where it was found
 * @param openProblem                why the device could not be opened to read its strings, or null
 */
public record DfuDeviceDescription(DeviceInfo device, int busNumber, int deviceAddress, int configurationValue,
                                   int interfaceNumber, List<AltSetting> altSettings,
                                   FunctionalDescriptor functionalDescriptor,
                                   FunctionalDescriptorSource functionalDescriptorSource, OpenProblem openProblem) {

    /**
     * Checks the required components and copies {@code altSettings}.
     *
     * @param device                     identity: IDs, bcdDevice (ST ROMs: 0x2100, 0x2200, H7 0x0200),
     *                                   strings (serials are not unique on every ST ROM), the port path
     *                                   ("1-2.3", stays the same when the device re-enumerates on the
     *                                   same port) and whether the interface is in DFU mode
     * @param busNumber                  USB bus number
     * @param deviceAddress              address on the bus; changes when the device re-enumerates
     * @param configurationValue         bConfigurationValue of the configuration holding the interface
     * @param interfaceNumber            bInterfaceNumber of the DFU interface
     * @param altSettings                every alternate setting of the DFU interface with its name
     * @param functionalDescriptor       the DFU functional descriptor, null when the device has none
     * @param functionalDescriptorSource where it was found
     * @param openProblem                why the device could not be opened to read its strings, or null
     * @throws NullPointerException when {@code device}, {@code functionalDescriptorSource} or
     *         {@code altSettings} is {@code null}
     */
    public DfuDeviceDescription {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(functionalDescriptorSource, "functionalDescriptorSource");
        altSettings = List.copyOf(altSettings);
    }

    /**
     * The device's identity: IDs, bcdDevice, strings, port path and DFU mode, as an opened transport reports it.
     *
     * @return the identity, never {@code null}; strings are empty when the device could not be opened
     */
    @Override
    public DeviceInfo device() {
        return device;
    }

    /**
     * Run-time or DFU mode, from {@link DeviceInfo#dfuMode()}.
     *
     * @return {@link DfuMode#DFU} or {@link DfuMode#RUNTIME}
     */
    public DfuMode mode() {
        return device.dfuMode() ? DfuMode.DFU : DfuMode.RUNTIME;
    }

    /**
     * True when the device was opened during discovery, so its strings are known.
     *
     * @return {@code true} when there is no {@link #openProblem()}
     */
    public boolean accessible() {
        return openProblem == null;
    }

    /**
     * The same description with another open problem (or none).
     *
     * @param problem the new open problem, or {@code null} for a device that opened
     * @return a copy with every other component unchanged
     */
    public DfuDeviceDescription withOpenProblem(OpenProblem problem) {
        return new DfuDeviceDescription(device, busNumber, deviceAddress, configurationValue, interfaceNumber,
                altSettings, functionalDescriptor, functionalDescriptorSource, problem);
    }

    /**
     * One line naming the device well enough to pick it with a filter:
     * {@code [0483:df11] DFU mode, path 1-2.3, serial "3276365C3432", STMicroelectronics STM32  BOOTLOADER, 4 alt settings}.
     *
     * @return the line, without a line terminator
     */
    public String summary() {
        StringBuilder b = new StringBuilder().append('[').append(device.vidPid()).append("] ")
                .append(device.dfuMode() ? "DFU mode" : "run-time mode").append(", path ").append(device.path());
        if (!accessible()) {
            b.append(", not accessible (").append(openProblem.kind()).append(')');
        } else {
            b.append(", serial \"").append(device.serial()).append('"');
            String name = (device.manufacturer() + " " + device.product()).strip();
            if (!name.isEmpty()) {
                b.append(", ").append(name);
            }
        }
        if (interfaceNumber != 0) {
            b.append(", interface ").append(interfaceNumber);
        }
        b.append(", ").append(altSettings.size()).append(altSettings.size() == 1 ? " alt setting" : " alt settings");
        return b.toString();
    }

    /**
     * One line per alternate setting, in the shape users know from {@code dfu-util --list}:
     * {@code Found DFU: [0483:df11] ver=2200, path="1-2.3", cfg=1, intf=0, alt=0, name="@Internal Flash ...", serial="..."}.
     *
     * @return one line per alternate setting, in order
     */
    public List<String> listing() {
        List<String> lines = new ArrayList<>();
        for (AltSetting alt : altSettings) {
            lines.add(String.format("Found %s: [%s] ver=%04x, devnum=%d, cfg=%d, intf=%d, path=\"%s\", alt=%d,"
                            + " name=\"%s\", serial=\"%s\"", device.dfuMode() ? "DFU" : "Runtime", device.vidPid(),
                    device.bcdDevice(), deviceAddress, configurationValue, interfaceNumber, device.path(),
                    alt.altSetting(), accessible() ? alt.name() : "UNKNOWN", accessible() ? device.serial() : "UNKNOWN"));
        }
        return lines;
    }

    /**
     * Insertion-ordered map of plain values (strings, numbers, booleans, lists, maps) for JSON output.
     *
     * @return a new mutable map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vidPid", device.vidPid());
        m.put("vendorId", device.vendorId());
        m.put("productId", device.productId());
        m.put("bcdDevice", String.format("0x%04x", device.bcdDevice()));
        m.put("manufacturer", device.manufacturer());
        m.put("product", device.product());
        m.put("serial", device.serial());
        m.put("bus", busNumber);
        m.put("address", deviceAddress);
        m.put("path", device.path());
        m.put("configuration", configurationValue);
        m.put("interface", interfaceNumber);
        m.put("mode", mode());
        List<Object> alts = new ArrayList<>();
        for (AltSetting a : altSettings) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("alt", a.altSetting());
            am.put("name", a.name());
            alts.add(am);
        }
        m.put("altSettings", alts);
        m.put("functionalDescriptor", functionalDescriptor == null ? null : toMap(functionalDescriptor));
        m.put("functionalDescriptorSource", functionalDescriptorSource);
        m.put("openProblem", openProblem == null ? null : openProblem.toMap());
        return m;
    }

    private static Map<String, Object> toMap(FunctionalDescriptor fd) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attributes", fd.attributes());
        m.put("canDownload", fd.canDownload());
        m.put("canUpload", fd.canUpload());
        m.put("manifestationTolerant", fd.manifestationTolerant());
        m.put("willDetach", fd.willDetach());
        m.put("detachTimeoutMillis", fd.detachTimeoutMs());
        m.put("transferSize", fd.transferSize());
        m.put("dfuVersion", String.format("0x%04x", fd.bcdDfu()));
        return m;
    }

    /** Where discovery found the DFU functional descriptor; devices disagree about where it belongs. */
    public enum FunctionalDescriptorSource {
        /** Among the descriptors following the configuration header (before the first interface). */
        CONFIGURATION_EXTRA,
        /** Among the descriptors following one of the DFU interface's alternate settings (the usual place). */
        INTERFACE_EXTRA,
        /** Not in the configuration; fetched with GET_DESCRIPTOR(0x21) from the opened device. */
        GET_DESCRIPTOR,
        /** Nowhere: the device is treated as DFU 1.0 with an unknown transfer size. */
        NONE
    }

    /** Which side of DFU a device's DFU interface is on (DFU 1.1 §4.1 / §4.2). */
    public enum DfuMode {
        /** bInterfaceProtocol 1: the application is running and offers DETACH to enter DFU mode. */
        RUNTIME,
        /** bInterfaceProtocol 2 (or 0 on ST DfuSe devices): the bootloader is running. */
        DFU
    }

    /**
     * Why a device that is visible on the bus could not be opened or claimed, with the fix.
     *
     * @param kind    the classified USB error (ACCESS, NOT_SUPPORTED, BUSY, ...)
     * @param message the libusb-level message, e.g. "libusb_open: LIBUSB_ERROR_ACCESS (access denied ...)"
     * @param advice  what to do, for this OS and this VID:PID
     */
    public record OpenProblem(TransportException.Kind kind, String message, Advice advice) {
        /**
         * Checks that every component is present.
         *
         * @param kind    the classified USB error (ACCESS, NOT_SUPPORTED, BUSY, ...)
         * @param message the libusb-level message, e.g. "libusb_open: LIBUSB_ERROR_ACCESS (access denied ...)"
         * @param advice  what to do, for this OS and this VID:PID
         * @throws NullPointerException when {@code kind}, {@code message} or {@code advice} is {@code null}
         */
        public OpenProblem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(advice, "advice");
        }

        /**
         * Insertion-ordered map for JSON output: {@code kind} (the {@link TransportException.Kind}),
         * {@code message} and {@code advice} (as {@link Advice#toMap()}).
         *
         * @return a new mutable map
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("message", message);
            m.put("advice", advice.toMap());
            return m;
        }
    }
}
