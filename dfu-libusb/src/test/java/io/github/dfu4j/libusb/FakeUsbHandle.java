package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.TransportException;
import java.util.HexFormat;

/** A handle on a {@link FakeUsbDevice}: answers standard requests, records class requests. */
final class FakeUsbHandle implements UsbHandle {
    private final FakeUsbBus bus;
    private final FakeUsbDevice d;
    private boolean closed;

    FakeUsbHandle(FakeUsbBus bus, FakeUsbDevice d) {
        this.bus = bus;
        this.d = d;
    }

    private void check() throws TransportException {
        if (closed) {
            throw new IllegalStateException("use after close");
        }
        if (d.unplugged) {
            throw LibusbError.exception(LibusbError.NO_DEVICE.code(), "fake");
        }
    }

    @Override
    public int controlTransfer(int requestType, int request, int value, int index, byte[] data, int length,
                               int timeoutMillis) throws TransportException {
        check();
        if (timeoutMillis <= 0) {
            throw new AssertionError("timeout " + timeoutMillis + " would wait forever in libusb");
        }
        if (requestType == 0x80 && request == 6 && (value >> 8) == 3) {
            if (d.rawStringsFail) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "fake string");
            }
            byte[] s = d.stringDescriptor(value & 0xFF);
            if (s == null) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "fake string");
            }
            int n = Math.min(length, d.truncateStringsTo >= 0 ? Math.min(d.truncateStringsTo, s.length) : s.length);
            System.arraycopy(s, 0, data, 0, n);
            return n;
        }
        if ((requestType == 0x80 || requestType == 0x81) && request == 6 && (value >> 8) == 0x21) {
            if (d.functionalViaGetDescriptor == null) {
                throw LibusbError.exception(LibusbError.PIPE.code(), "fake GET_DESCRIPTOR(0x21)");
            }
            int n = Math.min(length, d.functionalViaGetDescriptor.length);
            System.arraycopy(d.functionalViaGetDescriptor, 0, data, 0, n);
            return n;
        }
        String line = String.format("%02x %d %d %d %s", requestType, request, value, index,
                HexFormat.of().formatHex(data, 0, (requestType & 0x80) != 0 ? 0 : length));
        d.requests.add(line.strip());
        if (requestType == 0x21 && request == 0 && d.onDetach != null) {
            d.onDetach.accept(d);
        }
        if ((requestType & 0x80) != 0) {
            for (int i = 0; i < length; i++) {
                data[i] = (byte) (i + 1);
            }
        }
        return length;
    }

    @Override
    public void claimInterface(int interfaceNumber) throws TransportException {
        check();
        if (d.claimCrash != null) {
            throw d.claimCrash;
        }
        if (d.claimFailure != null) {
            throw LibusbError.exception(d.claimFailure.code(), "claim interface " + interfaceNumber);
        }
        d.claimed.add(interfaceNumber);
        bus.log.add(d.name + " claim " + interfaceNumber);
    }

    @Override
    public void releaseInterface(int interfaceNumber) throws TransportException {
        check();
        d.claimed.remove(Integer.valueOf(interfaceNumber));
        bus.log.add(d.name + " release " + interfaceNumber);
    }

    @Override
    public void setAltSetting(int interfaceNumber, int alternateSetting) throws TransportException {
        check();
        d.currentAlt = alternateSetting;
        bus.log.add(d.name + " alt " + interfaceNumber + " " + alternateSetting);
    }

    @Override
    public void setAutoDetachKernelDriver(boolean enable) throws TransportException {
        check();
        d.autoDetachCalls++;
    }

    @Override
    public boolean kernelDriverActive(int interfaceNumber) throws TransportException {
        check();
        return false;
    }

    @Override
    public void detachKernelDriver(int interfaceNumber) throws TransportException {
        check();
    }

    @Override
    public String stringDescriptorAscii(int index) throws TransportException {
        check();
        String s = d.strings.get(index);
        if (s == null) {
            throw LibusbError.exception(LibusbError.PIPE.code(), "fake ascii string");
        }
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void resetDevice() throws TransportException {
        check();
        if (!d.claimed.isEmpty()) {
            throw new AssertionError("reset with a claimed interface fails on macOS: release first");
        }
        d.resets++;
        bus.log.add(d.name + " reset");
        if (d.onReset != null) {
            d.onReset.accept(d);
        }
        if (d.resetFailure != null) {
            throw LibusbError.exception(d.resetFailure.code(), "reset device");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            d.openHandles--;
            bus.log.add(d.name + " close");
        }
    }
}
