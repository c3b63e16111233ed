package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.dfu.internal.CommandResult;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.internal.EraseStep;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasing through a {@link DfuSession}: the erase steps of a flash plan ({@link FlashPasses}), and the
 * erase operations of {@link DfuDevice} (the sectors of a range, a mass erase, READ_UNPROTECT), each
 * reviewed by the write gate first. A wedged erase the driver recovered with CLRSTATUS is confirmed
 * blank by read-back.
 */
final class EraseJob {
    private static final Logger log = LoggerFactory.getLogger(EraseJob.class);

    private final DfuSession session;
    private final DeviceContext context;

    EraseJob(DfuSession session) {
        this.session = session;
        this.context = session.context();
    }

    /** What an erase pass covers, in bytes (its progress total). */
    long total(List<EraseStep> erases) {
        long total = 0;
        for (EraseStep e : erases) {
            total += e instanceof EraseStep.SectorErase s ? s.sector().size() : context.erasableBytes(e.alt());
        }
        return total;
    }

    /** One step of an erase pass: a sector erase (a wedge recovery is confirmed by read-back) or a mass erase. */
    void step(DfuDriver drv, EraseStep e, JobStats stats, Progress pr) throws DfuException {
        session.selectAlt(e.alt(), Phase.ERASE);
        if (e instanceof EraseStep.SectorErase s) {
            eraseSector(drv, e.alt(), s.sector(), stats, pr);
        } else {
            massEraseStep(drv, e.alt(), stats);
            pr.advance(context.erasableBytes(e.alt()), -1);
        }
    }

    private void eraseSector(DfuDriver drv, int alt, Sector sector, JobStats stats, Progress pr) throws DfuException {
        stats.pending = new MemoryRange(alt, sector.start(), sector.end());
        CommandResult r = session.erase(drv, DfuseCommand.erasePage(sector.start()));
        stats.pending = null;
        noteWedge(r, stats);
        confirmWedgedErase(drv, r, alt, sector);
        stats.erased.add(new MemoryRange(alt, sector.start(), sector.end()));
        pr.advance(sector.size(), sector.start());
    }

    private void massEraseStep(DfuDriver drv, int alt, JobStats stats) throws DfuException {
        stats.pending = context.wholeMemory(alt);
        CommandResult r = session.erase(drv, DfuseCommand.massErase());
        stats.pending = null;
        noteWedge(r, stats);
        stats.massErased.add(alt);
    }

    private static void noteWedge(CommandResult r, JobStats stats) {
        if (r.ending() == CommandResult.Ending.RECOVERED_FROM_WEDGE) {
            stats.wedges++;
            log.info("erase wedged in dfuDNBUSY; recovered with CLRSTATUS, CLRSTATUS");
        }
    }

    /**
     * A wedge recovery only says the ROM is back in dfuIDLE; that the erase itself completed is the
     * quirk report's claim. Check it now, whether or not the caller asked for verification: read the
     * sector back and require it blank. Safer than trusting it (a flash that was not erased can take
     * half of a later write silently when verify is off) and cheaper than failing every wedge.
     */
    private void confirmWedgedErase(DfuDriver drv, CommandResult r, int alt, Sector sector) throws DfuException {
        if (r.ending() != CommandResult.Ending.RECOVERED_FROM_WEDGE) {
            return;
        }
        String hint = drv.quirks().wedgedErase().hint().isEmpty() ? "" : "; " + drv.quirks().wedgedErase().hint();
        if (!context.descriptor().canUpload() || !sector.access().readable()) {
            throw DfuException.protocol("erase wedged in dfuDNBUSY and was recovered with CLRSTATUS, but the sector"
                    + " cannot be read back to confirm it is blank" + hint, Phase.ERASE, sector.start(), null, null);
        }
        byte[] back = session.read(drv, alt, sector.start(), Math.toIntExact(sector.size()), Phase.ERASE, Progress.silent(), false);
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

    /** Arms the write gate with the review of {@code request} (no confirmations, no suffix). */
    private void arm(DfuDriver drv, WriteRequest request, Set<Confirmation> confirmed) throws DfuException {
        session.gate().arm(WriteGate.review(request, confirmed, context.profile(), Optional.empty(),
                session.info(), false, 1, session.reader(drv)));
    }

    /** Erases every sector that overlaps [from, to) of the alternate setting (arguments checked by the caller). */
    EraseResult eraseRange(DfuDriver drv, int alt, long from, long to, ProgressListener listener, JobStats stats)
            throws DfuException {
        long start = session.now();
        List<Sector> sectors = context.layouts().get(alt).sectorsIn(from, to);
        List<MemoryRange> toErase = sectors.stream().map(s -> new MemoryRange(alt, s.start(), s.end())).toList();
        arm(drv, new WriteRequest(List.of(), toErase, List.of(), false, context.alts(), context.layouts()), Set.of());
        try {
            long total = sectors.stream().mapToLong(Sector::size).sum();
            Progress pr = Progress.start(listener, Phase.ERASE, total, from);
            for (Sector s : sectors) {
                session.selectAlt(alt, Phase.ERASE);
                eraseSector(drv, alt, s, stats, pr);
            }
            session.toIdle(Phase.ERASE);
            pr.finish();
            return new EraseResult(stats.erased, false, stats.wedges, session.since(start));
        } finally {
            session.gate().disarm();
        }
    }

    /** DfuSe mass erase of the memory behind an alternate setting. */
    EraseResult massErase(DfuDriver drv, int alt, ProgressListener listener, JobStats stats) throws DfuException {
        long start = session.now();
        Progress pr = Progress.start(listener, Phase.ERASE, context.erasableBytes(alt), -1);
        session.selectAlt(alt, Phase.ERASE);
        arm(drv, new WriteRequest(List.of(), List.of(), List.of(alt), false, context.alts(), context.layouts()), Set.of());
        try {
            massEraseStep(drv, alt, stats);
        } finally {
            session.gate().disarm();
        }
        session.toIdle(Phase.ERASE);
        pr.finish();
        return new EraseResult(List.of(), true, stats.wedges, session.since(start));
    }

    /** DfuSe READ_UNPROTECT, reviewed with the caller's confirmations; the device is gone afterwards. */
    void readUnprotect(DfuDriver drv, Set<Confirmation> confirmed) throws DfuException {
        arm(drv, new WriteRequest(List.of(), List.of(), List.of(), true, context.alts(), context.layouts()), confirmed);
        try {
            session.toIdle(Phase.ERASE);
            drv.command(DfuseCommand.readUnprotect(), Phase.ERASE);
        } finally {
            session.gate().disarm();
        }
        session.markGone();
    }
}
