package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.sim.RuntimeDfuDevice;
import io.github.dfu4j.sim.UsbControlEndpoint;
import io.github.dfu4j.sim.UsbControlEndpoint.ControlReply;
import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A USB bus with one simulated device on one port: what libusb would see of a {@link RuntimeDfuDevice}
 * (or any {@link UsbControlEndpoint}). Every enumeration of the device gets a new address, as on a
 * real bus; a handle belongs to the enumeration it was opened on; libusb_reset_device is the device's
 * bus reset and reports NOT_FOUND when the device re-enumerated, as libusb does.
 */
final class SimEndpointBus implements UsbBus {
    private final RuntimeDfuDevice device;
    private final int busNumber;
    private final List<Integer> ports;
    private final Map<Integer, Integer> addresses = new HashMap<>();
    private int nextAddress = 5;
    /** WinUSB: libusb_reset_device is not supported (the device is never reset). */
    boolean resetUnsupported;
    int resets;
    int openHandles;

    SimEndpointBus(RuntimeDfuDevice device, int busNumber, Integer... ports) {
        this.device = device;
        this.busNumber = busNumber;
        this.ports = List.of(ports);
    }

    private int addressOf(int enumeration) {
        return addresses.computeIfAbsent(enumeration, e -> nextAddress++);
    }

    @Override
    public String libusbVersion() {
        return "1.0.99.0-sim";
    }

    @Override
    public String origin() {
        return "simulated device bus";
    }

    @Override
    public DeviceSnapshot snapshot() {
        List<UsbDeviceRef> refs = new ArrayList<>();
        if (device.connected()) {
            refs.add(new Ref(device.enumeration(), device.deviceDescriptor(), device.configurationDescriptor()));
        }
        List<UsbDeviceRef> copy = List.copyOf(refs);
        return new DeviceSnapshot() {
            @Override
            public List<UsbDeviceRef> devices() {
                return copy;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }

    /** The device as enumerated once: descriptors are the ones the OS cached at enumeration. */
    private final class Ref implements UsbDeviceRef {
        private final int enumeration;
        private final byte[] deviceDescriptor;
        private final byte[] configuration;

        Ref(int enumeration, byte[] deviceDescriptor, byte[] configuration) {
            this.enumeration = enumeration;
            this.deviceDescriptor = deviceDescriptor;
            this.configuration = configuration;
        }

        @Override
        public int busNumber() {
            return busNumber;
        }

        @Override
        public int deviceAddress() {
            return addressOf(enumeration);
        }

        @Override
        public List<Integer> portNumbers() {
            return ports;
        }

        @Override
        public DeviceDescriptor deviceDescriptor() throws TransportException {
            try {
                return DeviceDescriptor.parse(deviceDescriptor, "simulated device");
            } catch (DescriptorFormatException e) {
                throw new TransportException(TransportException.Kind.IO, e.getMessage(), e);
            }
        }

        @Override
        public ConfigurationDescriptor configuration(int index) throws TransportException {
            try {
                return ConfigurationDescriptor.parse(configuration, "simulated device");
            } catch (DescriptorFormatException e) {
                throw new TransportException(TransportException.Kind.IO, e.getMessage(), e);
            }
        }

        @Override
        public UsbHandle open() throws TransportException {
            if (!current()) {
                throw LibusbError.exception(LibusbError.NO_DEVICE.code(), "libusb_open");
            }
            openHandles++;
            return new Handle(this);
        }

        boolean current() {
            return device.connected() && device.enumeration() == enumeration;
        }
    }

    private final class Handle implements UsbHandle {
        private final Ref ref;
        private boolean closed;

        Handle(Ref ref) {
            this.ref = ref;
        }

        private void check() throws TransportException {
            if (closed) {
                throw new IllegalStateException("use after close");
            }
            if (!ref.current()) {
                throw LibusbError.exception(LibusbError.NO_DEVICE.code(), "simulated device left the bus");
            }
        }

        @Override
        public int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
                                   int timeoutMillis) throws TransportException {
            check();
            if (requestType == 0x80 && request == 6) {
                byte[] d = (value >> 8) == 3 ? device.stringDescriptor(value & 0xFF) : null;
                if (d == null) {
                    throw LibusbError.exception(LibusbError.PIPE.code(), "GET_DESCRIPTOR");
                }
                int n = Math.min(length, d.length);
                System.arraycopy(d, 0, data, 0, n);
                return n;
            }
            byte[] out = new byte[(requestType & 0x80) != 0 ? 0 : length];
            System.arraycopy(data, 0, out, 0, out.length);
            ControlReply r = device.control(requestType, request, value, index, length, out);
            if (r.stalled()) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "control transfer");
            }
            if ((requestType & 0x80) == 0) {
                return length;
            }
            byte[] in = r.data();
            int n = Math.min(length, in.length);
            System.arraycopy(in, 0, data, 0, n);
            return n;
        }

        @Override
        public void claimInterface(int interfaceNumber) throws TransportException {
            check();
        }

        @Override
        public void releaseInterface(int interfaceNumber) throws TransportException {
            check();
        }

        @Override
        public void setAltSetting(int interfaceNumber, int alternateSetting) throws TransportException {
            check();
            ControlReply r = device.control(0x01, 11, alternateSetting, interfaceNumber, 0, new byte[0]);
            if (r.stalled()) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "SET_INTERFACE");
            }
        }

        @Override
        public void setAutoDetachKernelDriver(boolean enable) throws TransportException {
            check();
        }

        @Override
        public boolean kernelDriverActive(int interfaceNumber) {
            return false;
        }

        @Override
        public void detachKernelDriver(int interfaceNumber) {
        }

        @Override
        public String stringDescriptorAscii(int index) throws TransportException {
            check();
            byte[] d = device.stringDescriptor(index);
            if (d == null) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "string");
            }
            return new String(d, 2, d.length - 2, java.nio.charset.StandardCharsets.UTF_16LE);
        }

        @Override
        public void resetDevice() throws TransportException {
            check();
            if (resetUnsupported) {
                throw LibusbError.exception(LibusbError.NOT_SUPPORTED.code(), "libusb_reset_device");
            }
            resets++;
            device.busReset();
            if (!ref.current()) {
                throw LibusbError.exception(LibusbError.NOT_FOUND.code(), "libusb_reset_device");
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openHandles--;
            }
        }
    }
}
