package io.github.dfu4j.libusb.usb4java;

import io.github.dfu4j.libusb.spi.BackendUnavailableException;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.InterfaceAltDescriptor;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceHandle;
import org.usb4java.DeviceList;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;
import org.usb4java.Version;

/**
 * libusb through usb4java 1.3.0 (bundled libusb 1.0.22 for Linux, Windows and Intel macOS).
 *
 * <p>usb4java loads its JNI library in the static initialiser of {@code org.usb4java.LibUsb}. This
 * class touches LibUsb only inside {@link #open()}, so the load happens on first use and its
 * failure ({@code ExceptionInInitializerError}, then {@code NoClassDefFoundError} on every later
 * attempt in the same JVM) is turned into a {@link BackendUnavailableException}. usb4java 1.3.0
 * finds its natives only on the class path; see docs/usb-setup.md for the module path.
 */
public final class Usb4javaUsbBus implements UsbBus {
    private static final Logger log = LoggerFactory.getLogger(Usb4javaUsbBus.class);

    public static final String NAME = "usb4java";

    private static final int MAX_PORT_DEPTH = 7;

    private final Context context;
    private final String version;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Usb4javaUsbBus(Context context, String version) {
        this.context = context;
        this.version = version;
    }

    /** Loads usb4java's natives (first use) and creates a libusb context. */
    public static Usb4javaUsbBus open() throws BackendUnavailableException {
        if (!ModuleAccess.canReachUsb4java()) {
            throw new BackendUnavailableException(NAME, List.of("org.usb4java is not on the class path"
                    + " (add org.usb4java:usb4java:1.3.0 and its libusb4java natives)"), null);
        }
        Context context;
        String version;
        try {
            context = new Context();
            int rc = LibUsb.init(context);
            if (rc < 0) {
                throw new BackendUnavailableException(NAME, List.of("libusb_init failed: " + LibusbError.nameOf(rc)),
                        null);
            }
            Version v = LibUsb.getVersion();
            version = v == null ? "unknown" : v.major() + "." + v.minor() + "." + v.micro() + "." + v.nano()
                    + (v.rc() == null ? "" : v.rc());
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BackendUnavailableException(NAME, List.of("native library did not load: " + cause.getMessage()
                    + hint()), cause);
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
            throw new BackendUnavailableException(NAME, List.of("not usable: " + e + hint()), e);
        } catch (RuntimeException e) {
            // org.usb4java.LoaderException and friends
            throw new BackendUnavailableException(NAME, List.of("native library did not load: " + e.getMessage()
                    + hint()), e);
        }
        log.debug("usb4java libusb {}", version);
        return new Usb4javaUsbBus(context, version);
    }

