package io.github.dfu4j.libusb;

import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TimeSource;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link DevicePort} of a libusb device: its port path (bus and port numbers, "1-2.3"), which
 * stays the same across re-enumeration while the address, and maybe IDs and serial, change. Taken
 * from a {@link LibusbDfuTransport}, it remembers that transport's device address so that only a new
 * enumeration counts as the device coming back ({@link PortWatch#awaitDfuDevice}), and closes that
 * transport before it waits: an open handle can keep the OS from re-enumerating the device. Looks at
 * the bus through the backend the transport came from, so the backend must still be open.
 */
final class LibusbPort implements DevicePort {
    private final UsbBackend backend;
    private final String path;
    private final int oldAddress;
    private final int preferredAlt;
    private final LibusbDfuTransport from;

    LibusbPort(UsbBackend backend, String path, int oldAddress, int preferredAlt, LibusbDfuTransport from) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.path = Objects.requireNonNull(path, "path");
        this.oldAddress = oldAddress;
        this.preferredAlt = preferredAlt;
        this.from = from;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public TimeSource time() {
        return backend.environment().time();
    }

    @Override
    public PortState state() throws TransportException {
        return backend.ports().lookAt(path).map(LibusbPort::toState).orElseGet(() -> PortState.empty(path));
    }

    @Override
    public Optional<DfuTransport> awaitDfu(Duration timeout) throws TransportException {
        Objects.requireNonNull(timeout, "timeout");
        if (from != null && from.stillHereAfterReset()) {
            // our own USB reset already re-enumerated the device in place (a plain DFU device that is not
            // manifestation-tolerant, reset after manifestation): it never leaves, so do not wait for that
            return Optional.of(from);
        }
        releaseFrom();
        return backend.ports().awaitDfuDevice(path, oldAddress, DeviceFilter.UsbIds.ANY, null, null, preferredAlt, timeout).map(t -> t);
    }

    @Override
    public Optional<PortState> awaitApplication(Duration timeout) throws TransportException {
        Objects.requireNonNull(timeout, "timeout");
        releaseFrom();
        try {
            return Optional.of(toState(backend.awaitDevice(path, PortDevice.APPLICATION, timeout)));
        } catch (DeviceWaitTimeoutException e) {
            return Optional.empty();
        }
    }

    private void releaseFrom() {
        if (from != null) {
            from.close();
        }
    }

    /** What a port's device is, as a {@link PortState}: strings from its DFU interface where it has one. */
    static PortState toState(PortDevice d) {
        PortState.Mode mode = switch (d.kind()) {
            case DFU_MODE -> PortState.Mode.DFU;
            case RUNTIME_DFU -> PortState.Mode.RUNTIME;
            case NO_DFU_INTERFACE -> PortState.Mode.OTHER;
        };
        DeviceInfo info = d.dfuInterfaces().isEmpty()
                ? new DeviceInfo(d.vendorId(), d.productId(), d.bcdDevice(), "", "", "", d.path(), false)
                : d.dfuInterfaces().get(0).device();
        return new PortState(mode, Optional.of(info), d.summary(), "");
    }

    @Override
    public String toString() {
        return "LibusbPort[" + path + ", from address " + oldAddress + "]";
    }
}
