package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.DescriptorFormatException;
import io.github.dfu4j.libusb.spi.ConfigurationDescriptor;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scriptable USB bus for tests: devices are built from raw descriptor bytes (as a real device
 * sends them), answer standard string and descriptor requests from tables, and can be told to fail
 * open/claim with a libusb error, or to re-enumerate (leave the bus and come back, possibly as
 * another device) on DETACH or reset. Strict about handle hygiene: counts opens and closes.
 */
final class FakeUsbBus implements UsbBus {
    final List<FakeUsbDevice> devices = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    int closeCalls;
    int snapshots;
    int openSnapshots;
    private int nextAddress = 10;

    FakeUsbDevice plug(FakeUsbDevice device) {
        if (device.address == 0) {
            device.address = nextAddress++;
        }
        device.bus = this;
        devices.add(device);
        return device;
    }

    void unplug(FakeUsbDevice device) {
        devices.remove(device);
        device.unplugged = true;
    }

    /** Removes {@code old} and plugs {@code replacement} on the same port with a new address. */
    void reenumerate(FakeUsbDevice old, FakeUsbDevice replacement) {
        unplug(old);
        replacement.busNumber = old.busNumber;
        replacement.ports = old.ports;
        replacement.address = 0;
        plug(replacement);
    }

    int openHandles() {
        int n = 0;
        for (FakeUsbDevice d : devices) {
            n += d.openHandles;
        }
        return n;
    }

    @Override
    public String libusbVersion() {
        return "1.0.99.0-fake";
    }

    @Override
    public String origin() {
        return "fake bus";
    }

    @Override
    public DeviceSnapshot snapshot() {
        if (closeCalls > 0) {
            throw new IllegalStateException("snapshot after close");
        }
        snapshots++;
        openSnapshots++;
        List<UsbDeviceRef> refs = new ArrayList<>();
        for (FakeUsbDevice d : devices) {
            refs.add(new Ref(d));
        }
        List<UsbDeviceRef> copy = List.copyOf(refs);
        return new DeviceSnapshot() {
            boolean closed;

            @Override
            public List<UsbDeviceRef> devices() {
                return copy;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    openSnapshots--;
                }
            }
        };
    }

    @Override
    public void close() {
        closeCalls++;
    }

    private final class Ref implements UsbDeviceRef {
        private final FakeUsbDevice d;

        Ref(FakeUsbDevice d) {
            this.d = d;
        }

        @Override
        public int busNumber() {
            return d.busNumber;
        }

        @Override
        public int deviceAddress() {
            return d.address;
        }

        @Override
        public List<Integer> portNumbers() {
            return d.ports;
        }

        @Override
        public DeviceDescriptor deviceDescriptor() throws TransportException {
            try {
                return DeviceDescriptor.parse(d.deviceDescriptor, "fake " + d.name);
            } catch (DescriptorFormatException e) {
                throw new TransportException(TransportException.Kind.IO, e.getMessage(), e);
            }
        }

        @Override
        public ConfigurationDescriptor configuration(int index) throws TransportException {
            try {
                return ConfigurationDescriptor.parse(d.configurations.get(index), "fake " + d.name);
            } catch (DescriptorFormatException e) {
                throw new TransportException(TransportException.Kind.IO, e.getMessage(), e);
            }
        }

        @Override
        public UsbHandle open() throws TransportException {
            if (d.unplugged) {
                throw LibusbError.exception(LibusbError.NO_DEVICE.code(), "libusb_open");
            }
            if (d.openFailure != null) {
                throw LibusbError.exception(d.openFailure.code(), "libusb_open");
            }
            d.openHandles++;
            d.opens++;
            log.add(d.name + " open");
            return new FakeUsbHandle(FakeUsbBus.this, d);
        }
    }
}