    private static String hint() {
        String arch = System.getProperty("os.arch", "");
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("mac") && (arch.equals("aarch64") || arch.equals("arm64"))) {
            return " (usb4java 1.3.0 ships no darwin-aarch64 natives: use the JNA backend with Homebrew libusb)";
        }
        return " (usb4java 1.3.0 loads its natives only when it is on the class path; a failed load is not"
                + " retried in the same JVM)";
    }

    @Override
    public String libusbVersion() {
        return version;
    }

    @Override
    public String origin() {
        return "libusb bundled with usb4java";
    }

    @Override
    public DeviceSnapshot snapshot() throws TransportException {
        ensureOpen();
        DeviceList list = new DeviceList();
        int n = LibusbError.check(LibUsb.getDeviceList(context, list), "libusb_get_device_list");
        List<UsbDeviceRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(new Usb4javaDevice(list.get(i)));
        }
        List<UsbDeviceRef> devices = List.copyOf(refs);
        AtomicBoolean freed = new AtomicBoolean();
        return new DeviceSnapshot() {
            @Override
            public List<UsbDeviceRef> devices() {
                return devices;
            }

            @Override
            public void close() {
                if (freed.compareAndSet(false, true) && !closed.get()) {
                    LibUsb.freeDeviceList(list, true);
                }
            }
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibUsb.exit(context);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the libusb context was closed");
        }
    }

    private final class Usb4javaDevice implements UsbDeviceRef {
        private final Device device;

        Usb4javaDevice(Device device) {
            this.device = device;
        }

        @Override
        public int busNumber() {
            return LibUsb.getBusNumber(device);
        }

        @Override
        public int deviceAddress() {
            return LibUsb.getDeviceAddress(device);
        }

        @Override
        public List<Integer> portNumbers() {
            ByteBuffer ports = ByteBuffer.allocateDirect(MAX_PORT_DEPTH);
            int n = LibUsb.getPortNumbers(device, ports);
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < Math.min(n, MAX_PORT_DEPTH); i++) {
                out.add(ports.get(i) & 0xFF);
            }
            return List.copyOf(out);
        }

        @Override
        public DeviceDescriptor deviceDescriptor() throws TransportException {
            org.usb4java.DeviceDescriptor d = new org.usb4java.DeviceDescriptor();
            LibusbError.check(LibUsb.getDeviceDescriptor(device, d), "libusb_get_device_descriptor");
            return new DeviceDescriptor(d.bcdUSB() & 0xFFFF, d.bDeviceClass() & 0xFF, d.bDeviceSubClass() & 0xFF,
                    d.bDeviceProtocol() & 0xFF, d.bMaxPacketSize0() & 0xFF, d.idVendor() & 0xFFFF,
                    d.idProduct() & 0xFFFF, d.bcdDevice() & 0xFFFF, d.iManufacturer() & 0xFF, d.iProduct() & 0xFF,
                    d.iSerialNumber() & 0xFF, d.bNumConfigurations() & 0xFF);
        }

        @Override
        public ConfigurationDescriptor configuration(int index) throws TransportException {
            ConfigDescriptor c = new ConfigDescriptor();
            LibusbError.check(LibUsb.getConfigDescriptor(device, (byte) index, c),
                    "libusb_get_config_descriptor(" + index + ")");
            try {
                List<InterfaceAltDescriptor> alts = new ArrayList<>();
                Interface[] interfaces = c.iface();
                for (Interface itf : interfaces == null ? new Interface[0] : interfaces) {
                    InterfaceDescriptor[] settings = itf.altsetting();
                    for (InterfaceDescriptor a : settings == null ? new InterfaceDescriptor[0] : settings) {
                        alts.add(new InterfaceAltDescriptor(a.bInterfaceNumber() & 0xFF, a.bAlternateSetting() & 0xFF,
                                a.bInterfaceClass() & 0xFF, a.bInterfaceSubClass() & 0xFF,
                                a.bInterfaceProtocol() & 0xFF, a.iInterface() & 0xFF, a.bNumEndpoints() & 0xFF,
                                bytes(a.extra(), a.extraLength())));
                    }
                }
                return new ConfigurationDescriptor(c.bConfigurationValue() & 0xFF, c.iConfiguration() & 0xFF,
                        c.bmAttributes() & 0xFF, c.bMaxPower() & 0xFF, bytes(c.extra(), c.extraLength()), alts);
            } finally {
                LibUsb.freeConfigDescriptor(c);
            }
        }

        @Override
        public UsbHandle open() throws TransportException {
            DeviceHandle handle = new DeviceHandle();
            LibusbError.check(LibUsb.open(device, handle), "libusb_open");
            return new Usb4javaHandle(handle);
        }
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        if (buffer == null || length <= 0) {
            return new byte[0];
        }
        ByteBuffer b = buffer.duplicate();
        b.rewind();
        byte[] out = new byte[Math.min(length, b.remaining())];
        b.get(out);
        return out;
    }

    /** First capacity of a handle's control-transfer buffer: a 2 KiB DfuSe block fits, larger ones grow it. */
    private static final int DEFAULT_BUFFER = 4096;

    private final class Usb4javaHandle implements UsbHandle {
        private final DeviceHandle handle;
        private final AtomicBoolean handleClosed = new AtomicBoolean();
        /** Backing store of the control transfers' buffers (null until the first). */
        private ByteBuffer direct;

        Usb4javaHandle(DeviceHandle handle) {
            this.handle = handle;
        }

        @Override
        public int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
                                   int timeoutMillis) throws TransportException {
            if (length < 0 || length > 0xFFFF || length > data.length) {
                throw new IllegalArgumentException("length " + length + " for a buffer of " + data.length);
            }
            open();
            return transfer(requestType, request, value, index, data, length, timeoutMillis);
        }

        /**
         * usb4java takes wLength from the buffer's capacity, so the buffer is exactly length bytes: a slice
         * of this handle's direct buffer (grown to the largest wLength seen), not a new direct buffer per
         * request (allocateDirect zeroes native memory and registers a cleaner every time).
         */
        private synchronized int transfer(int requestType, int request, int value, int index, byte[] data, int length,
                                          int timeoutMillis) throws TransportException {
            if (direct == null || direct.capacity() < length) {
                direct = ByteBuffer.allocateDirect(Math.max(DEFAULT_BUFFER, length));
            }
            ByteBuffer buffer = direct.clear().limit(length).slice();
            boolean in = (requestType & 0x80) != 0;
            if (!in) {
                buffer.put(data, 0, length);
                buffer.rewind();
            }
            int rc = LibUsb.controlTransfer(handle, (byte) requestType, (byte) request, (short) value, (short) index,
                    buffer, Integer.toUnsignedLong(timeoutMillis));
            if (rc < 0) { // the operation text is built only for an error (no formatting per request)
                LibusbError.check(rc, String.format("control transfer %02x/%02x wValue 0x%04x wIndex %d",
                        requestType & 0xFF, request & 0xFF, value & 0xFFFF, index & 0xFFFF));
            }
            if (in) {
                buffer.rewind();
                buffer.get(data, 0, Math.min(rc, length));
            }
            return rc;
        }

        @Override
        public void claimInterface(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(LibUsb.claimInterface(handle, interfaceNumber), "claim interface " + interfaceNumber);
        }

        @Override
        public void releaseInterface(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(LibUsb.releaseInterface(handle, interfaceNumber), "release interface " + interfaceNumber);
        }

        @Override
        public void setAltSetting(int interfaceNumber, int alternateSetting) throws TransportException {
            open();
            LibusbError.check(LibUsb.setInterfaceAltSetting(handle, interfaceNumber, alternateSetting),
                    "set interface " + interfaceNumber + " alt setting " + alternateSetting);
        }

        @Override
        public void setAutoDetachKernelDriver(boolean enable) throws TransportException {
            open();
            LibusbError.check(LibUsb.setAutoDetachKernelDriver(handle, enable), "set auto-detach kernel driver");
        }

        @Override
        public boolean kernelDriverActive(int interfaceNumber) throws TransportException {
            open();
            return LibusbError.check(LibUsb.kernelDriverActive(handle, interfaceNumber),
                    "kernel driver active on interface " + interfaceNumber) == 1;
        }

        @Override
        public void detachKernelDriver(int interfaceNumber) throws TransportException {
            open();
            LibusbError.check(LibUsb.detachKernelDriver(handle, interfaceNumber),
                    "detach kernel driver from interface " + interfaceNumber);
        }

        @Override
        public String stringDescriptorAscii(int index) throws TransportException {
            open();
            StringBuffer out = new StringBuffer();
            LibusbError.check(LibUsb.getStringDescriptorAscii(handle, (byte) index, out),
                    "get string descriptor " + index);
            return out.toString();
        }

        @Override
        public void resetDevice() throws TransportException {
            open();
            LibusbError.check(LibUsb.resetDevice(handle), "reset device");
        }

        @Override
        public void close() {
            if (handleClosed.compareAndSet(false, true) && !closed.get()) {
                LibUsb.close(handle);
            }
        }

        private void open() throws TransportException {
            if (handleClosed.get()) {
                throw new TransportException(Kind.NO_DEVICE, "the device handle was closed");
            }
        }
    }
}
