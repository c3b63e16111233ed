package io.github.dfu4j.libusb.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DescriptorFormatException;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.InterfaceAltDescriptor;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (Longer than ~400 lines: the handle, the device reference and the descriptor readers share the bus's
 * library and context and stay private inner classes here rather than widening them to the package.)
 *
 * The system libusb-1.0 through JNA, with its own libusb context (never the default context, so
 * several instances and other libusb users in the same process do not interfere).
 *
 * <pre>{@code
 * try (JnaUsbBus bus = JnaUsbBus.open(); DeviceSnapshot devices = bus.snapshot()) { ... }
 * }</pre>
 */
public final class JnaUsbBus implements UsbBus {
    private static final Logger log = LoggerFactory.getLogger(JnaUsbBus.class);

    public static final String NAME = "JNA (system libusb-1.0)";

    /** libusb_get_port_numbers and libusb_set_auto_detach_kernel_driver arrived in 1.0.16. */
    private static final int[] MINIMUM_VERSION = {1, 0, 16};
    /** USB allows 7 tiers below the root hub; libusb documents 7 as the port-number buffer size. */
    private static final int MAX_PORT_DEPTH = 7;
    /** Guard against a corrupt count: no real bus has this many devices. */
    private static final long MAX_DEVICES = 4096;
    /** Extra bytes cannot exceed wTotalLength, a 16-bit field. */
    private static final int MAX_EXTRA = 0xFFFF;
    /** First size of a handle's control-transfer buffer: a DfuSe block of 2 KiB fits, larger ones grow it. */
    private static final int DEFAULT_BUFFER = 4096;

    private final LibUsbNative lib;
    private final Pointer context;
    private final LibusbLayouts layouts;
    private final String version;
    private final String libraryName;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JnaUsbBus(LibUsbNative lib, Pointer context, LibusbLayouts layouts, String version, String libraryName) {
        this.lib = lib;
        this.context = context;
        this.layouts = layouts;
        this.version = version;
        this.libraryName = libraryName;
    }

    /**
     * Loads the system libusb (first use: nothing native is touched before this call) and creates a
     * libusb context.
     */
    public static JnaUsbBus open() throws BackendUnavailableException {
        JnaLibraryLoader.Loaded loaded = JnaLibraryLoader.load();
        LibUsbNative lib = loaded.library();
        LibusbLayouts layouts = LibusbLayouts.forPointerSize(Native.POINTER_SIZE);
        String version;
        try {
            version = readVersion(lib, layouts);
        } catch (UnsatisfiedLinkError e) {
            throw new BackendUnavailableException(NAME, List.of(loaded.name()
                    + ": libusb_get_version missing: libusb older than 1.0.10, need 1.0.16 or later"), e);
        }
        if (!atLeast(version, MINIMUM_VERSION)) {
            throw new BackendUnavailableException(NAME, List.of(loaded.name() + ": libusb " + version
                    + " is too old, need 1.0.16 or later"), null);
        }
        PointerByReference ref = new PointerByReference();
        int rc = lib.libusb_init(ref);
        if (rc < 0) {
            throw new BackendUnavailableException(NAME, List.of(loaded.name() + ": libusb_init failed: "
                    + LibusbError.nameOf(rc)), null);
        }
        log.debug("loaded libusb {} from '{}'", version, loaded.name());
        return new JnaUsbBus(lib, ref.getValue(), layouts, version, loaded.name());
    }


    /** Whether libusb, control transfers included, is called through JNA direct mapping (false: the interface proxy). */
    boolean directCalls() {
        return lib instanceof DirectLibUsb;
    }

    private static String readVersion(LibUsbNative lib, LibusbLayouts layouts) {
        Pointer v = lib.libusb_get_version();
        CStructLayout l = layouts.version();
        int major = v.getShort(l.offset("major")) & 0xFFFF;
        int minor = v.getShort(l.offset("minor")) & 0xFFFF;
        int micro = v.getShort(l.offset("micro")) & 0xFFFF;
        int nano = v.getShort(l.offset("nano")) & 0xFFFF;
        Pointer rc = v.getPointer(l.offset("rc"));
        String suffix = rc == null ? "" : rc.getString(0, StandardCharsets.US_ASCII.name());
        return major + "." + minor + "." + micro + "." + nano + suffix;
    }

