package io.github.dfu4j.libusb;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The USB device found at a port path while waiting for a device to come back there (see
 * {@link UsbBackend#awaitDevice}; callers see it as a {@link io.github.dfu4j.transport.PortState}
 * through {@link LibusbPort}): after leaving DFU mode that is the application, after DETACH or
 * an option-byte reset the bootloader. Read from the descriptors; only a device with a DFU
 * interface is opened (to read its strings).
 *
 * @param vendorId      idVendor
 * @param productId     idProduct
 * @param bcdDevice     device release number
 * @param busNumber     USB bus number
 * @param deviceAddress address on the bus (new on every enumeration)
 * @param path          the port path, "1-2.3"
 * @param kind          what it is, as far as DFU is concerned
 * @param dfuInterfaces its DFU interfaces (empty for {@link Kind#NO_DFU_INTERFACE})
 */
record PortDevice(int vendorId, int productId, int bcdDevice, int busNumber, int deviceAddress, String path,
                         Kind kind, List<DfuDeviceDescription> dfuInterfaces) {

    /** What a device at the port is, as far as DFU is concerned. */
    public enum Kind {
        /** No DFU interface at all: an application without DFU support (or another device on that port). */
        NO_DFU_INTERFACE("no DFU interface"),
        /** A run-time DFU interface (bInterfaceProtocol 1): an application that offers DETACH. */
        RUNTIME_DFU("run-time DFU interface"),
        /** A DFU-mode interface: the bootloader. */
        DFU_MODE("DFU mode");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** "run-time DFU interface", "no DFU interface", "DFU mode". */
        public String text() {
            return text;
        }
    }

    /** Any device that is not in DFU mode: what a started application looks like on the bus. */
    public static final Set<Kind> APPLICATION = Set.of(Kind.NO_DFU_INTERFACE, Kind.RUNTIME_DFU);
    /** A device in DFU mode: the bootloader. */
    public static final Set<Kind> BOOTLOADER = Set.of(Kind.DFU_MODE);

    public PortDevice {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        dfuInterfaces = List.copyOf(dfuInterfaces);
    }

    /** The kind of a device with these DFU interfaces: DFU mode wins, then run-time. */
    static Kind kindOf(List<DfuDeviceDescription> dfuInterfaces) {
        if (dfuInterfaces.stream().anyMatch(DfuDeviceDescription::isDfuMode)) {
            return Kind.DFU_MODE;
        }
        return dfuInterfaces.isEmpty() ? Kind.NO_DFU_INTERFACE : Kind.RUNTIME_DFU;
    }

    /** "0483:5740". */
    public String vidPid() {
        return String.format("%04x:%04x", vendorId, productId);
    }

    /** "0483:5740 (run-time DFU interface) at 1-2.3". */
    public String summary() {
        return vidPid() + " (" + kind.text() + ") at " + path;
    }
}
