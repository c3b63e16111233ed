package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.UsbIds;
import io.github.dfu4j.libusb.spi.DeviceDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link UsbBackend}'s look at its ports: what is at a port path now, and the polling waits for a
 * device to (re-)enumerate there, by port rather than serial (serials and IDs may change across
 * re-enumeration, ports do not). Separate from the backend's discovery and opening; it opens a
 * device that came back in DFU mode through the backend, which keeps the list of open transports.
 */
final class PortWatch {
    // the backend's logger: these lines have always been UsbBackend's
    private static final Logger log = LoggerFactory.getLogger(UsbBackend.class);

    private final UsbBackend backend;
    private final UsbBus bus;
    private final Environment env;

    PortWatch(UsbBackend backend, UsbBus bus, Environment env) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Waits until a device of one of the {@code wanted} kinds is at port {@code path} (see
     * {@link UsbBackend#awaitDevice}); with {@code oldAddress} &ge; 0 only a new enumeration counts: the
     * port was seen empty, or holds a device with another address.
     */
    PortDevice awaitAt(String path, int oldAddress, Set<PortDevice.Kind> wanted, Duration timeout)
            throws TransportException, DeviceWaitTimeoutException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(timeout, "timeout");
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("no device kind to wait for");
        }
        backend.ensureOpen();
        long start = env.time().nanoTime();
        long deadline = start + Math.max(0, timeout.toNanos());
        boolean seenGone = false;
        PortDevice there = null;
        while (true) {
            try (DeviceSnapshot s = bus.snapshot()) {
                UsbDeviceRef at = deviceAt(s, path);
                if (at == null) {
                    seenGone = true;
                    there = null;
                } else {
                    // one look per enumeration: describing a DFU device opens it
                    if (there == null || there.deviceAddress() != at.deviceAddress()) {
                        there = inspect(at, path).orElse(null);
                    }
                    boolean fresh = oldAddress < 0 || seenGone || at.deviceAddress() != oldAddress;
                    if (fresh && there != null && wanted.contains(there.kind())) {
                        log.debug("{} at {} after {} ms", there.summary(), path,
                                (env.time().nanoTime() - start) / 1_000_000);
                        return there;
                    }
                }
            }
            if (env.time().nanoTime() - deadline >= 0) {
                throw new DeviceWaitTimeoutException(path, wanted, there, timeout);
            }
            try {
                env.time().sleep(env.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(Kind.IO, "interrupted while waiting for a device at " + path, e);
            }
        }
    }

    /** What is at port {@code path} now: empty when nothing is, or while its descriptors cannot be read yet. */
    Optional<PortDevice> lookAt(String path) throws TransportException {
        Objects.requireNonNull(path, "path");
        backend.ensureOpen();
        try (DeviceSnapshot s = bus.snapshot()) {
            UsbDeviceRef at = deviceAt(s, path);
            return at == null ? Optional.empty() : inspect(at, path);
        }
    }

    /** The device enumerated at port path {@code path} in this snapshot, or null when the port is empty. */
    private static UsbDeviceRef deviceAt(DeviceSnapshot snapshot, String path) throws TransportException {
        for (UsbDeviceRef ref : snapshot.devices()) {
            if (path.equals(UsbDeviceRef.path(ref.busNumber(), ref.portNumbers()))) {
                return ref;
            }
        }
        return null;
    }

    /** What the device is, or empty while its descriptors cannot be read yet (still enumerating). */
    private Optional<PortDevice> inspect(UsbDeviceRef ref, String path) {
        DeviceDescriptor dd;
        try {
            dd = ref.deviceDescriptor();
            for (int c = 0; c < dd.numConfigurations(); c++) {
                // an unreadable configuration would hide a DFU interface and make a bootloader look like an application
                ref.configuration(c);
            }
        } catch (TransportException e) {
            log.debug("device at {} not readable yet: {}", path, e.getMessage());
            return Optional.empty();
        }
        List<DfuDeviceDescription> dfu = DfuDiscovery.describe(ref, env);
        return Optional.of(new PortDevice(dd.vendorId(), dd.productId(), dd.bcdDevice(), ref.busNumber(),
                ref.deviceAddress(), path, PortDevice.kindOf(dfu), dfu));
    }

    /**
     * Polls the bus until a DFU-mode device with the given IDs/serial appears at {@code path} as a
     * new enumeration (another address, or after the port was seen empty), then opens it.
     */
    Optional<LibusbDfuTransport> awaitDfuDevice(String path, int oldAddress, UsbIds ids, String serial,
                                                AltSelector alt, int preferredAlt, Duration timeout)
            throws TransportException {
        backend.ensureOpen();
        long deadline = env.time().nanoTime() + Math.max(0, timeout.toNanos());
        boolean seenGone = false;
        UsbException lastAccessFailure = null;
        while (true) {
            try (DeviceSnapshot s = bus.snapshot()) {
                UsbDeviceRef at = deviceAt(s, path);
                if (at == null) {
                    seenGone = true;
                } else if (seenGone || at.deviceAddress() != oldAddress) {
                    for (DfuDeviceDescription d : DfuDiscovery.describe(at, env)) {
                        if (!d.device().dfuMode() || !ids.matches(d.device().vendorId(), d.device().productId())) {
                            continue;
                        }
                        if (!d.accessible()) {
                            // udev may apply permissions a moment after the device appears: retry
                            lastAccessFailure = UsbException.cannotOpen(d, d.openProblem(), null);
                            continue;
                        }
                        if (serial != null && !serial.equals(d.device().serial())) {
                            continue;
                        }
                        int altSetting = chooseAlt(d, alt, preferredAlt);
                        try {
                            return Optional.of(backend.register(LibusbDfuTransport.open(backend, at, d, altSetting, env)));
                        } catch (UsbException e) { // CANNOT_OPEN: the only UsbException of LibusbDfuTransport.open
                            lastAccessFailure = e;
                        } catch (TransportException e) {
                            log.debug("re-enumerated {} not ready: {}", d.device().vidPid(), e.getMessage());
                        }
                    }
                }
            }
            if (env.time().nanoTime() - deadline >= 0) {
                break;
            }
            try {
                env.time().sleep(env.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(Kind.IO, "interrupted while waiting for " + path + " to re-enumerate", e);
            }
        }
        if (lastAccessFailure != null) {
            throw lastAccessFailure;
        }
        return Optional.empty();
    }

    private static int chooseAlt(DfuDeviceDescription d, AltSelector alt, int preferredAlt) {
        if (alt != null) {
            OptionalInt a = alt.resolve(d);
            if (a.isPresent()) {
                return a.getAsInt();
            }
        }
        if (preferredAlt >= 0 && d.altSettings().stream().anyMatch(a -> a.altSetting() == preferredAlt)) {
            return preferredAlt;
        }
        return DeviceFilter.ANY.altFor(d).orElse(0);
    }
}
