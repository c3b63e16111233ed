package io.github.dfu4j.sim;

import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The in-process transport of a {@link RuntimeDfuDevice}'s application: its run-time DFU interface
 * (interface 1, one alt setting), for host code that detaches it (DFU 1.1 §5.1). It belongs to one
 * enumeration of the application: once the board leaves the bus (it detached itself, or a USB reset
 * after DETACH) every call fails with NO_DEVICE; {@link #port()} finds the bootloader that comes
 * back at the same port.
 */
final class RuntimeTransport implements DfuTransport {
    private final RuntimeDfuDevice face;
    private final SimBootloader device;
    private final int generation;
    private final DeviceInfo info;
    private boolean closed;

    RuntimeTransport(RuntimeDfuDevice face, SimBootloader device, int generation, String path) {
        this.face = face;
        this.device = device;
        this.generation = generation;
        this.info = face.applicationInfo(path);
    }

    private void checkCurrent(String what) throws TransportException {
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
        synchronized (device) {
            if (!face.runtimeMode() || device.generation != generation) {
                throw new TransportException(TransportException.Kind.NO_DEVICE, what + ": " + info.path()
                        + " is no longer on the bus");
            }
        }
    }

    @Override
    public DeviceInfo device() {
        return info;
    }

    @Override
    public int interfaceNumber() {
        return RuntimeDfuDevice.DFU_INTERFACE;
    }

    @Override
    public List<AltSetting> altSettings() {
        return List.of(new AltSetting(0, "DFU runtime"));
    }

    /** The DFU functional descriptor from the application's configuration descriptor (its last 9 bytes). */
    @Override
    public byte[] functionalDescriptor() {
        byte[] c = face.configurationDescriptor();
        return Arrays.copyOfRange(c, c.length - 9, c.length);
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        checkCurrent("SET_INTERFACE");
        reply(face.control(0x01, 11, altSetting, RuntimeDfuDevice.DFU_INTERFACE, 0, new byte[0]), "SET_INTERFACE");
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        Objects.requireNonNull(timeout, "timeout");
        checkCurrent("request " + request);
        byte[] d = reply(face.control(0xA1, request, value, RuntimeDfuDevice.DFU_INTERFACE, length, new byte[0]),
                "request " + request);
        return d.length > length ? Arrays.copyOf(d, length) : d;
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timeout, "timeout");
        checkCurrent("request " + request);
        reply(face.control(0x21, request, value, RuntimeDfuDevice.DFU_INTERFACE, data.length, data.clone()), "request " + request);
    }

    private byte[] reply(UsbControlEndpoint.ControlReply r, String what) throws TransportException {
        if (r.stalled()) {
            throw new TransportException(TransportException.Kind.STALL, what + ": pipe stalled by " + info.path());
        }
        return r.data();
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        checkCurrent("GET_DESCRIPTOR");
        byte[] d = face.stringDescriptor(index);
        if (d == null) {
            throw new TransportException(TransportException.Kind.STALL, "no string descriptor " + index + " on " + info.path());
        }
        return Descriptors.decode(d);
    }

    /** A USB reset: after DETACH (bitWillDetach 0) it starts the bootloader. */
    @Override
    public void reset() throws TransportException {
        checkCurrent("USB reset");
        face.busReset();
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
        return "RuntimeTransport[" + info.path() + ", enumeration " + generation + "]";
    }
}
