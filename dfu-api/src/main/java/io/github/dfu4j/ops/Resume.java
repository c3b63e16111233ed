package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatus;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.layout.MemoryLayout;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.internal.SectorKey;
import io.github.dfu4j.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resume after a transient fault, for one download (docs/user-guide.md, "What verified means"). A
 * request of the flash that stalls, times out or finds the device gone does not end the flash: the
 * device is brought back to dfuIDLE (CLRSTATUS or ABORT; after a disconnect it is first reopened once
 * it is back in DFU mode, within {@link FlashOptions#resumeWait()}), and the caller redoes the piece
 * of work the fault interrupted: the erase of that sector; a block write, after erasing the sector
 * again and writing what the plan had already written into it (its contents are unknown); a read.
 * Everything before it stands (the device confirmed each erase and block with its status), and the
 * final verification reads back every byte of the image anyway.
 *
 * <p>One fault per sector: a second fault touching a sector that already had one ends the flash with
 * that fault's exception (after a fault in the writes of a mass-erase flash, which erases all of the
 * memory again, the whole memory counts as that sector). Cancellation is never retried, nor is anything the device reports as a
 * refusal (see {@link #TRANSIENT_STATUS}).
 */
final class Resume {
    private static final Logger log = LoggerFactory.getLogger(Resume.class);

    /**
     * The device statuses worth one more attempt. DFU 1.1 §6.1.2 defines errSTALLEDPKT as "device
     * stalled an unexpected request" (the request sequence went wrong, not the memory), and errUSBR /
     * errPOR as an unexpected USB or power-on reset (the device lost its state, which the recovery
     * rebuilds; the interrupted sector is erased again). Every other status is the device's verdict
     * on the request or on the memory and is not retried blindly: errTARGET and errADDRESS refuse an
     * address (ST AN3156 answers errTARGET for an address the bootloader does not accept), errWRITE
     * and errVENDOR report protection (AN3156: read protection active), errERASE, errPROG,
     * errCHECK_ERASED and errVERIFY a failed memory operation that the same request would repeat,
     * errFILE and errFIRMWARE the image, errNOTDONE an incomplete download, and errUNKNOWN says
     * nothing a retry could rely on.
     */
    static final Set<DfuStatus> TRANSIENT_STATUS = EnumSet.of(DfuStatus.ERR_STALLEDPKT, DfuStatus.ERR_USBR, DfuStatus.ERR_POR);

    private final DfuSession session;
    private final Map<Integer, MemoryLayout> layouts;
    private final Duration reopenTimeout;
    /** Sectors that had a fault (a mass erase: start -1). */
    private final Set<SectorKey> faulted = new HashSet<>();

    Resume(DfuSession session, Duration reopenTimeout) {
        this.session = session;
        this.layouts = session.context().layouts();
        this.reopenTimeout = reopenTimeout;
    }

    /**
     * A stall, a timeout or a disconnect at the USB level, or a device status from
     * {@link #TRANSIENT_STATUS}; never a cancellation or an interrupt.
     */
    static boolean isTransient(DfuException e) {
        if (e instanceof DfuCancelledException || Thread.currentThread().isInterrupted()) {
            return false;
        }
        if (e.kind() == DfuException.Kind.DEVICE_STATUS) {
            return TRANSIENT_STATUS.contains(e.status().orElseThrow());
        }
        return e.transportError().map(t -> t.kind() == TransportException.Kind.STALL
                || t.kind() == TransportException.Kind.TIMEOUT || t.kind() == TransportException.Kind.NO_DEVICE).orElse(false);
    }

    /** The failure says the device left the bus. */
    static boolean disconnected(DfuException e) {
        return e.transportError().map(TransportException::isDisconnect).orElse(false);
    }

    /** The sectors of an alternate setting that [from, to) touches; without a layout, one key for {@code from}. */
    List<SectorKey> sectors(int alt, long from, long to) {
        MemoryLayout l = layouts.get(alt);
        List<SectorKey> out = new ArrayList<>();
        if (l != null) {
            for (Sector s : l.sectorsIn(from, Math.max(to, from + 1))) {
                out.add(new SectorKey(alt, s.start()));
            }
        }
        if (out.isEmpty()) {
            out.add(new SectorKey(alt, from));
        }
        return out;
    }

    /**
     * A request touching {@code sectors} failed with {@code e}. Returns with the device in dfuIDLE when
     * the caller may redo the interrupted work; otherwise throws {@code e}: not transient, a second
     * fault in one of these sectors, or the device cannot be brought back (that failure is attached as
     * suppressed).
     *
     * @param redo what the caller does next, for the log line
     */
    void recover(DfuDriver drv, DfuException e, Phase phase, List<SectorKey> sectors, String redo) throws DfuException {
        if (!isTransient(e)) {
            throw e;
        }
        for (SectorKey k : sectors) {
            if (faulted.contains(k)) {
                log.info("second fault in {} ({}): not retried", k, e.getMessage());
                throw e;
            }
        }
        faulted.addAll(sectors);
        try {
            backToIdle(drv, phase, disconnected(e));
        } catch (DfuCancelledException c) {
            throw c;
        } catch (DfuException r) {
            e.addSuppressed(r);
            log.debug("recovery after {} failed: {}", e.getMessage(), r.getMessage());
            throw e;
        }
        log.info("recovered from a transient fault during {} ({}); {}", phase.name().toLowerCase(java.util.Locale.ROOT),
                e.getMessage(), redo);
    }

    /**
     * Back to dfuIDLE after a transient fault: the alternate setting is selected again before the next
     * request; after a disconnect (or when the device turns out to be gone) the session reopens the
     * device first ({@link DfuSession#reattach}). Then GETSTATUS and CLRSTATUS from dfuERROR or ABORT
     * from the other states, waiting out an operation the device still executes.
     */
    private void backToIdle(DfuDriver drv, Phase phase, boolean disconnected) throws DfuException {
        session.forgetState();
        if (disconnected) {
            session.reattach(phase, reopenTimeout);
        }
        try {
            drv.recoverToIdle(phase);
        } catch (DfuCancelledException e) {
            throw e;
        } catch (DfuException e) {
            if (!disconnected && disconnected(e)) {
                session.reattach(phase, reopenTimeout); // it was a timeout or stall, but the device has gone since
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
}
