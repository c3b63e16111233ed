package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.UsbBackends.BackendStatus;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuQuirks;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.libusb.spi.DeviceSnapshot;
import io.github.dfu4j.libusb.spi.UsbBus;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libusb context and everything dfu4j does with it: discovery, selection, opening DFU
 * transports, run-time to DFU-mode switching. Obtain it from {@link UsbBackends}.
 *
 * <pre>{@code
 * try (UsbBackend usb = UsbBackends.open()) {
 *     for (DfuDeviceDescription d : usb.listDfuDevices()) System.out.println(d.summary());
 *     try (DfuTransport t = usb.openInDfuMode(DeviceFilter.builder().alt("0").build(), Duration.ofSeconds(10))) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe: several threads may open and drive their own transports (see {@link #openAll}).
 * Closing the backend closes every transport it opened, then exits the libusb context.
 */
// Longer than the ~400-line guideline because of its javadoc (about 250 lines of code): it is the public entry
// point of discovery, selection, opening and DETACH, and owns the libusb context and every transport it opened.
// The port waits are in PortWatch.
public final class UsbBackend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsbBackend.class);

    private final BackendChoice kind;
    private final UsbBus bus;
    private final BackendStatus status;
    private final Environment env;
    private final Set<LibusbDfuTransport> transports = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PortWatch ports;

    UsbBackend(BackendChoice kind, UsbBus bus, BackendStatus status, Environment env) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.status = Objects.requireNonNull(status, "status");
        this.env = Objects.requireNonNull(env, "env");
        this.ports = new PortWatch(this, bus, env);
    }

    /**
     * JNA or USB4JAVA.
     *
     * @return {@link BackendChoice#JNA} or {@link BackendChoice#USB4JAVA}, never AUTO
     */
    public BackendChoice kind() {
        return kind;
    }

    /**
     * How it was loaded, with the libusb version.
     *
     * @return the status this backend was opened with (available, libusb version, where it came from)
     */
    public BackendStatus status() {
        return status;
    }

    /**
     * The version of the libusb this backend actually loaded, as libusb itself reports it at run time
     * (e.g. {@code "1.0.26.11724"}; usb4java's bundled libusb when that backend is active), not a version
     * expected at build time.
     *
     * @return the dotted version, or {@code "unknown"} when the library does not say
     */
    public String libusbVersion() {
        return bus.libusbVersion();
    }

    /**
     * Number of USB devices on all buses right now (hubs included).
     *
     * @return the device count, 0 or more
     * @throws TransportException when libusb cannot list the devices
     * @throws IllegalStateException when the backend is closed
     */
    public int countUsbDevices() throws TransportException {
        ensureOpen();
        try (DeviceSnapshot s = bus.snapshot()) {
            return s.devices().size();
        }
    }

    /**
     * Every DFU interface on the bus, in run-time or DFU mode, each device opened briefly to read its
     * strings. Devices that cannot be opened are included with {@link DfuDeviceDescription#openProblem()}.
     *
     * @return an unmodifiable list, one entry per DFU interface, in the order libusb lists the devices
     * @throws TransportException when libusb cannot list the devices
     * @throws IllegalStateException when the backend is closed
     */
    public List<DfuDeviceDescription> listDfuDevices() throws TransportException {
        ensureOpen();
        List<DfuDeviceDescription> out = new ArrayList<>();
        try (DeviceSnapshot s = bus.snapshot()) {
            for (UsbDeviceRef ref : s.devices()) {
                out.addAll(DfuDiscovery.describe(ref, env));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The DFU interfaces the filter matches, plus inaccessible ones that might match (strings unknown).
     *
     * @param filter the criteria; {@link DeviceFilter#ANY} lists every DFU interface
     * @return an unmodifiable list, possibly empty
     * @throws TransportException when libusb cannot list the devices
     */
    public List<DfuDeviceDescription> list(DeviceFilter filter) throws TransportException {
        List<DfuDeviceDescription> out = new ArrayList<>();
        for (DfuDeviceDescription d : listDfuDevices()) {
            if (filter.matches(d) || (!d.accessible() && filter.matchesIgnoringStrings(d))) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Exactly the one device the filter picks (run-time devices only when the filter names one).
     *
     * @param filter the criteria
     * @throws UsbException none, several ("more than one device matches", with the list
     *                                  and how to pick), or only unnamed run-time devices
     * @throws UsbException             the device that would match cannot be opened (with advice)
     * @return the device, not opened
     * @throws TransportException when libusb cannot list the devices
     */
    public DfuDeviceDescription select(DeviceFilter filter) throws TransportException {
        return Selection.choose(listDfuDevices(), filter, env.os());
    }

    /**
     * Selects one device and opens it as it is (run-time or DFU mode), claiming its DFU interface.
     *
     * @param filter the criteria, with the alt setting to select (default: alt 0 or the first)
     * @return the opened transport, owned by the caller (and closed with this backend at the latest)
     * @throws UsbException when no single device matches, the alt setting does not exist, or the OS
     *        refuses access (each with advice)
     * @throws TransportException when the device vanishes or a USB request fails
     */
    public DfuTransport open(DeviceFilter filter) throws TransportException {
        DfuDeviceDescription d = select(filter);
        return open(d, altFor(filter, d));
    }

    /**
     * Opens a discovered device: finds it again by port path, opens it, detaches a kernel driver from
     * the DFU interface where needed, claims the interface and selects {@code altSetting}.
     *
     * @param device     a device this backend discovered
     * @param altSetting the alternate setting to select, 0..255
     * @throws UsbException CANNOT_OPEN when the OS refuses, with the reason and fix
     * @throws TransportException    NO_DEVICE when it is no longer there
     * @return the opened transport, owned by the caller (and closed with this backend at the latest)
     */
    public DfuTransport open(DfuDeviceDescription device, int altSetting) throws TransportException {
        ensureOpen();
        try (DeviceSnapshot s = bus.snapshot()) {
            for (UsbDeviceRef ref : s.devices()) {
                if (device.device().path().equals(UsbDeviceRef.path(ref.busNumber(), ref.portNumbers()))
                        && ref.deviceAddress() == device.deviceAddress()) {
                    return register(LibusbDfuTransport.open(this, ref, device, altSetting, env));
                }
            }
        }
        throw new TransportException(Kind.NO_DEVICE, "DFU device " + device.device().vidPid() + " is no longer at path "
                + device.device().path() + " (address " + device.deviceAddress() + ")");
    }

    /**
     * Selects one device and returns it in DFU mode: opened directly when it is in DFU mode, else
     * detached first (see {@link #detachToDfuMode}).
     *
     * @param filter               the criteria, with DFU-mode IDs and alt setting where they differ
     * @param reenumerationTimeout how long a detached device may take to come back in DFU mode
     * @return the opened DFU-mode transport, owned by the caller
     * @throws UsbException when no single device matches, access is refused, or a detached device does
     *        not come back (each with advice)
     * @throws TransportException when a USB request fails
     */
    public DfuTransport openInDfuMode(DeviceFilter filter, Duration reenumerationTimeout)
            throws TransportException {
        DfuDeviceDescription d = select(filter);
        if (d.device().dfuMode()) {
            return open(d, altFor(filter, d));
        }
        DfuTransport runtime = open(d, 0);
        return detachToDfuMode(runtime, filter, reenumerationTimeout);
    }

    /**
     * Switches a run-time device to DFU mode: DETACH, then a USB reset unless the functional
     * descriptor says the device detaches by itself (bitWillDetach), then waits for it to
     * re-enumerate in DFU mode on the same port (serials change or repeat, ports do not) and opens
     * it. Closes {@code runtime} in every case. A transport already in DFU mode is returned as is.
     *
     * @param runtime an open transport of this backend, to the run-time interface
     * @param filter  DFU-mode IDs and serial the re-enumerated device must have (see
     *                {@link DeviceFilter#dfuIdsAfterDetach()}) and the alt setting to select
     * @param timeout how long to wait for re-enumeration
     * @throws UsbException LOST_AFTER_DETACH with advice when it does not come back
     * @return the opened DFU-mode transport, owned by the caller
     * @throws IllegalArgumentException when {@code runtime} is not an open transport of this backend
     */
    public DfuTransport detachToDfuMode(DfuTransport runtime, DeviceFilter filter, Duration timeout)
            throws TransportException {
        if (!(runtime instanceof LibusbDfuTransport t) || t.isClosed()) {
            throw new IllegalArgumentException("not an open transport of this backend: " + runtime);
        }
        DfuDeviceDescription d = t.description();
        if (d.device().dfuMode()) {
            return runtime;
        }
        FunctionalDescriptor fd = d.functionalDescriptor();
        Kind resetFailure = null;
        try {
            try {
                // the protocol's DETACH (dfu-api), not a second copy of the request here
                new DfuDriver(t, DfuQuirks.defaults()).detach(fd);
            } catch (DfuException e) {
                // devices that detach at once may drop off before the status stage
                log.info("{}: DETACH: {} (continuing)", d.device().vidPid(), e.getMessage());
            }
            if (fd == null || !fd.willDetach()) {
                try {
                    t.resetForDetach();
                } catch (TransportException e) {
                    resetFailure = e.kind();
                    log.info("{}: USB reset after DETACH failed: {}", d.device().vidPid(), e.getMessage());
                }
            }
        } finally {
            t.close(); // keeping the handle open can stop the OS from re-enumerating the device
        }
        Optional<LibusbDfuTransport> reopened = ports.awaitDfuDevice(d.device().path(), d.deviceAddress(),
                filter.dfuIdsAfterDetach(), filter.dfuSerial(), filter.alt(), 0, timeout);
        if (reopened.isPresent()) {
            LibusbDfuTransport dfu = reopened.get();
            if (filter.alt() != null && filter.alt().resolve(dfu.description()).isEmpty()) {
                // --alt is checked only now: the run-time interface did not show the DFU-mode memories
                dfu.close();
                throw Selection.noSuchAlt(filter, dfu.description());
            }
            return dfu;
        }
        Advice advice = UsbAdvice.forDetachFailure(env.os(), resetFailure, Math.max(1, timeout.toSeconds()));
        throw UsbException.selection(UsbException.Problem.LOST_AFTER_DETACH, "Lost " + d.device().vidPid() + " at path " + d.device().path()
                + " after DETACH: no DFU-mode device" + (filter.dfuIds() == null ? "" : " " + filter.dfuIds())
                + " appeared there within " + timeout.toMillis() + " ms. " + advice.summary(), List.of(d), advice);
    }

    /**
     * Opens every device the filter matches (same rules as {@link #select}, without the
     * "exactly one" requirement): one transport per device, for flashing several boards in
     * parallel. Run-time devices the filter names are detached first, one after the other. A device
     * that fails (for whatever reason, also an unexpected runtime exception of a backend) does not
     * stop the others; its {@link OpenedDevice#failure()} says why.
     *
     * @param filter               the criteria every device to open must meet
     * @param reenumerationTimeout how long each detached device may take to come back in DFU mode
     * @throws UsbException when nothing matches at all
     * @return one entry per matching device, each with its transport or its failure
     * @throws TransportException when libusb cannot list the devices
     */
    public List<OpenedDevice> openAll(DeviceFilter filter, Duration reenumerationTimeout)
            throws TransportException {
        List<DfuDeviceDescription> all = listDfuDevices();
        Selection.Result r = Selection.partition(all, filter);
        List<DfuDeviceDescription> targets = new ArrayList<>(r.candidates());
        targets.addAll(r.unverifiable());
        if (targets.isEmpty()) {
            Selection.choose(all, filter, env.os()); // throws the matching explanation
            throw new IllegalStateException("selection found a device openAll did not");
        }
        List<OpenedDevice> out = new ArrayList<>();
        for (DfuDeviceDescription d : targets) {
            try {
                if (!d.accessible()) {
                    throw UsbException.cannotOpen(d, d.openProblem(), null);
                }
                DfuTransport t = d.device().dfuMode() ? open(d, altFor(filter, d))
                        : detachToDfuMode(open(d, 0), filter, reenumerationTimeout);
                out.add(new OpenedDevice(d, t, null));
            } catch (IOException e) {
                out.add(new OpenedDevice(d, null, e));
            } catch (RuntimeException e) {
                // a defect for one device must not cost the others their flash; it is reported, not hidden
                log.debug("opening {} failed unexpectedly", d.summary(), e);
                out.add(new OpenedDevice(d, null, new TransportException(Kind.IO, "opening " + d.device().vidPid() + " at "
                        + d.device().path() + " failed unexpectedly: " + e, e)));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Tells whether a flash would get as far as the DFU interface. A DFU-mode device is opened, its
     * DFU interface claimed and released once. A run-time device (an application: an audio
     * interface, a keyboard...) is only inspected: discovery already opened it and read its
     * descriptors, and claiming its interface or sending SET_INTERFACE could disturb the running
     * application, so it is never touched further.
     *
     * @param d a device this backend discovered
     * @return why it cannot be used, or null when it can
     */
    public OpenProblem checkAccess(DfuDeviceDescription d) {
        if (!d.accessible()) {
            return d.openProblem();
        }
        if (!d.device().dfuMode()) {
            return null;
        }
        try (DfuTransport t = open(d, DeviceFilter.ANY.altFor(d).orElse(0))) {
            log.debug("access check of {} passed ({} alt settings)", d.device().vidPid(), t.altSettings().size());
            return null;
        } catch (UsbException e) { // CANNOT_OPEN: the only UsbException of LibusbDfuTransport.open
            return e.openProblem().orElseThrow();
        } catch (TransportException e) {
            return env.problem(d, e);
        }
    }

    /**
     * Waits until a device of one of the {@code wanted} kinds is at port {@code path} and says what it
     * is (the public way is an opened transport's {@link io.github.dfu4j.transport.DevicePort}, {@link LibusbPort}), e.g. {@link PortDevice#APPLICATION} after leaving DFU mode: the application enumerates with
     * a run-time DFU interface, or with none. A device already there counts; when the device there
     * now must leave first (it is the one that is about to reset), use {@link #awaitReenumeration}.
     * Ports identify a device across re-enumeration; serials and IDs may change, so they are not
     * compared.
     *
     * @throws DeviceWaitTimeoutException when none appeared in time, with what is there instead
     */
    PortDevice awaitDevice(String path, Set<PortDevice.Kind> wanted, Duration timeout)
            throws TransportException, DeviceWaitTimeoutException {
        return ports.awaitAt(path, -1, wanted, timeout);
    }

    /**
     * Like {@link #awaitDevice} at {@code before}'s port, but only a new enumeration counts: the port
     * was seen empty, or holds a device with another address. For the bootloader coming back after an
     * option-byte reset, where the old DFU-mode enumeration would otherwise match at once.
     */
    PortDevice awaitReenumeration(DfuDeviceDescription before, Set<PortDevice.Kind> wanted, Duration timeout)
            throws TransportException, DeviceWaitTimeoutException {
        return ports.awaitAt(before.device().path(), before.deviceAddress(), wanted, timeout);
    }

    Environment environment() {
        return env;
    }

    /** The port look-ups and waits of this backend ({@link LibusbPort} and DETACH use them). */
    PortWatch ports() {
        return ports;
    }

    private static int altFor(DeviceFilter filter, DfuDeviceDescription d) throws UsbException {
        OptionalInt alt = filter.altFor(d);
        if (alt.isEmpty()) {
            throw Selection.noSuchAlt(filter, d);
        }
        return alt.getAsInt();
    }

    LibusbDfuTransport register(LibusbDfuTransport t) {
        if (closed.get()) {
            t.close();
            throw new IllegalStateException("the USB backend was closed");
        }
        transports.add(t);
        return t;
    }

    void forget(LibusbDfuTransport t) {
        transports.remove(t);
    }

    /** Closes every transport opened through this backend, then the libusb context. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (LibusbDfuTransport t : List.copyOf(transports)) {
                t.close();
            }
            bus.close();
        }
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the USB backend was closed");
        }
    }

    /**
     * One device of {@link UsbBackend#openAll}: either its transport or why it could not be opened.
     *
     * @param device    the device as discovered
     * @param transport the opened transport in DFU mode, or null on failure
     * @param failure   why it could not be opened, or null on success
     */
    public record OpenedDevice(DfuDeviceDescription device, DfuTransport transport, IOException failure) {
        /**
         * Checks that exactly one of a transport and a failure is given.
         *
         * @param device    the device as discovered
         * @param transport the opened transport in DFU mode, or null on failure
         * @param failure   why it could not be opened, or null on success
         * @throws NullPointerException when {@code device} is {@code null}
         * @throws IllegalArgumentException when both or neither of {@code transport} and {@code failure} are given
         */
        public OpenedDevice {
            Objects.requireNonNull(device, "device");
            if ((transport == null) == (failure == null)) {
                throw new IllegalArgumentException("exactly one of transport and failure");
            }
        }

        /**
         * Whether the device was opened: {@link #transport()} is set and {@link #failure()} is {@code null}.
         *
         * @return {@code true} on success, {@code false} when {@link #failure()} says why not
         */
        public boolean isOpen() {
            return transport != null;
        }
    }
}
