package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.FunctionalDescriptor;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.MemoryRegion;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.internal.EraseStep;
import io.github.dfu4j.transport.DeviceInfo;
import io.github.dfu4j.transport.DfuTransport;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device session behind a {@link DfuDevice}: it owns the transport (raw, and the
 * {@link GatedTransport} every request goes through), the default driver, the selected alt setting,
 * whether the device must be ABORTed to dfuIDLE before the next command, and whether it is gone. When
 * the device left the bus and comes back in DFU mode, {@link #reopen} finds it through the transport's
 * {@link io.github.dfu4j.transport.DevicePort} and goes on with the new transport: nothing hands an
 * open transport to the caller. It offers what the operations are built from: select an alt, back to
 * idle, an erase step, the DfuSe read sequence, and the recovery after a transient fault (reopening
 * the device after a disconnect, {@link #reattach}).
 */
final class DfuSession {
    private static final Logger log = LoggerFactory.getLogger(DfuSession.class);
    private static final int MAX_UPLOAD_BLOCKS = 0xFFFF - 1;

    private DfuTransport transport;
    private final GatedTransport gated;
    private final DfuDriver driver;
    private final FunctionalDescriptor descriptor;
    private final Map<Integer, MemoryLayout> layouts;
    private int currentAlt = -1;
    private boolean needsIdle;
    private boolean gone;
    private boolean closed;

    DfuSession(DfuTransport transport, FunctionalDescriptor descriptor, Map<Integer, MemoryLayout> layouts,
               io.github.dfu4j.dfu.DfuQuirks quirks) {
        this.transport = transport;
        this.descriptor = descriptor;
        this.layouts = layouts;
        this.gated = new GatedTransport(transport, descriptor.isDfuse());
        this.driver = new DfuDriver(gated, quirks);
    }

    DfuDriver driver() {
        return driver;
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

    boolean needsIdle() {
        return needsIdle;
    }

    /** What an erase pass covers, in bytes (its progress total). */
    long eraseTotal(List<EraseStep> erases) {
        long total = 0;
        for (EraseStep e : erases) {
            total += e instanceof EraseStep.SectorErase s ? s.sector().size() : erasableBytes(e.alt());
        }
        return total;
    }

    /** One step of an erase pass: a sector erase (a wedge recovery is confirmed by read-back) or a mass erase. */
    void eraseStep(DfuDriver drv, EraseStep e, DfuDevice.Stats stats, Progress pr) throws DfuException {
        selectAlt(e.alt(), Phase.ERASE);
        CommandResult r;
        if (e instanceof EraseStep.SectorErase s) {
            stats.pending = new MemoryRange(e.alt(), s.sector().start(), s.sector().end());
            r = drv.command(DfuseCommand.erasePage(s.sector().start()), Phase.ERASE);
            stats.pending = null;
            noteEnding(r, stats);
            confirmWedgedErase(drv, r, e.alt(), s.sector());
            stats.erased.add(new MemoryRange(e.alt(), s.sector().start(), s.sector().end()));
            pr.advance(s.sector().size(), s.sector().start());
        } else {
            stats.pending = wholeMemory(e.alt());
            r = drv.command(DfuseCommand.massErase(), Phase.ERASE);
            stats.pending = null;
            noteEnding(r, stats);
            stats.massErased.add(e.alt());
            pr.advance(erasableBytes(e.alt()), -1);
        }
    }

    void noteEnding(CommandResult r, DfuDevice.Stats stats) {
        if (r.ending() == CommandResult.Ending.RECOVERED_FROM_WEDGE) {
            stats.wedges++;
            log.info("erase wedged in dfuDNBUSY; recovered with CLRSTATUS, CLRSTATUS");
            needsIdle = false;
        } else {
            needsIdle = true;
        }
    }

    /**
     * A wedge recovery only says the ROM is back in dfuIDLE; that the erase itself completed is the
     * quirk report's claim. Check it now, whether or not the caller asked for verification: read the
     * sector back and require it blank. Safer than trusting it (a flash that was not erased can take
     * half of a later write silently when verify is off) and cheaper than failing every wedge.
     */
    void confirmWedgedErase(DfuDriver drv, CommandResult r, int alt, Sector sector) throws DfuException {
        if (r.ending() != CommandResult.Ending.RECOVERED_FROM_WEDGE) {
            return;
        }
        String hint = drv.quirks().wedgedErase().hint().isEmpty() ? "" : "; " + drv.quirks().wedgedErase().hint();
        if (!descriptor.canUpload() || !sector.access().readable()) {
            throw DfuException.protocol("erase wedged in dfuDNBUSY and was recovered with CLRSTATUS, but the sector"
                    + " cannot be read back to confirm it is blank" + hint, Phase.ERASE, sector.start(), null, null);
        }
        byte[] back = read(drv, alt, sector.start(), Math.toIntExact(sector.size()), Phase.ERASE, Progress.silent(), false);
        for (int i = 0; i < sector.size(); i++) {
            if (i >= back.length || back[i] != (byte) 0xFF) {
                String found = i >= back.length ? "the device returned only " + back.length + " bytes"
                        : String.format("0x%02x at 0x%08x", back[i] & 0xFF, sector.start() + i);
                throw DfuException.protocol("erase wedged in dfuDNBUSY and was recovered with CLRSTATUS, but the sector"
                        + " is not blank (" + found + ")" + hint, Phase.ERASE, sector.start(), null, null);
            }
        }
        log.info("wedged erase of 0x{} confirmed blank by read-back", Long.toHexString(sector.start()));
    }

    /** The span of an alternate setting's layout (what a mass erase may touch), or null without a layout. */
    MemoryRange wholeMemory(int alt) {
        MemoryLayout l = layouts.get(alt);
        if (l == null || l.regions().isEmpty()) {
            return null;
        }
        long end = 0;
        for (MemoryRegion r : l.regions()) {
            end = Math.max(end, r.end());
        }
        return new MemoryRange(alt, l.start(), end);
    }

    long erasableBytes(int alt) {
        MemoryLayout l = layouts.get(alt);
        long n = 0;
        if (l != null) {
            for (MemoryRegion r : l.regions()) {
                if (r.access().erasable()) {
                    n += r.size();
                }
            }
        }
        return n;
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
        int transfer = drv.quirks().effectiveTransferSize(descriptor.transferSize());
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
            int blocks = perBlock || transfer < descriptor.transferSize() ? 1 : MAX_UPLOAD_BLOCKS;
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

    void markNeedsIdle(boolean value) {
        needsIdle = value;
    }

    void markGone() {
        gone = true;
    }


    /**
     * Back to dfuIDLE after a transient fault, for {@link Resume}: the alternate setting is selected
     * again before the next request; after a disconnect (or when the device turns out to be gone) the
     * device is reopened first ({@link #reattach}). Then GETSTATUS and CLRSTATUS from dfuERROR or
     * ABORT from the other states, waiting out an operation the device still executes.
     */
    void recoverAfterFault(DfuDriver drv, Phase phase, boolean disconnected, Duration reopenTimeout) throws DfuException {
        currentAlt = -1;
        needsIdle = false;
        if (disconnected) {
            reattach(phase, reopenTimeout);
        }
        try {
            drv.recoverToIdle(phase);
        } catch (DfuCancelledException e) {
            throw e;
        } catch (DfuException e) {
            if (!disconnected && Resume.disconnected(e)) {
                reattach(phase, reopenTimeout); // it was a timeout or stall, but the device has gone since
                drv.recoverToIdle(phase);
            } else if (phase == Phase.ERASE && drv.quirks().wedgedErase().recover()) {
                // the fault hit the CLRSTATUS of a wedge recovery (H74x bank 2): the erase stays in
                // dfuDNBUSY until CLRSTATUS, CLRSTATUS, which the quirk allows there
                log.debug("still wedged after the fault ({}); CLRSTATUS, CLRSTATUS", e.getMessage());
                drv.clearStatus(phase);
                if (drv.getStatus(phase).state() == io.github.dfu4j.dfu.DfuState.DFU_ERROR) {
                    drv.clearStatus(phase);
                }
                drv.recoverToIdle(phase);
            } else {
                throw e;
            }
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
