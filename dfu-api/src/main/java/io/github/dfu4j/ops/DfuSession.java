package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.CancellationToken;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusReply;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.plan.internal.WriteRun;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device session behind a {@link DfuDevice}: it owns the transport (raw, and the
 * {@link GatedTransport} every request goes through), the default driver, the selected alt setting,
 * whether the device must be ABORTed to dfuIDLE before the next command, and whether it is gone; it
 * keeps what was learnt at open ({@link DeviceContext}). The jobs (flash, erase, leave, upload, plain
 * DFU) reach the device only through it. When the device left the bus and comes back in DFU mode,
 * {@link #reopen} finds it through the transport's {@link io.github.dfu4j.transport.DevicePort} and
 * goes on with the new transport: nothing hands an open transport to the caller. It offers what the
 * operations are built from: select an alt, back to idle, an erase or other DfuSe command, write a
 * block, the DfuSe read sequence, the cancel wind-down, and reopening the device after a disconnect
 * ({@link #reattach}). The needs-abort and gone flags change only here.
 */
final class DfuSession {
    private static final Logger log = LoggerFactory.getLogger(DfuSession.class);
    private static final int MAX_UPLOAD_BLOCKS = 0xFFFF - 1;

    private DfuTransport transport;
    private final GatedTransport gated;
    private final DfuDriver driver;
    private final DeviceContext context;
    private DfuStatusReply initialStatus;
    private int currentAlt = -1;
    private boolean needsIdle;
    private boolean gone;
    private boolean closed;

    private DfuSession(DfuTransport transport, DeviceContext context) {
        this.transport = transport;
        this.context = context;
        this.gated = new GatedTransport(transport, context.descriptor().isDfuse());
        this.driver = new DfuDriver(gated, context.profile().quirks());
    }

    /**
     * Opens a session: reads what the device is ({@link DeviceContext#read}), selects the first
     * alternate setting and brings the device to dfuIDLE (CLRSTATUS from dfuERROR, ABORT from
     * dfuDNLOAD-IDLE / dfuUPLOAD-IDLE; never CLRSTATUS outside dfuERROR).
     */
    static DfuSession open(DfuTransport transport, DeviceProfile profile) throws DfuException {
        DfuSession session = new DfuSession(transport, DeviceContext.read(transport, profile));
        if (!session.context.alts().isEmpty()) {
            session.selectAlt(session.context.alts().get(0).altSetting(), Phase.SETUP);
        }
        session.initialStatus = session.driver.recoverToIdle(Phase.SETUP);
        return session;
    }

    DfuDriver driver() {
        return driver;
    }

    /** The default driver for the open profile, else a driver with {@code p}'s quirks over the same gate; watching {@code token}. */
    DfuDriver driverFor(DeviceProfile p, CancellationToken token) {
        DfuDriver d = p == context.profile() ? driver : new DfuDriver(gated, p.quirks());
        d.setCancellation(token);
        return d;
    }

    DeviceContext context() {
        return context;
    }

    /** The status found at {@link #open} after recovery to dfuIDLE. */
    DfuStatusReply initialStatus() {
        return initialStatus;
    }

    /** What the device's current enumeration says it is. */
    DeviceInfo info() {
        return transport.device();
    }

    GatedTransport gate() {
        return gated;
    }

    boolean gone() {
        return gone;
    }

    boolean closed() {
        return closed;
    }

    /** Reads device memory for the write gate's review (e.g. the current option bytes) and for a leave target. */
    WriteRequest.Reader reader(DfuDriver drv) {
        return (alt, address, length) -> read(drv, alt, address, length, Phase.READ, Progress.silent(), false);
    }

    /** Reads a write run back with the addressing it was written with. */
    byte[] readRun(DfuDriver drv, WriteRun run) throws DfuException {
        return read(drv, run.alt(), run.start(), Math.toIntExact(run.length()), Phase.VERIFY, Progress.silent(),
                run.perBlockAddressing());
    }

    /**
     * A DfuSe command that changes memory (erase page, mass erase) in the selected alt. A device that
     * wedged in dfuDNBUSY and was recovered with CLRSTATUS, CLRSTATUS is in dfuIDLE already; otherwise it
     * must be ABORTed before the next command.
     */
    CommandResult erase(DfuDriver drv, DfuseCommand command) throws DfuException {
        CommandResult r = drv.command(command, Phase.ERASE);
        needsIdle = r.ending() != CommandResult.Ending.RECOVERED_FROM_WEDGE;
        return r;
    }

    /** One DNLOAD of data (its SET_ADDRESS, if any, sent before); the device is in dfuDNLOAD-IDLE afterwards. */
    void download(DfuDriver drv, int blockNumber, byte[] data, Phase phase, long address) throws DfuException {
        drv.downloadBlock(blockNumber, data, phase, address);
        needsIdle = true;
    }

    /** One UPLOAD block; the device is in dfuUPLOAD-IDLE afterwards (plain DFU: unless the frame was short). */
    byte[] upload(DfuDriver drv, int blockNumber, int length, Phase phase, long address) throws DfuException {
        byte[] data = drv.upload(blockNumber, length, phase, address);
        needsIdle = true;
        return data;
    }

    /** The device said it is in dfuIDLE on its own (a short plain-DFU upload frame, a manifestation back to idle). */
    void markIdle() {
        needsIdle = false;
    }

    /** The device may not be in dfuIDLE (a leave it did not answer): ABORT before the next command. */
    void markNotIdle() {
        needsIdle = true;
    }

    /** The device left DFU mode (a leave, a reset, READ_UNPROTECT, an option-byte write): operations refuse until it is reopened. */
    void markGone() {
        gone = true;
    }

    /** GETSTATUS and CLRSTATUS / ABORT to dfuIDLE, whatever the session thought (e.g. after an error status). */
    DfuStatusReply recoverToIdle(DfuDriver drv, Phase phase) throws DfuException {
        needsIdle = false;
        return drv.recoverToIdle(phase);
    }

    /** Forgets the selected alt and the needs-abort state (after a transient fault: the device state is unknown). */
    void forgetState() {
        currentAlt = -1;
        needsIdle = false;
    }

    /**
     * USB reset (plain DFU: a device with valid firmware starts it). A device that vanishes
     * has left; either way the session counts as gone.
     */
    void resetDevice() {
        try {
            transport.reset();
        } catch (TransportException e) {
            log.debug("reset after manifestation: {}", e.getMessage());
        }
        gone = true;
    }

    /**
     * The wind-down after a cancel: back to dfuIDLE (waiting at most {@code budget} for a request the
     * device still executes), unless the device is gone or closed.
     *
     * @return true when the device is in dfuIDLE
     */
    boolean windDown(DfuDriver drv, Phase phase, Duration budget) {
        if (gone || closed) {
            return false;
        }
        boolean idle = drv.windDown(phase, budget).isPresent();
        needsIdle = !idle;
        return idle;
    }

    /**
     * DfuSe read: SET_ADDRESS, ABORT to dfuIDLE, UPLOAD blocks 2, 3, ... (or one block per SET_ADDRESS),
     * ABORT. Stops early on a short frame and returns what arrived.
     */
    byte[] read(DfuDriver drv, int alt, long address, int length, Phase phase, Progress pr, boolean perBlock)
            throws DfuException {
        byte[] out = new byte[length];
        int done = read(drv, alt, address, length, phase, pr, perBlock, (at, data) -> System.arraycopy(
                data, 0, out, (int) (at - address), data.length));
        return done == length ? out : Arrays.copyOf(out, done);
    }

    /** Where {@link #read(DfuDriver, int, long, int, Phase, Progress, boolean, UploadSink)} hands each block. */
    interface UploadSink {
        void accept(long address, byte[] data) throws DfuException;
    }

    /**
     * The same requests as {@link #read(DfuDriver, int, long, int, Phase, Progress, boolean)}, each block
     * handed to {@code sink} as it arrives instead of collected (a 64 MiB verify needs no 64 MiB buffer).
     *
     * @return the bytes read: {@code length}, or fewer after a short frame
     */
    int read(DfuDriver drv, int alt, long address, int length, Phase phase, Progress pr, boolean perBlock, UploadSink sink)
            throws DfuException {
        selectAlt(alt, phase);
        int transfer = context.transferSize(drv.quirks());
        int done = 0;
        while (done < length) {
            long at = address + done;
            if (needsIdle) {
                drv.abortToIdle(phase, at);
                needsIdle = false;
            }
            drv.command(DfuseCommand.setAddress(at), phase);
            drv.abortToIdle(phase, at);
            // blocks smaller than the device's own wTransferSize would be misplaced by block number (AN3156)
            int blocks = perBlock || transfer < context.descriptor().transferSize() ? 1 : MAX_UPLOAD_BLOCKS;
            int block = 2;
            needsIdle = true;
            for (int k = 0; k < blocks && done < length; k++, block++) {
                int n = Math.min(transfer, length - done);
                byte[] data = drv.upload(block, n, phase, address + done);
                sink.accept(address + done, data);
                done += data.length;
                pr.advance(data.length, address + done - data.length);
                if (data.length < n) {
                    drv.abortToIdle(phase, null);
                    needsIdle = false;
                    return done;
                }
            }
            drv.abortToIdle(phase, null);
            needsIdle = false;
        }
        return done;
    }

    void selectAlt(int alt, Phase phase) throws DfuException {
        if (alt == currentAlt) {
            return;
        }
        if (needsIdle) {
            driver.abortToIdle(phase, null);
            needsIdle = false;
        }
        try {
            gated.selectAltSetting(alt);
        } catch (TransportException e) {
            throw DfuException.transfer("SET_INTERFACE to alt " + alt + " failed: " + e.getMessage(), phase, null, null, e);
        }
        currentAlt = alt;
    }

    void toIdle(Phase phase) throws DfuException {
        if (needsIdle) {
            driver.abortToIdle(phase, null);
            needsIdle = false;
        }
    }

    /**
     * The one place that reopens the device during an operation: waits up to {@code timeout} for it
     * to come back in DFU mode at its port ({@link #reopen}) and checks that it is the same device
     * (vendor, product and serial number); the gate keeps its permit.
     *
     * @throws DfuException (kind TRANSFER) when the device does not come back in time, or its port cannot be watched
     * @throws DfuException (kind PROTOCOL) when another device comes back (the session then counts as gone)
     */
    void reattach(Phase phase, Duration timeout) throws DfuException {
        DeviceInfo was = transport.device();
        boolean back;
        try {
            back = !timeout.isZero() && reopen(timeout);
        } catch (TransportException e) {
            throw DfuException.transfer("the device did not come back in DFU mode: " + e.getMessage(), phase, null, null, e);
        }
        if (!back) {
            throw DfuException.transfer("the device did not come back in DFU mode within " + timeout.toMillis() + " ms",
                    phase, null, null, new TransportException(TransportException.Kind.NO_DEVICE, was.path()
                            + " is not on the bus"));
        }
        DeviceInfo now = transport.device();
        if (was.vendorId() != now.vendorId() || was.productId() != now.productId()
                || !was.serial().isEmpty() && !now.serial().isEmpty() && !was.serial().equals(now.serial())) {
            gone = true;
            throw DfuException.protocol(String.format("another device came back in DFU mode (%s, serial '%s'; was %s,"
                    + " serial '%s')", now.vidPid(), now.serial(), was.vidPid(), was.serial()), phase, null, null, null);
        }
        log.debug("{} is back in DFU mode at {}", was.vidPid(), now.path());
    }

    /** The transport under the gate: the device's current enumeration. */
    DfuTransport rawTransport() {
        return transport;
    }

    /**
     * Waits up to {@code timeout} for the device to come back in DFU mode at its port (a new
     * enumeration: after a leave, a resetting write, a disconnect) and goes on with it: the new
     * transport replaces the old one under the gate and the driver, the old one is closed, alt 0 is
     * selected, the device is in dfuIDLE and no longer gone. The memory layouts are kept (a reset that
     * changes them, such as a bank-mode option byte, needs a new {@link DfuDevice}).
     *
     * @return true when the device came back in DFU mode and the session now talks to it; false when
     *         it did not come back in time (the session is unchanged)
     * @throws TransportException when the transport cannot look for the device (NOT_SUPPORTED) or the
     *                            look failed (the session is unchanged)
     */
    boolean reopen(Duration timeout) throws TransportException {
        Optional<DfuTransport> back = transport.port().awaitDfu(timeout);
        if (back.isEmpty()) {
            return false;
        }
        if (back.get() != transport) {
            closeQuietly(transport);
        }
        transport = back.get();
        gated.retarget(transport);
        currentAlt = -1;
        needsIdle = false;
        gone = false;
        return true;
    }

    void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("device is closed");
        }
        if (gone) {
            throw new IllegalStateException("the device left DFU mode; open it again");
        }
    }

    long now() {
        return transport.time().nanoTime();
    }

    Duration since(long startNanos) {
        return Duration.ofNanos(Math.max(0, now() - startNanos));
    }

    private static void closeQuietly(DfuTransport t) {
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                log.debug("closing the transport of a left enumeration failed", e);
            }
        }
    }

    /** Closes the transport. Idempotent. */
    void close() {
        if (!closed) {
            closed = true;
            transport.close();
        }
    }
}
