package io.github.dfu4j.libusb;

import io.github.dfu4j.libusb.DeviceFilter.UsbIds;
import io.github.dfu4j.libusb.DoctorReport.OsFamily;
import io.github.dfu4j.libusb.DfuDeviceDescription.OpenProblem;
import io.github.dfu4j.libusb.spi.LibusbError;
import io.github.dfu4j.libusb.spi.LibusbException;
import io.github.dfu4j.libusb.spi.UsbDeviceRef;
import io.github.dfu4j.libusb.spi.UsbHandle;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DevicePort;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import io.github.dfu4j.transport.TransportException.Kind;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DfuTransport} over one claimed DFU interface of a libusb device handle. Created by
 * {@link UsbBackend}; closing it releases the interface and closes the handle (not the backend).
 * Not thread-safe for transfers: one operation drives one transport at a time. {@link #close()}
 * is safe from any thread and idempotent (the backend closes leftover transports on its own close).
 */
final class LibusbDfuTransport implements DfuTransport {
    private static final Logger log = LoggerFactory.getLogger(LibusbDfuTransport.class);

    static final int CLASS_OUT = 0x21;
    static final int CLASS_IN = 0xA1;

    private final UsbBackend backend;
    private final UsbHandle handle;
    private final DfuDeviceDescription description;
    private final byte[] functional;
    private int currentAlt;
    private boolean claimed;
    /** Set by a {@link #reset()} that libusb completed in place (see {@link #stillHereAfterReset()}). */
    private boolean resetInPlace;
    private boolean gone;
    /** Set once; {@link #close()} may race with itself (a backend closing its transports, a watchdog). */
    private final AtomicBoolean closed = new AtomicBoolean();

    private LibusbDfuTransport(UsbBackend backend, UsbHandle handle, DfuDeviceDescription description, int alt) {
        this.backend = backend;
        this.handle = handle;
        this.description = description;
        this.functional = description.functionalDescriptor() == null ? new byte[0]
                : description.functionalDescriptor().toBytes();
        this.currentAlt = alt;
    }

    /**
     * Opens the device, detaches a kernel driver from the DFU interface where the OS has such a
     * thing (auto-detach: libusb re-attaches it on release), claims the interface and selects the
     * alternate setting.
     *
     * @throws UsbException CANNOT_OPEN when the OS refuses (with advice), or another TransportException
     */
    static LibusbDfuTransport open(UsbBackend backend, UsbDeviceRef ref, DfuDeviceDescription d, int alt,
                                   Environment env) throws TransportException {
        UsbHandle h;
        try {
            h = ref.open();
        } catch (TransportException e) {
            throw accessFailure(d, e, env);
        }
        LibusbDfuTransport t = new LibusbDfuTransport(backend, h, d, alt);
        try {
            detachKernelDriver(h, d.interfaceNumber(), env.os());
            try {
                h.claimInterface(d.interfaceNumber());
            } catch (TransportException e) {
                throw accessFailure(d, e, env);
            }
            t.claimed = true;
            try {
                h.setAltSetting(d.interfaceNumber(), alt);
            } catch (TransportException e) {
                // a device with a single alternate setting may stall SET_INTERFACE; nothing to select then
                if (e.kind() != Kind.STALL || d.altSettings().size() > 1) {
                    throw e;
                }
                log.debug("{}: SET_INTERFACE {} stalled on a single-alt interface; ignored", d.device().vidPid(), alt);
            }
        } catch (TransportException | RuntimeException e) {
            t.close();
            throw e;
        }
        log.debug("opened {} at {} interface {} alt {}", d.device().vidPid(), d.device().path(), d.interfaceNumber(), alt);
        return t;
    }

    private static TransportException accessFailure(DfuDeviceDescription d, TransportException e, Environment env) {
        Kind k = e.kind();
        if (k == Kind.ACCESS || k == Kind.NOT_SUPPORTED || k == Kind.BUSY
                || (k == Kind.IO && env.os() == OsFamily.WINDOWS)) {
            OpenProblem problem = env.problem(d, e);
            return UsbException.cannotOpen(d.withOpenProblem(problem), problem, e);
        }
        return e;
    }

    private static void detachKernelDriver(UsbHandle h, int iface, OsFamily os) {
        try {
            h.setAutoDetachKernelDriver(true);
            return;
        } catch (TransportException e) {
            if (os != OsFamily.LINUX) {
                return; // Windows has no kernel-driver notion in libusb; macOS needs root for it
            }
            log.debug("auto-detach unavailable ({}), detaching by hand", e.getMessage());
        }
        try {
            if (h.kernelDriverActive(iface)) {
                h.detachKernelDriver(iface);
            }
        } catch (TransportException e) {
            log.debug("kernel driver detach failed: {}; the claim will tell", e.getMessage());
        }
    }

    DfuDeviceDescription description() {
        return description;
    }

    int currentAlt() {
        return currentAlt;
    }

    @Override
    public DeviceInfo device() {
        return description.device();
    }

    @Override
    public int interfaceNumber() {
        return description.interfaceNumber();
    }

    @Override
    public List<AltSetting> altSettings() {
        return description.altSettings();
    }

    @Override
    public byte[] functionalDescriptor() {
        return functional.clone();
    }

    @Override
    public void selectAltSetting(int altSetting) throws TransportException {
        ensureUsable();
        try {
            handle.setAltSetting(interfaceNumber(), altSetting);
        } catch (TransportException e) {
            throw noteDisconnect(e);
        }
        currentAlt = altSetting;
    }

    @Override
    public byte[] controlIn(int request, int value, int length, Duration timeout) throws TransportException {
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException("length " + length + " not in 0..65535");
        }
        ensureUsable();
        resetInPlace = false; // a request after the reset may itself make the device leave (a DfuSe leave)
        byte[] buffer = new byte[length];
        int n;
        try {
            n = handle.controlTransfer(CLASS_IN, request, value, interfaceNumber(), buffer, length, millis(timeout));
        } catch (TransportException e) {
            throw noteDisconnect(e);
        }
        return n == length ? buffer : Arrays.copyOf(buffer, n);
    }

    @Override
    public void controlOut(int request, int value, byte[] data, Duration timeout) throws TransportException {
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("data stage of " + data.length + " bytes exceeds 65535");
        }
        ensureUsable();
        resetInPlace = false;
        int n;
        try {
            n = handle.controlTransfer(CLASS_OUT, request, value, interfaceNumber(), data, data.length,
                    millis(timeout));
        } catch (TransportException e) {
            throw noteDisconnect(e);
        }
        if (n != data.length) {
            throw new TransportException(Kind.IO, "short control write: " + n + " of " + data.length + " bytes"
                    + " (request " + request + ")");
        }
    }

    @Override
    public String stringDescriptor(int index) throws TransportException {
        ensureUsable();
        return new UsbStrings(handle, DfuDiscovery.STRING_TIMEOUT_MS).read(index);
    }

    /**
     * Releases the interface (libusb cannot reset a device with a claimed interface on macOS), resets
     * the port, then re-claims and re-selects the alternate setting if the device is still the same.
     * When the reset makes the device re-enumerate (libusb reports NOT_FOUND) this returns normally
     * and the transport is gone: its {@link #port()} finds the new enumeration.
     */
    @Override
    public void reset() throws TransportException {
        ensureUsable();
        releaseQuietly();
        try {
            handle.resetDevice();
        } catch (TransportException e) {
            if (reEnumerated(e)) {
                gone = true;
                log.debug("{}: reset made the device re-enumerate", description.device().vidPid());
                return;
            }
            throw e;
        }
        try {
            handle.claimInterface(interfaceNumber());
            claimed = true;
            handle.setAltSetting(interfaceNumber(), currentAlt);
        } catch (TransportException e) {
            if (e.isDisconnect()) {
                gone = true;
                return;
            }
            throw e;
        }
        // libusb_reset_device returned 0: the device was reset and re-configured where it is, with the same
        // descriptors, and this handle still reaches it (libusb's documentation of the call)
        resetInPlace = true;
    }

    /**
     * True when the last {@link #reset()} re-configured the device in place (libusb kept the handle: same
     * address, same descriptors) and the transport is still open: the device in DFU mode at the port is
     * this one, and waiting for a new enumeration would wait for something that already happened.
     */
    boolean stillHereAfterReset() {
        return resetInPlace && !gone && !isClosed();
    }

    /** DETACH's follow-up reset: release and reset, reporting (not hiding) a failure of the reset itself. */
    void resetForDetach() throws TransportException {
        releaseQuietly();
        try {
            handle.resetDevice();
        } catch (TransportException e) {
            if (!reEnumerated(e)) {
                throw e;
            }
        }
        gone = true;
    }

    /**
     * The device's port path, remembering this enumeration's address: waiting there closes this
     * transport first (an open handle can keep the OS from re-enumerating the device), then finds a
     * DFU-mode device as a new enumeration and opens it with the same alternate setting when it has
     * one. A device that is still on the bus under its old address (it never left) is not a
     * re-enumeration.
     */
    @Override
    public DevicePort port() {
        return new LibusbPort(backend, description.device().path(), description.deviceAddress(), currentAlt, this);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!gone) {
            releaseQuietly();
        }
        handle.close();
        backend.forget(this);
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Whether a failed libusb_reset_device means the device re-enumerated: libusb reports that as
     * LIBUSB_ERROR_NOT_FOUND (which elsewhere means a missing interface, so it is not mapped to
     * NO_DEVICE in general), or NO_DEVICE when it is gone altogether.
     */
    static boolean reEnumerated(TransportException e) {
        return e.isDisconnect() || (e instanceof LibusbException l && l.libusbCode() == LibusbError.NOT_FOUND.code());
    }

    private void releaseQuietly() {
        if (claimed) {
            claimed = false;
            try {
                handle.releaseInterface(interfaceNumber());
            } catch (TransportException e) {
                log.debug("release interface: {}", e.getMessage());
            }
        }
    }

    private void ensureUsable() throws TransportException {
        if (closed.get()) {
            throw new IllegalStateException("transport for " + description.device().vidPid() + " is closed");
        }
        if (gone) {
            throw new TransportException(Kind.NO_DEVICE, description.device().vidPid() + " at " + description.device().path()
                    + " re-enumerated; reopen it");
        }
    }

    private TransportException noteDisconnect(TransportException e) {
        if (e.isDisconnect()) {
            gone = true;
        }
        return e;
    }

    /** libusb treats 0 as "wait forever"; a caller's zero or negative timeout means "as short as possible". */
    static int millis(Duration timeout) {
        long ms = timeout.toMillis();
        if (ms < 1) {
            return 1;
        }
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }
}
