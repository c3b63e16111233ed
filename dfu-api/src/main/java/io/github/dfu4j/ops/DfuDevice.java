package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuCancelledException.DeviceChanges;
import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.internal.DeviceDrivers;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.internal.WriteRun;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.PortState;
import io.github.dfu4j.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/*
 * Why this class is over 400 lines: it is the whole public facade (open with layout correction, identity,
 * download, upload, erase, mass erase, read unprotect, GET_COMMANDS, leave with its re-enumeration check,
 * close), each with its javadoc and argument checks, plus the cancel wind-down they share. The work behind
 * them lives in package-private classes: DfuSession (transport, gate, selected alt, needs-abort, gone, the
 * DfuSe read sequence, the erase loop), FlashJob (one download), ReadBack (verification), LeaveTargets,
 * ResettingWrite, Resume (resume after a transient fault), WriteGate/GatedTransport and PlainDfu.
 */
/**
 * A DFU-mode device ready for work: the operations a command-line tool or an application calls.
 *
 * <pre>{@code
 * try (DfuDevice dev = DfuDevice.open(transport)) {
 *     FlashResult r = dev.download(image, FlashOptions.builder().leave(LeaveRequest.auto()).build(), ProgressListener.NONE);
 * }
 * }</pre>
 *
 * {@link #open} reads the functional descriptor and the alternate settings' memory layouts and brings
 * the device to dfuIDLE. {@link #download} plans the whole flash before touching the device, then
 * erases, writes, verifies by read-back (on by default) and optionally leaves DFU mode. Plain DFU 1.1
 * devices (bcdDFU other than 0x011A) get the DFU 1.1 download/upload instead.
 *
 * <p>When the device leaves the bus and comes back in DFU mode (a leave reported as
 * {@link LeaveResult.Outcome#CAME_BACK_IN_DFU}, an option-byte write that reset the chip), this object
 * goes on with the new enumeration, found at the transport's {@link io.github.dfu4j.transport.DevicePort};
 * its memory layouts are the ones read at {@link #open}, so after a reset that changes them (a
 * bank-mode option byte) open a new device through the port.
 *
 * <p>The device owns the transport: {@link #close()} closes it. Not thread-safe; cancel from another
 * thread with {@link FlashOptions#cancellation()} or by interrupting the calling thread.
 */
