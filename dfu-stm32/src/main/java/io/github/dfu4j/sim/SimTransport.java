package io.github.dfu4j.sim;

import io.github.dfu4j.dfu.DfuRequest;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The in-process {@link DfuTransport} of a simulated device: every call becomes one control
 * transfer on the device model, charged with bus time on the device's clock. It belongs to one
 * enumeration of the device: once the device leaves the bus (leave, reset, disconnect) every call
 * fails with {@link TransportException.Kind#NO_DEVICE}, even after the device comes back; its
 * {@link #port()} ({@link SimPort}) finds the new enumeration.
 */
final class SimTransport implements DfuTransport {
    private final SimBootloader device;
    private final int generation;
    private final DeviceInfo info;
    private final List<AltSetting> alts;
    private boolean closed;

    SimTransport(SimBootloader device, int generation) {
        this.device = device;
        this.generation = generation;
        String serial = Descriptors.decode(device.descriptors.string(Descriptors.I_SERIAL));
        var usb = device.usbIdentity();
        this.info = new DeviceInfo(usb.vendorId(), usb.productId(), usb.bcdDevice(), usb.manufacturer(), usb.product(),
                serial, device.options.portPath().isEmpty() ? "sim:" + device.personality.id() : device.options.portPath(), true);
        List<AltSetting> a = new ArrayList<>();
        for (int i = 0; i < device.altStrings.size(); i++) {
            a.add(new AltSetting(i, device.altStrings.get(i)));
        }
        this.alts = List.copyOf(a);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
    }

    @Override
    public DeviceInfo device() {
        return info;
    }

    @Override
    public int interfaceNumber() {
        return 0;
    }

    @Override
    public List<AltSetting> altSettings() {
        return alts;
    }

    @Override
    public byte[] functionalDescriptor() {
        return device.descriptors.functional();
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        checkOpen();
        SimBootloader.Exchange ex = device.exchange(0x01, 11, altSetting, 0, 0, new byte[0], Duration.ofSeconds(5), true,
                generation);
        result(ex, "SET_INTERFACE " + altSetting);
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        checkOpen();
        checkSetup(request, value, length);
        Objects.requireNonNull(timeout, "timeout");
        SimBootloader.Exchange ex = device.exchange(0xA1, request, value, 0, length, new byte[0], timeout, true, generation);
        return result(ex, name(request));
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        checkOpen();
        Objects.requireNonNull(data, "data");
        checkSetup(request, value, data.length);
        Objects.requireNonNull(timeout, "timeout");
        SimBootloader.Exchange ex = device.exchange(0x21, request, value, 0, data.length, data.clone(), timeout, true,
                generation);
        result(ex, name(request));
    }

    private static void checkSetup(int request, int value, int length) {
        if (request < 0 || request > 0xFF || value < 0 || value > 0xFFFF || length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("setup field out of range: request " + request + " value " + value
                    + " length " + length);
        }
    }

    private static String name(int request) {
        return java.util.Optional.ofNullable(DfuRequest.fromCode(request)).map(Enum::name).orElse("request " + request);
    }

    private byte[] result(SimBootloader.Exchange ex, String what) throws TransportException {
        return switch (ex.result()) {
            case DATA -> ex.data();
            case ACK -> new byte[0];
            case STALL -> throw new TransportException(TransportException.Kind.STALL, what + ": pipe stalled by " + info.path());
            case TIMEOUT -> throw new TransportException(TransportException.Kind.TIMEOUT, what + ": timed out on " + info.path());
            case NO_DEVICE -> throw new TransportException(TransportException.Kind.NO_DEVICE, what + ": " + info.path()
                    + " is no longer on the bus");
        };
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        checkOpen();
        if (!device.isCurrent(generation)) {
            throw new TransportException(TransportException.Kind.NO_DEVICE, info.path() + " is no longer on the bus");
        }
        byte[] d = device.stringDescriptor(index);
        if (d == null) {
            throw new TransportException(TransportException.Kind.STALL, "no string descriptor " + index + " on " + info.path());
        }
        return Descriptors.decode(d);
    }

    @Override
    public void reset() throws TransportException {
        checkOpen();
        if (!device.isCurrent(generation)) {
            throw new TransportException(TransportException.Kind.NO_DEVICE, info.path() + " is no longer on the bus");
        }
        device.busReset();
    }

    @Override
    public TimeSource time() {
        return device.clock;
    }

    @Override
    public DevicePort port() {
        return new SimPort(device, generation, info.path());
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SimTransport[" + info.path() + ", enumeration " + generation + "]";
    }
}
