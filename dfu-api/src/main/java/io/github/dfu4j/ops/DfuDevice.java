package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.internal.DeviceDrivers;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.transport.AltSetting;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/*
 * The facade: argument checks, then one package-private job each. The device is reached only through
 * a DfuSession (transport, write gate, driver, selected alt, needs-abort and gone state, what open
 * read); the jobs are FlashJob (download), EraseJob, LeaveJob (with LeaveTargets), UploadJob and
 * PlainDfu, run by OperationRunner (cancellation). No job calls back into this class
 * (FacadeBoundaryTest; docs/architecture.md, "Inside io.github.dfu4j.ops").
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

    /** The transport, its gate, the driver, the selected alt, the needs-abort / gone state and what open read. */
    private final DfuSession session;
    private final DeviceContext context;
    /** Runs an operation with its cancellation token and winds it down after a cancel. */
    private final OperationRunner runner;

    private DfuDevice(DfuSession session) {
        this.session = session;
        this.context = session.context();
        this.runner = new OperationRunner(session, CANCEL_WIND_DOWN);
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
        DfuDevice device = new DfuDevice(DfuSession.open(transport, profile));
        DeviceInfo info = transport.device();
        log.debug("opened {} at {} ({}), {} ; transfer size {}", info.vidPid(), info.path(), info.product(),
                device.functionalDescriptor(), device.transferSize());
        return device;
    }

    // ---------------------------------------------------------------- what the device is

    /** The USB identity of the device: VID:PID, bcdDevice, strings, serial number and port path. */
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

    /**
     * The DFU functional descriptor read at open: bcdDFUVersion (0x0110 plain DFU, 0x011A DfuSe), the
     * bitCanDnload/bitCanUpload/bitManifestationTolerant/bitWillDetach attributes, wTransferSize and
     * wDetachTimeOut.
     */
    public FunctionalDescriptor functionalDescriptor() {
        return context.descriptor();
    }

    /** bcdDFUVersion is 0x011A. */
    public boolean isDfuse() {
        return context.descriptor().isDfuse();
    }

    /** The transfer size in use: wTransferSize, capped by the profile's quirks. */
    public int transferSize() {
        return context.transferSize(context.profile().quirks());
    }

    /** The interface's alternate settings in number order, each with its string (a DfuSe '@' layout or a name). */
    public List<AltSetting> altSettings() {
        return context.alts();
    }

    /** The memory layout of an alternate setting, after the profile's corrections. */
    public Optional<MemoryLayout> layout(int alt) {
        return Optional.ofNullable(context.layouts().get(alt));
    }

    /** Layouts by alternate setting. */
    public Map<Integer, MemoryLayout> layouts() {
        return Map.copyOf(context.layouts());
    }

    /** Alternate settings whose '@' layout string could not be parsed. */
    public Map<Integer, LayoutFormatException> layoutErrors() {
        return Map.copyOf(context.layoutErrors());
    }

    /**
     * The profile the device was opened with (its quirks, layout corrections and default flash start), as given
     * to {@link #open} or found for it (dfu-stm32's profiles for ST ROMs and mboot, else the generic one).
     */
    public DeviceProfile profile() {
        return context.profile();
    }

    /** The status found by {@link #open} after recovery to dfuIDLE. */
    public DfuStatusReply initialStatus() {
        return session.initialStatus();
    }

    /** The driver; dfu4j's other modules reach it through {@link DeviceDrivers}, callers never. */
    DfuDriver driver() {
        return session.driver();
    }

    /** A fresh GETSTATUS. */
    public DfuStatusReply status() throws DfuException {
        session.ensureUsable();
        return session.driver().getStatus(Phase.SETUP);
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
        DeviceProfile p = options.profile().orElse(context.profile());
        DfuDriver drv = session.driverFor(p, options.cancellation());
        return runner.run(drv, options.cancellation(), stats -> new FlashJob(session, drv, p, options, listener, stats).run(image));
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
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return runner.run(session.driver(), cancellation,
                stats -> UploadJob.upload(session, session.driver(), alt, address, length, listener));
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
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        context.requireDfuse("erase");
        if (to <= from) {
            throw new IllegalArgumentException(String.format("empty range [0x%x, 0x%x)", from, to));
        }
        context.checkAccess(alt, from, to - from, false);
        return runner.run(session.driver(), cancellation,
                stats -> new EraseJob(session).eraseRange(session.driver(), alt, from, to, listener, stats));
    }

    /** DfuSe mass erase of the memory behind an alternate setting (budget: {@link io.github.dfu4j.dfu.DfuQuirks.Budgets#massEraseBudget()}). */
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
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(listener, "listener");
        session.ensureUsable();
        context.requireDfuse("mass erase");
        return runner.run(session.driver(), cancellation,
                stats -> new EraseJob(session).massErase(session.driver(), alt, listener, stats));
    }

    /**
     * DfuSe READ_UNPROTECT: the device removes read protection by mass-erasing its flash, then resets.
     * The device is gone afterwards; open it again. The write gate requires
     * {@link Confirmation#MASS_ERASE}: without it this throws {@link WriteRefusedException} and sends nothing.
     */
    public void readUnprotect(Confirmation... confirmed) throws DfuException {
        session.ensureUsable();
        context.requireDfuse("read unprotect");
        new EraseJob(session).readUnprotect(session.driver(), Set.of(confirmed));
    }

    /** DfuSe GET_COMMANDS (UPLOAD block 0): the command bytes the bootloader supports, e.g. 00 21 41 92. */
    public byte[] supportedCommands(int alt) throws DfuException {
        session.ensureUsable();
        return UploadJob.supportedCommands(session, alt);
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
        LeaveTargets targets = new LeaveTargets(context.layouts(), context.descriptor());
        LeaveTargets.Target target = !context.descriptor().isDfuse()
                ? new LeaveTargets.Target(OptionalLong.empty(), LeaveResult.AddressSource.NONE, -1) // plain DFU: a USB reset
                : address.isPresent()
                ? new LeaveTargets.Target(address, LeaveResult.AddressSource.EXPLICIT, targets.altHolding(address.getAsLong()))
                : targets.deviceDefault(context.profile(), session.reader(session.driver()));
        return new LeaveJob(session).leave(session.driver(), target, reopenTimeout, ProgressListener.NONE);
    }

    /** Closes the transport (the current one, when the device came back after a reset). Idempotent. */
    @Override
    public void close() {
        session.close();
    }
}