public final class DfuDevice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DfuDevice.class);
    /**
     * After a cancel, how long a device still executing a request (an erase, a block write) gets to
     * finish before the wind-down stops waiting for dfuIDLE (device time).
     */
    public static final Duration CANCEL_WIND_DOWN = Duration.ofSeconds(2);

    static {
        DeviceDrivers.install(DfuDevice::driver);
    }

    private final DeviceProfile profile;
    private final FunctionalDescriptor descriptor;
    private final List<AltSetting> alts;
    private final Map<Integer, MemoryLayout> layouts;
    private final Map<Integer, LayoutFormatException> layoutErrors;
    private final DfuDriver driver;
    /** The transport, its gate, the selected alt and the needs-abort / gone state (see {@link DfuSession}). */
    private final DfuSession session;
    /** Where a leave jumps: from the request, the image and plan, or the device's vector table. */
    private final LeaveTargets leaveTargets;
    /** Verification and the incremental comparison: what is read back, and how it is trusted. */
    private final ReadBack readBack;
    private DfuStatusReply initialStatus;
    /** What the running operation has changed so far; what a cancel reports. */
    private Stats running;

    private DfuDevice(DfuTransport transport, DeviceProfile profile, FunctionalDescriptor descriptor,
                      List<AltSetting> alts, Map<Integer, MemoryLayout> layouts,
                      Map<Integer, LayoutFormatException> layoutErrors) {
        this.profile = profile;
        this.descriptor = descriptor;
        this.alts = List.copyOf(alts);
        this.layouts = layouts;
        this.layoutErrors = layoutErrors;
        this.session = new DfuSession(transport, descriptor, layouts, profile.quirks());
        this.driver = session.driver();
        this.leaveTargets = new LeaveTargets(layouts, descriptor);
        this.readBack = new ReadBack(this);
    }

    /**
     * Opens with the profile {@link DeviceProfile#forTransport} finds: the STM32 profile when dfu-stm32
     * is present and recognises the device (ST ROM bootloader, mboot), else {@link DeviceProfile#generic()}.
     */
    public static DfuDevice open(DfuTransport transport) throws DfuException {
        return open(transport, DeviceProfile.forTransport(Objects.requireNonNull(transport, "transport")));
    }

    /**
     * Reads the descriptors, parses the memory layout of every alternate setting whose name starts with
     * '@', selects the first alternate setting and brings the device to dfuIDLE (CLRSTATUS from dfuERROR,
     * ABORT from dfuDNLOAD-IDLE / dfuUPLOAD-IDLE; never CLRSTATUS outside dfuERROR).
     *
     * @throws DfuException (kind PROTOCOL) when the device has no usable functional descriptor, is in run-time
     *                              mode, or cannot be brought to dfuIDLE
     */
    public static DfuDevice open(DfuTransport transport, DeviceProfile profile) throws DfuException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(profile, "profile");
        DeviceInfo info = transport.device();
        String who = info.vidPid() + " at " + info.path();
        FunctionalDescriptor d = FunctionalDescriptor.parse(transport.functionalDescriptor(), who + " functional descriptor");
        if (profile.quirks().effectiveTransferSize(d.transferSize()) <= 0) {
            throw DfuException.protocol(who + ": the device reports wTransferSize 0; set DfuQuirks.maxTransferSize");
        }
        Map<Integer, MemoryLayout> layouts = new LinkedHashMap<>();
        Map<Integer, LayoutFormatException> errors = new LinkedHashMap<>();
        for (AltSetting alt : transport.altSettings()) {
            String name = alt.name();
            if (!name.stripLeading().startsWith("@")) {
                continue;
            }
            try {
                MemoryLayout reported = MemoryLayout.parse(name, "alt " + alt.altSetting());
                layouts.put(alt.altSetting(), profile.correctLayout(alt.altSetting(), reported));
            } catch (LayoutFormatException e) {
                log.warn("{}: {}", who, e.getMessage());
                errors.put(alt.altSetting(), e);
            }
        }
        DfuDevice device = new DfuDevice(transport, profile, d, transport.altSettings(), layouts, errors);
        if (!device.alts.isEmpty()) {
            device.session.selectAlt(device.alts.get(0).altSetting(), Phase.SETUP);
        }
        device.initialStatus = device.driver.recoverToIdle(Phase.SETUP);
        log.debug("opened {} ({}), {} ; transfer size {}", who, info.product(), d, device.transferSize());
        return device;
    }

    // ---------------------------------------------------------------- what the device is

    public DeviceInfo info() {
        return session.rawTransport().device();
    }

    /**
     * Where the device is plugged in: the port of its current transport. After a leave, wait there for
     * the application ({@code dev.port().awaitApplication(Duration.ofSeconds(10))}) or ask what is there.
     */
    public io.github.dfu4j.transport.DevicePort port() {
        return session.rawTransport().port();
    }

    public FunctionalDescriptor functionalDescriptor() {
        return descriptor;
    }

    /** bcdDFUVersion is 0x011A. */
    public boolean isDfuse() {
        return descriptor.isDfuse();
    }

    /** The transfer size in use: wTransferSize, capped by the profile's quirks. */
    public int transferSize() {
        return profile.quirks().effectiveTransferSize(descriptor.transferSize());
    }

    public List<AltSetting> altSettings() {
        return alts;
    }

    /** The memory layout of an alternate setting, after the profile's corrections. */
    public Optional<MemoryLayout> layout(int alt) {
        return Optional.ofNullable(layouts.get(alt));
    }

    /** Layouts by alternate setting. */
    public Map<Integer, MemoryLayout> layouts() {
        return Map.copyOf(layouts);
    }

    /** Alternate settings whose '@' layout string could not be parsed. */
    public Map<Integer, LayoutFormatException> layoutErrors() {
        return Map.copyOf(layoutErrors);
    }

    public DeviceProfile profile() {
        return profile;
    }

    /** The status found by {@link #open} after recovery to dfuIDLE. */
    public DfuStatusReply initialStatus() {
        return initialStatus;
    }

    /** The driver; dfu4j's other modules reach it through {@link DeviceDrivers}, callers never. */
    DfuDriver driver() {
        return driver;
    }

    /** A fresh GETSTATUS. */
    public DfuStatusReply status() throws DfuException {
        session.ensureUsable();
        return driver.getStatus(Phase.SETUP);
    }

    // ---------------------------------------------------------------- download

    /** {@link #download(FirmwareImage, FlashOptions, ProgressListener)} without progress events. */
    public FlashResult download(FirmwareImage image, FlashOptions options) throws DfuException {
        return download(image, options, ProgressListener.NONE);
    }

    /**
     * Flashes an image: plan (fails before touching the device when the image does not fit the layout),
     * optional incremental comparison, erase (the vector-table sector first), write (the vector-table
     * sector last), verify by read-back, optional leave. One transient fault per sector (a stall, a
     * timeout, a disconnect the device comes back from within {@link FlashOptions#resumeWait()}) is
     * recovered and the flash goes on; the final read-back still covers every byte of the image.
     *
     * @throws VerifyException       read-back differs, also after the SET_ADDRESS-per-block fallback
     * @throws DfuCancelledException the cancellation token fired; {@code changes()} says what the device holds
     * @throws DfuException          of kind {@code PLAN} when the image does not fit the layouts (nothing was
     *                               sent); otherwise any device or transport failure, with phase and address
     */
    public FlashResult download(FirmwareImage image, FlashOptions options, ProgressListener listener) throws DfuException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        DeviceProfile p = options.profile().orElse(profile);
        DfuDriver drv = driverFor(p, options.cancellation());
        running = new Stats();
        try {
            return new FlashJob(this, drv, p, options, listener).run(image);
        } catch (DfuCancelledException e) {
            throw cancelled(drv, e);
        } finally {
            drv.setCancellation(CancellationToken.NONE);
            running = null;
        }
    }

    /**
     * The wind-down of a cancelled operation: stop watching the token, bring the device back to dfuIDLE
     * (GETSTATUS, then ABORT from dfuDNLOAD-IDLE / dfuUPLOAD-IDLE, or a wait of at most
     * {@link #CANCEL_WIND_DOWN} for a request it still executes), and report what the operation changed.
     */
    private DfuCancelledException cancelled(DfuDriver drv, DfuCancelledException e) {
        if (e.changes().isPresent()) {
            return e;
        }
        drv.setCancellation(CancellationToken.NONE);
        boolean interrupted = Thread.interrupted(); // the wind-down's requests must not stop at once again
        boolean idle = false;
        Phase phase = e.phase().orElse(Phase.SETUP);
        try {
            if (!session.gone() && !session.closed()) {
                idle = drv.windDown(phase, CANCEL_WIND_DOWN).isPresent();
                session.markNeedsIdle(!idle);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (!idle) {
            log.warn("after the cancel, the device did not return to dfuIDLE within {} ms", CANCEL_WIND_DOWN.toMillis());
        }
        Stats s = running != null ? running : new Stats();
        List<MemoryRange> written = new ArrayList<>(s.written);
        if (s.runStart >= 0 && s.runEnd > s.runStart) {
            written.add(new MemoryRange(s.runAlt, s.runStart, s.runEnd));
        }
        Optional<MemoryRange> pending = e.duringRequest() ? Optional.ofNullable(s.pending) : Optional.empty();
        DeviceChanges changes = new DeviceChanges(phase, s.erased, s.massErased, written, s.bytesWritten, s.bytesToWrite, pending);
        log.debug("cancelled in {}: {}", phase, changes.describe());
        return e.withChanges(changes, idle);
    }

    // ---------------------------------------------------------------- upload / erase

    /**
     * Reads memory. DfuSe: {@code length} bytes from {@code address} of the alternate setting (checked
     * against its layout: must be readable); plain DFU: the firmware from the start, address ignored.
     * The result is shorter than {@code length} when the device ends the upload early.
     *
     * @throws DfuException (kind MEMORY_ACCESS) when the range is outside the layout or not readable, or the device cannot upload
     */
    public byte[] upload(int alt, long address, int length, ProgressListener listener) throws DfuException {
        return upload(alt, address, length, listener, CancellationToken.NONE);
    }

    /** {@link #upload(int, long, int, ProgressListener)} that stops with {@link DfuCancelledException} when {@code cancellation} fires. */
    public byte[] upload(int alt, long address, int length, ProgressListener listener, CancellationToken cancellation)
            throws DfuException {
        return cancellable(cancellation, () -> doUpload(alt, address, length, listener));
    }

    /** What an operation does while {@link #cancellable} has its token installed. */
    @FunctionalInterface
    private interface Operation<T> {
        T run() throws DfuException;
    }

    /** Runs {@code operation} with {@code cancellation} watched by the driver, also during waits. */
    private <T> T cancellable(CancellationToken cancellation, Operation<T> operation) throws DfuException {
        Objects.requireNonNull(cancellation, "cancellation");
        driver.setCancellation(cancellation);
        running = new Stats();
        try {
            return operation.run();
        } catch (DfuCancelledException e) {
            throw cancelled(driver, e);
        } finally {
            driver.setCancellation(CancellationToken.NONE);
            running = null;
        }
    }

    private byte[] doUpload(int alt, long address, int length, ProgressListener listener) throws DfuException {
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (!descriptor.canUpload()) {
            throw DfuException.memoryAccess("the device does not support upload (bitCanUpload is 0)", null);
        }
        if (!descriptor.isDfuse()) {
            return new PlainDfu(this, driver).upload(length, listener);
        }
        checkAccess(alt, address, length, true);
        Progress pr = Progress.start(listener, Phase.READ, length, address);
        byte[] data = session.read(driver, alt, address, length, Phase.READ, pr, false);
        pr.finish();
        return data;
    }

    /** Erases every sector that overlaps [from, to) of the alternate setting. */
    public EraseResult erase(int alt, long from, long to, ProgressListener listener) throws DfuException {
        return erase(alt, from, to, listener, CancellationToken.NONE);
    }

    /**
     * {@link #erase(int, long, long, ProgressListener)} that stops with {@link DfuCancelledException} when
     * {@code cancellation} fires, also while the device is still erasing (it may finish that sector on
     * its own; reopen with patience).
     */
    public EraseResult erase(int alt, long from, long to, ProgressListener listener, CancellationToken cancellation)
            throws DfuException {
        return cancellable(cancellation, () -> doErase(alt, from, to, listener));
    }

    private EraseResult doErase(int alt, long from, long to, ProgressListener listener) throws DfuException {
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        requireDfuse("erase");
        if (to <= from) {
            throw new IllegalArgumentException(String.format("empty range [0x%x, 0x%x)", from, to));
        }
        checkAccess(alt, from, to - from, false);
        long start = session.now();
        List<Sector> sectors = layouts.get(alt).sectorsIn(from, to);
        List<MemoryRange> toErase = sectors.stream().map(s -> new MemoryRange(alt, s.start(), s.end())).toList();
        session.gate().arm(WriteGate.review(new WriteRequest(List.of(), toErase, List.of(), false, alts, layouts), Set.of(), profile,
                Optional.empty(), info(), false, 1, reader(driver)));
        try {
            return eraseSectors(alt, from, sectors, listener, start);
        } finally {
            session.gate().disarm();
        }
    }

    private EraseResult eraseSectors(int alt, long from, List<Sector> sectors, ProgressListener listener, long start)
            throws DfuException {
        long total = sectors.stream().mapToLong(Sector::size).sum();
        Progress pr = Progress.start(listener, Phase.ERASE, total, from);
        Stats stats = running != null ? running : new Stats();
        for (Sector s : sectors) {
            session.selectAlt(alt, Phase.ERASE);
            stats.pending = new MemoryRange(alt, s.start(), s.end());
            CommandResult r = driver.command(DfuseCommand.erasePage(s.start()), Phase.ERASE);
            stats.pending = null;
            session.noteEnding(r, stats);
            session.confirmWedgedErase(driver, r, alt, s);
            stats.erased.add(new MemoryRange(alt, s.start(), s.end()));
            pr.advance(s.size(), s.start());
        }
        session.toIdle(Phase.ERASE);
        pr.finish();
        return new EraseResult(stats.erased, false, stats.wedges, session.since(start));
    }

    /** DfuSe mass erase of the memory behind an alternate setting (budget: {@link io.github.dfu4j.dfu.DfuQuirks#massEraseBudget()}). */
    public EraseResult massErase(int alt, ProgressListener listener) throws DfuException {
        return massErase(alt, listener, CancellationToken.NONE);
    }

    /**
     * {@link #massErase(int, ProgressListener)} that stops with {@link DfuCancelledException} when
     * {@code cancellation} fires, also during the device's tens of seconds of erasing. The device keeps
     * erasing: open it again with patience (dfu-stm32: {@code Stm32DeviceProfile.open(transport,
     * quirks().massEraseBudget())}).
     */
    public EraseResult massErase(int alt, ProgressListener listener, CancellationToken cancellation) throws DfuException {
        return cancellable(cancellation, () -> doMassErase(alt, listener));
    }

    private EraseResult doMassErase(int alt, ProgressListener listener) throws DfuException {
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        requireDfuse("mass erase");
        long start = session.now();
        Progress pr = Progress.start(listener, Phase.ERASE, session.erasableBytes(alt), -1);
        session.selectAlt(alt, Phase.ERASE);
        Stats stats = running != null ? running : new Stats();
        session.gate().arm(WriteGate.review(new WriteRequest(List.of(), List.of(), List.of(alt), false, alts, layouts), Set.of(),
                profile, Optional.empty(), info(), false, 1, reader(driver)));
        try {
            stats.pending = session.wholeMemory(alt);
            session.noteEnding(driver.command(DfuseCommand.massErase(), Phase.ERASE), stats);
            stats.pending = null;
            stats.massErased.add(alt);
        } finally {
            session.gate().disarm();
        }
        session.toIdle(Phase.ERASE);
        pr.finish();
        return new EraseResult(List.of(), true, stats.wedges, session.since(start));
    }

    /**
     * DfuSe READ_UNPROTECT: the device removes read protection by mass-erasing its flash, then resets.
     * The device is gone afterwards; open it again. The write gate requires
     * {@link Confirmation#MASS_ERASE}: without it this throws {@link WriteRefusedException} and sends nothing.
     */
    public void readUnprotect(Confirmation... confirmed) throws DfuException {
        session.ensureUsable();
        requireDfuse("read unprotect");
        session.gate().arm(WriteGate.review(new WriteRequest(List.of(), List.of(), List.of(), true, alts, layouts),
                Set.of(confirmed), profile, Optional.empty(), info(), false, 1, reader(driver)));
        try {
            session.toIdle(Phase.ERASE);
            driver.command(DfuseCommand.readUnprotect(), Phase.ERASE);
        } finally {
            session.gate().disarm();
        }
        session.markGone();
    }

    /** Reads device memory for the write gate's review (e.g. the current option bytes). */
    WriteRequest.Reader reader(DfuDriver drv) {
        return (alt, address, length) -> session.read(drv, alt, address, length, Phase.READ, Progress.silent(), false);
    }

    /** DfuSe GET_COMMANDS (UPLOAD block 0): the command bytes the bootloader supports, e.g. 00 21 41 92. */
    public byte[] supportedCommands(int alt) throws DfuException {
        session.ensureUsable();
        requireDfuse("GET_COMMANDS");
        session.selectAlt(alt, Phase.READ);
        session.toIdle(Phase.READ);
        byte[] commands = driver.upload(0, 16, Phase.READ, 0);
        session.markNeedsIdle(true);
        session.toIdle(Phase.READ);
        return commands;
    }

    private void checkAccess(int alt, long address, long length, boolean read) throws DfuException {
        if (address < 0 || address + length > (1L << 32)) {
            throw DfuException.memoryAccess(String.format("0x%x+%d is outside the 32-bit address space", address, length), address);
        }
        MemoryLayout l = layouts.get(alt);
        if (l == null) {
            if (read) {
                return; // no layout: the device decides
            }
            throw DfuException.memoryAccess("alt " + alt + " has no memory layout, so sectors to erase are unknown", address);
        }
        long a = address;
        long end = address + length;
        while (a < end) {
            Optional<MemoryRegion> r = l.regionAt(a);
            if (r.isEmpty()) {
                throw DfuException.memoryAccess(String.format("0x%08x (alt %d) is outside the memory layout %s", a, alt,
                        l.format()), a);
            }
            boolean ok = read ? r.get().access().readable() : r.get().access().erasable();
            if (!ok) {
                throw DfuException.memoryAccess(String.format("0x%08x (alt %d) is not %s in the memory layout %s", a, alt,
                        read ? "readable" : "erasable", l.format()), a);
            }
            a = r.get().end();
        }
    }

    // ---------------------------------------------------------------- leave

    /** Leaves DFU mode (DfuSe: optional SET_ADDRESS, zero-length DNLOAD, GETSTATUS), checking for 3 s whether it comes back in DFU mode. */
    public LeaveResult leave(OptionalLong address) throws DfuException {
        return leave(address, Duration.ofSeconds(3));
    }

    /**
     * Leaves DFU mode through {@code address}. Without one the profile's {@link LeaveMode} decides:
     * {@link LeaveMode#RESET_HANDLER} reads the application's vector table at the start of flash (the
     * layout's first writable address) and leaves through its reset vector (word 1, as stored), failing
     * with a {@link DfuException} of kind {@code LEAVE_ADDRESS} when the table is blank or the vector points outside flash;
     * {@link LeaveMode#VECTOR_TABLE} sends the flash start; {@link LeaveMode#IGNORED_RESETS} sends
     * nothing (or the layout start when the profile says a SET_ADDRESS is required). A device that
     * vanishes during the final GETSTATUS
     * has left. Afterwards looks for the device coming back in DFU mode at its port
     * ({@link io.github.dfu4j.transport.DevicePort#awaitDfu}) for up to {@code reopenTimeout} (zero: no
     * check). When it comes back ({@link LeaveResult.Outcome#CAME_BACK_IN_DFU}) this device goes on with
     * it: its operations work again, and {@link #close()} closes the new transport. Otherwise the device
     * has left and its operations throw {@link IllegalStateException}. Plain DFU devices are reset instead.
     */
    public LeaveResult leave(OptionalLong address, Duration reopenTimeout) throws DfuException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(reopenTimeout, "reopenTimeout");
        session.ensureUsable();
        LeaveTargets.Target target = address.isPresent()
                ? new LeaveTargets.Target(address, LeaveResult.AddressSource.EXPLICIT, leaveTargets.altHolding(address.getAsLong()))
                : leaveTargets.deviceDefault(profile, reader(driver));
        return leave(driver, target, reopenTimeout, ProgressListener.NONE);
    }

    LeaveResult leave(DfuDriver drv, LeaveTargets.Target target, Duration reopenTimeout, ProgressListener listener)
            throws DfuException {
        long t = session.now();
        Progress pr = Progress.start(listener, Phase.LEAVE, 0, target.address().orElse(-1));
        LeaveResult.Outcome outcome;
        if (!descriptor.isDfuse()) {
            outcome = new PlainDfu(this, drv).reset();
        } else {
            if (target.alt() >= 0) {
                session.selectAlt(target.alt(), Phase.LEAVE);
            }
            session.toIdle(Phase.LEAVE);
            if (target.address().isPresent()) {
                drv.command(DfuseCommand.setAddress(target.address().getAsLong()), Phase.LEAVE);
            }
            CommandResult r = drv.leave(0, target.address().isPresent() ? target.address().getAsLong() : null);
            outcome = switch (r.ending()) {
                case DISCONNECTED -> LeaveResult.Outcome.DISCONNECTED;
                case MANIFESTED_IDLE -> LeaveResult.Outcome.STAYED_IN_DFU;
                case NO_ANSWER -> afterSilentLeave(drv);
                default -> LeaveResult.Outcome.LEFT;
            };
        }
        boolean checked = false;
        Optional<PortState> atPort = Optional.empty();
        if (outcome == LeaveResult.Outcome.STAYED_IN_DFU) {
            session.markNeedsIdle(false);
        } else if (outcome == LeaveResult.Outcome.NO_ANSWER) {
            log.warn("the device did not answer its final status after the leave request and is still on the bus:"
                    + " it is not known to have left DFU mode");
            session.markNeedsIdle(true);
        } else {
            session.markGone();
            if (!reopenTimeout.isZero()) {
                try {
                    boolean back = session.reopen(reopenTimeout);
                    checked = true;
                    if (back) {
                        outcome = LeaveResult.Outcome.CAME_BACK_IN_DFU;
                        log.warn("the device came back in DFU mode after leaving through {}: no runnable application"
                                + " there for a {} bootloader, or BOOT0 is held high", target.address(), profile.leaveMode());
                    } else {
                        atPort = Optional.of(session.rawTransport().port().state());
                    }
                } catch (TransportException e) {
                    log.debug("cannot check whether the device came back in DFU mode: {}", e.getMessage());
                }
            }
        }
        pr.finish();
        return new LeaveResult(outcome, target.address(), target.source(), checked, session.since(t), Optional.empty(), atPort);
    }

    /**
     * The final GETSTATUS of a leave went unanswered without the transport saying the device is gone.
     * Ask once more: a device that is gone now ({@link TransportException.Kind#NO_DEVICE}) has left, one
     * that answers dfuMANIFEST is leaving; anything else (an answer in another state, another timeout)
     * means it is still on the bus.
     */
    private LeaveResult.Outcome afterSilentLeave(DfuDriver drv) throws DfuCancelledException {
        try {
            DfuStatusReply s = drv.getStatus(Phase.LEAVE);
            if (s.state() == io.github.dfu4j.dfu.DfuState.DFU_MANIFEST
                    || s.state() == io.github.dfu4j.dfu.DfuState.DFU_MANIFEST_WAIT_RESET) {
                return LeaveResult.Outcome.LEFT;
            }
            log.debug("leave: the device answers {} after an unanswered final status", s);
            return LeaveResult.Outcome.NO_ANSWER;
        } catch (DfuCancelledException e) {
            throw e;
        } catch (DfuException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof TransportException te && te.isDisconnect()) {
                    return LeaveResult.Outcome.DISCONNECTED;
                }
            }
            log.debug("leave: a second GETSTATUS failed too: {}", e.getMessage());
            return LeaveResult.Outcome.NO_ANSWER;
        }
    }

    // ---------------------------------------------------------------- plumbing

    GatedTransport gate() {
        return session.gate();
    }

    DfuSession session() {
        return session;
    }

    LeaveTargets leaveTargets() {
        return leaveTargets;
    }

    ReadBack readBackOf() {
        return readBack;
    }

    Stats running() {
        return running;
    }

    /** Reads a write run back with the addressing it was written with. */
    byte[] readBack(DfuDriver drv, WriteRun run) throws DfuException {
        return session.read(drv, run.alt(), run.start(), Math.toIntExact(run.length()), Phase.VERIFY, Progress.silent(),
                run.perBlockAddressing());
    }

    /** The transport of the device's current enumeration. */
    DfuTransport transport() {
        return session.rawTransport();
    }

    private DfuDriver driverFor(DeviceProfile p, CancellationToken token) {
        DfuDriver d = p == profile ? driver : new DfuDriver(session.gate(), p.quirks());
        d.setCancellation(token);
        return d;
    }

    private void requireDfuse(String what) throws DfuException {
        if (!descriptor.isDfuse()) {
            throw DfuException.protocol(what + " needs a DfuSe device (bcdDFU 0x011A); this one reports "
                    + String.format("0x%04x", descriptor.bcdDfu()));
        }
    }

    /** Closes the transport (the current one, when the device came back after a reset). Idempotent. */
    @Override
    public void close() {
        session.close();
    }

    /** Counters of one download. */
    static final class Stats {
        final List<MemoryRange> erased = new ArrayList<>();
        final List<Integer> massErased = new ArrayList<>();
        final List<MemoryRange> written = new ArrayList<>();
        long bytesWritten;
        int blocksWritten;
        int blankSkipped;
        long verifiedBytes;
        long unverifiedBytes;
        int wedges;
        /** What the plan writes in all (for a cancel's report). */
        long bytesToWrite;
        /** The run being written: its alt, start and the end of its last written block; runStart -1 between runs. */
        int runAlt;
        long runStart = -1;
        long runEnd;
        /** The sector or block whose request is in flight. */
        MemoryRange pending;
        Duration read = Duration.ZERO;
        Duration erase = Duration.ZERO;
        Duration write = Duration.ZERO;
        Duration verify = Duration.ZERO;
        Duration leave = Duration.ZERO;

        /** Forgets what a pass erased, wrote and verified (the fallback does it all again). */
        void startOver() {
            erased.clear();
            massErased.clear();
            written.clear();
            bytesWritten = 0;
            blocksWritten = 0;
            blankSkipped = 0;
            verifiedBytes = 0;
            unverifiedBytes = 0;
            runStart = -1;
            pending = null;
        }
    }
}
