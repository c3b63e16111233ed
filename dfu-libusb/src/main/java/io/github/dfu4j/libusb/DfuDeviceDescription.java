package io.github.dfu4j.libusb;

import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DFU interface of one USB device as discovery found it, before anything is claimed. A device
 * with two DFU interfaces yields two descriptions. Strings are empty when the device has none or
 * could not be opened to read them ({@link #openProblem()} then says why).
 *
 * @param vendorId                   idVendor
 * @param productId                  idProduct
 * @param bcdDevice                  device release number (ST ROMs: 0x2100, 0x2200, H7 0x0200)
 * @param manufacturer               iManufacturer string
 * @param product                    iProduct string
 * @param serial                     iSerialNumber string; not unique on every ST ROM
 * @param busNumber                  USB bus number
 * @param deviceAddress              address on the bus; changes when the device re-enumerates
 * @param path                       bus and hub ports, "1-2.3"; stays the same when the device
 *                                   re-enumerates on the same port
 * @param configurationValue         bConfigurationValue of the configuration holding the interface
 * @param interfaceNumber            bInterfaceNumber of the DFU interface
 * @param mode                       run-time or DFU mode
 * @param altSettings                every alternate setting of the DFU interface with its name
 * @param functionalDescriptor       the DFU functional descriptor, null when the device has none
 * @param functionalDescriptorSource where it was found
 * @param openProblem                why the device could not be opened to read its strings, or null
 */
public record DfuDeviceDescription(int vendorId, int productId, int bcdDevice, String manufacturer, String product,
                                   String serial, int busNumber, int deviceAddress, String path,
                                   int configurationValue, int interfaceNumber, DfuMode mode,
                                   List<AltSetting> altSettings, FunctionalDescriptor functionalDescriptor,
                                   FunctionalDescriptorSource functionalDescriptorSource, OpenProblem openProblem) {

    public DfuDeviceDescription {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(functionalDescriptorSource, "functionalDescriptorSource");
        altSettings = List.copyOf(altSettings);
    }

    /** "0483:df11". */
    public String vidPid() {
        return String.format("%04x:%04x", vendorId, productId);
    }

    public boolean isDfuMode() {
        return mode == DfuMode.DFU;
    }

    /** True when the device was opened during discovery, so its strings are known. */
    public boolean accessible() {
        return openProblem == null;
    }

    /** The same description with another open problem (or none). */
    public DfuDeviceDescription withOpenProblem(OpenProblem problem) {
        return new DfuDeviceDescription(vendorId, productId, bcdDevice, manufacturer, product, serial, busNumber,
                deviceAddress, path, configurationValue, interfaceNumber, mode, altSettings, functionalDescriptor,
                functionalDescriptorSource, problem);
    }

    /** The identity record the transport SPI uses. */
    public DeviceInfo toDeviceInfo() {
        return new DeviceInfo(vendorId, productId, bcdDevice, manufacturer, product, serial, path, isDfuMode());
    }

    /**
     * One line naming the device well enough to pick it with a filter:
     * {@code [0483:df11] DFU mode, path 1-2.3, serial "3276365C3432", STMicroelectronics STM32  BOOTLOADER, 4 alt settings}.
     */
    public String summary() {
        StringBuilder b = new StringBuilder().append('[').append(vidPid()).append("] ")
                .append(mode == DfuMode.DFU ? "DFU mode" : "run-time mode").append(", path ").append(path);
        if (!accessible()) {
            b.append(", not accessible (").append(openProblem.kind()).append(')');
        } else {
            b.append(", serial \"").append(serial).append('"');
            String name = (manufacturer + " " + product).strip();
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
     */
    public List<String> listing() {
        List<String> lines = new ArrayList<>();
        for (AltSetting alt : altSettings) {
            lines.add(String.format("Found %s: [%s] ver=%04x, devnum=%d, cfg=%d, intf=%d, path=\"%s\", alt=%d,"
                            + " name=\"%s\", serial=\"%s\"", mode == DfuMode.DFU ? "DFU" : "Runtime", vidPid(),
                    bcdDevice, deviceAddress, configurationValue, interfaceNumber, path, alt.altSetting(),
                    accessible() ? alt.name() : "UNKNOWN", accessible() ? serial : "UNKNOWN"));
        }
        return lines;
    }

    /** Insertion-ordered map of plain values (strings, numbers, booleans, lists, maps) for JSON output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vidPid", vidPid());
        m.put("vendorId", vendorId);
        m.put("productId", productId);
        m.put("bcdDevice", String.format("0x%04x", bcdDevice));
        m.put("manufacturer", manufacturer);
        m.put("product", product);
        m.put("serial", serial);
        m.put("bus", busNumber);
        m.put("address", deviceAddress);
        m.put("path", path);
        m.put("configuration", configurationValue);
        m.put("interface", interfaceNumber);
        m.put("mode", mode);
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
}
