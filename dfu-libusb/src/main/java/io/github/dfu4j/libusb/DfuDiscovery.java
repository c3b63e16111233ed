package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.libusb.DfuDeviceDescription.DfuMode;
import io.github.dfu4j.libusb.DfuDeviceDescription.FunctionalDescriptorSource;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.InterfaceAltDescriptor;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one USB device into descriptions of its DFU interfaces: descriptors first (no access
 * rights needed), then one open to read the strings and, when the configuration has no functional
 * descriptor, GET_DESCRIPTOR(0x21). A device that cannot be opened is still described, with an
 * {@link OpenProblem} that says why and what to do.
 */
final class DfuDiscovery {
    private static final Logger log = LoggerFactory.getLogger(DfuDiscovery.class);

    static final int STRING_TIMEOUT_MS = 1000;
    static final int DESCRIPTOR_TIMEOUT_MS = 1000;

    private DfuDiscovery() {
    }

    /** A DFU interface found in the descriptors, before strings are known. */
    private record Found(int configurationValue, int interfaceNumber, List<InterfaceAltDescriptor> alts,
                         byte[] functional, FunctionalDescriptorSource source) {
    }

    /** Every DFU interface of {@code ref}; empty when it has none or its descriptors are unreadable. */
    static List<DfuDeviceDescription> describe(UsbDeviceRef ref, Environment env) {
        DeviceDescriptor dd;
        try {
            dd = ref.deviceDescriptor();
        } catch (TransportException e) {
            log.debug("device descriptor unreadable: {}", e.getMessage());
            return List.of();
        }
        List<Found> found = findDfuInterfaces(ref, dd);
        if (found.isEmpty()) {
            return List.of();
        }
        int bus = ref.busNumber();
        int address = ref.deviceAddress();
        String path = UsbDeviceRef.path(bus, ref.portNumbers());
        String manufacturer = "";
        String product = "";
        String serial = "";
        List<List<String>> names = new ArrayList<>();
        List<byte[]> functionals = new ArrayList<>();
        List<FunctionalDescriptorSource> sources = new ArrayList<>();
        for (Found f : found) {
            functionals.add(f.functional());
            sources.add(f.source());
            names.add(new ArrayList<>());
        }
        TransportException openFailure = null;
        try (UsbHandle h = ref.open()) {
            UsbStrings strings = new UsbStrings(h, STRING_TIMEOUT_MS);
            manufacturer = strings.read(dd.manufacturerIndex());
            product = strings.read(dd.productIndex());
            serial = strings.read(dd.serialNumberIndex());
            for (int i = 0; i < found.size(); i++) {
                for (InterfaceAltDescriptor alt : found.get(i).alts()) {
                    names.get(i).add(strings.read(alt.interfaceIndex()));
                }
                if (functionals.get(i) == null) {
                    byte[] fd = fetchFunctionalDescriptor(h, found.get(i).interfaceNumber());
                    if (fd != null) {
                        functionals.set(i, fd);
                        sources.set(i, FunctionalDescriptorSource.GET_DESCRIPTOR);
                    }
                }
            }
        } catch (TransportException e) {
            openFailure = e;
        }
        List<DfuDeviceDescription> out = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            FunctionalDescriptor functional = parse(functionals.get(i), dd, path);
            FunctionalDescriptorSource source = functional == null ? FunctionalDescriptorSource.NONE : sources.get(i);
            List<AltSetting> alts = new ArrayList<>();
            for (int k = 0; k < f.alts().size(); k++) {
                List<String> n = names.get(i);
                alts.add(new AltSetting(f.alts().get(k).alternateSetting(), k < n.size() ? n.get(k) : ""));
            }
            DfuMode mode = modeOf(f.alts().get(0).interfaceProtocol(), functional);
            DeviceInfo info = new DeviceInfo(dd.vendorId(), dd.productId(), dd.bcdDevice(), manufacturer, product,
                    serial, path, mode == DfuMode.DFU);
            DfuDeviceDescription d = new DfuDeviceDescription(info, bus, address, f.configurationValue(),
                    f.interfaceNumber(), alts, functional, source, null);
            out.add(openFailure == null ? d : d.withOpenProblem(env.problem(d, openFailure)));
        }
        return out;
    }

    /**
     * DFU mode when bInterfaceProtocol is 2; run-time when 1. ST DfuSe bootloaders have been seen
     * with protocol 0 (dfu-util keeps a quirk for them): DFU mode when bcdDFUVersion says DfuSe.
     */
    static DfuMode modeOf(int interfaceProtocol, FunctionalDescriptor functional) {
        if (interfaceProtocol == 2) {
            return DfuMode.DFU;
        }
        if (interfaceProtocol == 0 && functional != null && functional.isDfuse()) {
            return DfuMode.DFU;
        }
        return DfuMode.RUNTIME;
    }

    private static List<Found> findDfuInterfaces(UsbDeviceRef ref, DeviceDescriptor dd) {
        List<Found> found = new ArrayList<>();
        for (int c = 0; c < dd.numConfigurations(); c++) {
            ConfigurationDescriptor config;
            try {
                config = ref.configuration(c);
            } catch (TransportException e) {
                log.debug("{}: configuration {} unreadable: {}", hex(dd), c, e.getMessage());
                continue;
            }
            Map<Integer, List<InterfaceAltDescriptor>> byInterface = new LinkedHashMap<>();
            for (InterfaceAltDescriptor alt : config.altSettings()) {
                if (alt.isDfu()) {
                    byInterface.computeIfAbsent(alt.interfaceNumber(), k -> new ArrayList<>()).add(alt);
                }
            }
            byte[] configLevel = FunctionalDescriptor.findIn(config.extra()).orElse(null);
            for (Map.Entry<Integer, List<InterfaceAltDescriptor>> e : byInterface.entrySet()) {
                byte[] functional = null;
                FunctionalDescriptorSource source = FunctionalDescriptorSource.NONE;
                // dfu-util's order: configuration extra bytes, then the interface's, then GET_DESCRIPTOR
                if (configLevel != null) {
                    functional = configLevel;
                    source = FunctionalDescriptorSource.CONFIGURATION_EXTRA;
                } else {
                    for (InterfaceAltDescriptor alt : e.getValue()) {
                        byte[] fd = FunctionalDescriptor.findIn(alt.extra()).orElse(null);
                        if (fd != null) {
                            functional = fd;
                            source = FunctionalDescriptorSource.INTERFACE_EXTRA;
                            break;
                        }
                    }
                }
                found.add(new Found(config.configurationValue(), e.getKey(), List.copyOf(e.getValue()), functional,
                        source));
            }
        }
        return found;
    }

    /** GET_DESCRIPTOR(0x21) to the device, then to the interface (devices disagree on the recipient). */
    private static byte[] fetchFunctionalDescriptor(UsbHandle h, int interfaceNumber) {
        int[][] attempts = {{0x80, 0}, {0x81, interfaceNumber}};
        for (int[] a : attempts) {
            try {
                byte[] buf = new byte[255];
                int n = h.controlTransfer(a[0], UsbStrings.GET_DESCRIPTOR, FunctionalDescriptor.DESCRIPTOR_TYPE << 8, a[1],
                        buf, buf.length, DESCRIPTOR_TIMEOUT_MS);
                if (n >= 3 && (buf[1] & 0xFF) == FunctionalDescriptor.DESCRIPTOR_TYPE) {
                    return Arrays.copyOf(buf, n);
                }
            } catch (TransportException e) {
                log.debug("GET_DESCRIPTOR(0x21) with bmRequestType 0x{}: {}", Integer.toHexString(a[0]),
                        e.getMessage());
            }
        }
        return null;
    }

    private static FunctionalDescriptor parse(byte[] raw, DeviceDescriptor dd, String path) {
        if (raw == null) {
            return null;
        }
        try {
            return FunctionalDescriptor.parse(raw, "DFU functional descriptor of " + hex(dd) + " at " + path);
        } catch (DfuException e) {
            log.warn("{}", e.getMessage());
            return null;
        }
    }

    private static String hex(DeviceDescriptor dd) {
        // concatenated, not String.format: every listing runs this, before a device's first request, and the
        // first String.format of a process loads the Formatter and its regexes (start-up, issue 11)
        return hex4(dd.vendorId()) + ":" + hex4(dd.productId());
    }

    /** {@code String.format("%04x", v)}. */
    private static String hex4(int v) {
        String h = Integer.toHexString(v);
        return h.length() >= 4 ? h : "0000".substring(h.length()) + h;
    }
}