    static boolean atLeast(String version, int[] minimum) {
        String[] parts = version.split("[.\\-]");
        for (int i = 0; i < minimum.length; i++) {
            int v;
            try {
                v = i < parts.length ? Integer.parseInt(parts[i].replaceAll("\\D.*", "")) : 0;
            } catch (NumberFormatException e) {
                return false;
            }
            if (v != minimum[i]) {
                return v > minimum[i];
            }
        }
        return true;
    }

    @Override
    public String libusbVersion() {
        return version;
    }

    @Override
    public String origin() {
        return "system libusb via JNA, loaded as '" + libraryName + "'";
    }

    /** The name the library was loaded under, e.g. "usb-1.0". */
    public String libraryName() {
        return libraryName;
    }

    /** libusb's own name for an error code, e.g. "LIBUSB_ERROR_ACCESS". */
    public String errorName(int code) {
        ensureOpen();
        return lib.libusb_error_name(code);
    }

    @Override
    public DeviceSnapshot snapshot() throws TransportException {
        ensureOpen();
        PointerByReference listRef = new PointerByReference();
        long n = lib.libusb_get_device_list(context, listRef).longValue();
        if (n < 0) {
            throw LibusbError.exception((int) n, "libusb_get_device_list");
        }
        Pointer list = listRef.getValue();
        if (n > MAX_DEVICES) {
            lib.libusb_free_device_list(list, 1);
            throw new TransportException(Kind.IO, "libusb_get_device_list returned an implausible count " + n);
        }
        Pointer[] devices = n == 0 ? new Pointer[0] : list.getPointerArray(0, (int) n);
        List<UsbDeviceRef> refs = new ArrayList<>(devices.length);
        for (Pointer d : devices) {
            refs.add(new JnaDevice(d));
        }
        return new JnaSnapshot(list, List.copyOf(refs));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            lib.libusb_exit(context);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the libusb context was closed");
        }
    }

    private final class JnaSnapshot implements DeviceSnapshot {
        private final Pointer list;
        private final List<UsbDeviceRef> devices;
        private final AtomicBoolean freed = new AtomicBoolean();

        JnaSnapshot(Pointer list, List<UsbDeviceRef> devices) {
            this.list = list;
            this.devices = devices;
        }

        @Override
        public List<UsbDeviceRef> devices() {
            return devices;
        }

        @Override
        public void close() {
            if (freed.compareAndSet(false, true) && !closed.get()) {
                lib.libusb_free_device_list(list, 1);
            }
        }
    }

    private final class JnaDevice implements UsbDeviceRef {
        private final Pointer device;

        JnaDevice(Pointer device) {
            this.device = device;
        }

        @Override
        public int busNumber() {
            return lib.libusb_get_bus_number(device) & 0xFF;
        }

        @Override
        public int deviceAddress() {
            return lib.libusb_get_device_address(device) & 0xFF;
        }

        @Override
        public List<Integer> portNumbers() {
            byte[] ports = new byte[MAX_PORT_DEPTH];
            int n = lib.libusb_get_port_numbers(device, ports, ports.length);
            if (n <= 0) {
                return List.of();
            }
            List<Integer> out = new ArrayList<>(n);
            for (int i = 0; i < Math.min(n, ports.length); i++) {
                out.add(ports[i] & 0xFF);
            }
            return List.copyOf(out);
        }

        @Override
        public DeviceDescriptor deviceDescriptor() throws TransportException {
            // struct libusb_device_descriptor is the wire layout in host byte order; read it field by
            // field rather than as bytes so the 16-bit fields are right on big-endian hosts too
            try (Memory m = new Memory(LibusbLayouts.DEVICE_DESCRIPTOR_SIZE)) {
                LibusbError.check(lib.libusb_get_device_descriptor(device, m), "libusb_get_device_descriptor");
                return new DeviceDescriptor(m.getShort(2) & 0xFFFF, m.getByte(4) & 0xFF, m.getByte(5) & 0xFF,
                        m.getByte(6) & 0xFF, m.getByte(7) & 0xFF, m.getShort(8) & 0xFFFF, m.getShort(10) & 0xFFFF,
                        m.getShort(12) & 0xFFFF, m.getByte(14) & 0xFF, m.getByte(15) & 0xFF, m.getByte(16) & 0xFF,
                        m.getByte(17) & 0xFF);
            }
        }

        @Override
        public ConfigurationDescriptor configuration(int index) throws TransportException {
            PointerByReference ref = new PointerByReference();
            LibusbError.check(lib.libusb_get_config_descriptor(device, (byte) index, ref),
                    "libusb_get_config_descriptor(" + index + ")");
            Pointer config = ref.getValue();
            try {
                return readConfig(config);
            } catch (DescriptorFormatException e) {
                throw new TransportException(Kind.IO, e.getMessage(), e);
            } finally {
                lib.libusb_free_config_descriptor(config);
            }
        }

        @Override
        public UsbHandle open() throws TransportException {
            PointerByReference ref = new PointerByReference();
            LibusbError.check(lib.libusb_open(device, ref), "libusb_open");
            return new JnaHandle(ref.getValue());
        }
    }

    private ConfigurationDescriptor readConfig(Pointer config) throws DescriptorFormatException {
        CStructLayout c = layouts.config();
        CStructLayout i = layouts.iface();
        CStructLayout a = layouts.altDesc();
        int numInterfaces = config.getByte(c.offset("bNumInterfaces")) & 0xFF;
        Pointer interfaces = config.getPointer(c.offset("interface"));
        List<InterfaceAltDescriptor> alts = new ArrayList<>();
        for (int n = 0; n < numInterfaces && interfaces != null; n++) {
            Pointer iface = interfaces.share((long) n * i.size());
            int numAlts = iface.getInt(i.offset("num_altsetting"));
            if (numAlts < 0 || numAlts > 255) {
                throw new DescriptorFormatException("libusb_interface " + n, i.offset("num_altsetting"),
                        "num_altsetting " + numAlts + " out of range 0..255");
            }
            Pointer altArray = iface.getPointer(i.offset("altsetting"));
            for (int k = 0; k < numAlts && altArray != null; k++) {
                Pointer alt = altArray.share((long) k * a.size());
                alts.add(new InterfaceAltDescriptor(u8(alt, a, "bInterfaceNumber"), u8(alt, a, "bAlternateSetting"),
                        u8(alt, a, "bInterfaceClass"), u8(alt, a, "bInterfaceSubClass"),
                        u8(alt, a, "bInterfaceProtocol"), u8(alt, a, "iInterface"), u8(alt, a, "bNumEndpoints"),
                        extra(alt, a, "interface " + n + " alt " + k)));
            }
        }
        return new ConfigurationDescriptor(u8(config, c, "bConfigurationValue"), u8(config, c, "iConfiguration"),
                u8(config, c, "bmAttributes"), u8(config, c, "MaxPower"), extra(config, c, "configuration"),
                alts);
    }

    private static int u8(Pointer p, CStructLayout l, String field) {
        return p.getByte(l.offset(field)) & 0xFF;
    }

    private static byte[] extra(Pointer p, CStructLayout l, String where) throws DescriptorFormatException {
        int length = p.getInt(l.offset("extra_length"));
        if (length < 0 || length > MAX_EXTRA) {
            throw new DescriptorFormatException(l.name() + " of " + where, l.offset("extra_length"),
                    "extra_length " + length + " out of range 0.." + MAX_EXTRA);
        }
        Pointer extra = p.getPointer(l.offset("extra"));
        return length == 0 || extra == null ? new byte[0] : extra.getByteArray(0, length);
    }

    private final class JnaHandle implements UsbHandle {
        private final Pointer handle;
        private final AtomicBoolean handleClosed = new AtomicBoolean();
        /** Native buffer of the direct control transfers (null until the first). */
        private Memory buffer;

        JnaHandle(Pointer handle) {
            this.handle = handle;
        }

        @Override
        public int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
                                   int timeoutMillis) throws TransportException {
            if (length < 0 || length > 0xFFFF || length > data.length) {
                throw new IllegalArgumentException("length " + length + " for a buffer of " + data.length);
            }
            open();
            int rc;
            if (lib instanceof DirectLibUsb) { // direct mapping: the native-buffer overload
                rc = directTransfer(requestType, request, value, index, data, length, timeoutMillis);
            } else {
                // a zero-length Java array is not a valid native buffer for every JNA version
                byte[] buffer = data.length == 0 ? new byte[1] : data;
                rc = lib.libusb_control_transfer(handle, (byte) requestType, (byte) request, (short) value,
                        (short) index, buffer, (short) length, timeoutMillis);
            }
            if (rc < 0) { // the operation text is built only for an error (no formatting per request)
                LibusbError.check(rc, String.format("control transfer %02x/%02x wValue 0x%04x wIndex %d",
                        requestType & 0xFF, request & 0xFF, value & 0xFFFF, index & 0xFFFF));
            }
            return rc;
        }

        /**
         * One transfer through {@link DirectLibUsb} with this handle's native buffer (grown to the
         * largest wLength seen, freed with the handle): no native allocation per request.
         */
        private synchronized int directTransfer(int requestType, int request, int value, int index, byte[] data,
                                                int length, int timeoutMillis) {
            if (buffer == null || buffer.size() < Math.max(1, length)) {
                if (buffer != null) {
                    buffer.close();
                }
                buffer = new Memory(Math.max(DEFAULT_BUFFER, length));
            }
            boolean in = (requestType & 0x80) != 0;
            if (!in && length > 0) {
                buffer.write(0, data, 0, length);
            }
            int rc = DirectLibUsb.Natives.libusb_control_transfer(handle, (byte) requestType, (byte) request, (short) value,
                    (short) index, buffer, (short) length, timeoutMillis);
            if (in && rc > 0) {
                buffer.read(0, data, 0, Math.min(rc, length));
            }
            return rc;
        }

        @Override
        public void claimInterface(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(lib.libusb_claim_interface(handle, interfaceNumber), "claim interface " + interfaceNumber);
        }

        @Override
        public void releaseInterface(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(lib.libusb_release_interface(handle, interfaceNumber),
                    "release interface " + interfaceNumber);
        }

        @Override
        public void setAltSetting(int interfaceNumber, int alternateSetting) throws TransportException {
            open();
            LibusbError.check(lib.libusb_set_interface_alt_setting(handle, interfaceNumber, alternateSetting),
                    "set interface " + interfaceNumber + " alt setting " + alternateSetting);
        }

        @Override
        public void setAutoDetachKernelDriver(boolean enable) throws TransportException {
            open();
            LibusbError.check(lib.libusb_set_auto_detach_kernel_driver(handle, enable ? 1 : 0),
                    "set auto-detach kernel driver");
        }

        @Override
        public boolean kernelDriverActive(int interfaceNumber) throws TransportException {
            open();
            return LibusbError.check(lib.libusb_kernel_driver_active(handle, interfaceNumber),
                    "kernel driver active on interface " + interfaceNumber) == 1;
        }

        @Override
        public void detachKernelDriver(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(lib.libusb_detach_kernel_driver(handle, interfaceNumber),
                    "detach kernel driver from interface " + interfaceNumber);
        }

        @Override
        public String stringDescriptorAscii(int index) throws TransportException {
            open();
            byte[] buffer = new byte[256];
            int n = LibusbError.check(lib.libusb_get_string_descriptor_ascii(handle, (byte) index, buffer,
                    buffer.length), "get string descriptor " + index);
            return new String(Arrays.copyOf(buffer, Math.min(n, buffer.length)), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void resetDevice() throws TransportException {
            open();
            LibusbError.check(lib.libusb_reset_device(handle), "reset device");
        }

        @Override
        public void close() {
            if (handleClosed.compareAndSet(false, true) && !closed.get()) {
                lib.libusb_close(handle);
            }
            synchronized (this) {
                if (buffer != null) {
                    buffer.close();
                    buffer = null;
                }
            }
        }

        private void open() throws TransportException {
            if (handleClosed.get()) {
                throw new TransportException(Kind.NO_DEVICE, "the device handle was closed");
            }
        }
    }
}
