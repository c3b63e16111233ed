package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.plan.internal.Block;
import io.github.dfu4j.plan.internal.EraseStep;
import io.github.dfu4j.plan.internal.FlashPlan;
import io.github.dfu4j.plan.internal.SectorKey;
import io.github.dfu4j.plan.internal.WriteRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The erase and write passes of one {@link FlashJob} plan, resumable after a transient fault
 * ({@link Resume}): an interrupted erase is sent again; an interrupted block write erases the sectors
 * the block touches again (with the plan's own erase steps, which the write gate's permit covers),
 * writes again what the plan had already written into them, and goes on from that block. Without a
 * fault the requests are exactly those of the plan, in its order.
 */
final class FlashPasses {
    private final DfuSession session;
    private final EraseJob erasing;
    private final Resume resume;

    FlashPasses(DfuSession session, Resume resume) {
        this.session = session;
        this.erasing = new EraseJob(session);
        this.resume = resume;
    }

    /** The erase pass; an erase a transient fault interrupted is sent again ({@link Resume}). */
    void erase(DfuDriver drv, FlashPlan plan, ProgressListener listener, JobStats stats) throws DfuException {
        Progress pr = Progress.start(listener, Phase.ERASE, erasing.total(plan.erases()), -1);
        for (EraseStep e : plan.erases()) {
            while (true) {
                try {
                    erasing.step(drv, e, stats, pr);
                    break;
                } catch (DfuException ex) {
                    resume.recover(drv, ex, Phase.ERASE, List.of(keyOf(e)), "erasing " + keyOf(e) + " again");
                    stats.pending = null;
                }
            }
        }
        pr.finish();
    }

    private static SectorKey keyOf(EraseStep e) {
        return e instanceof EraseStep.SectorErase s ? s.key() : new SectorKey(e.alt(), -1);
    }

    /** Where the write pass is: the block whose requests are on the way, and whether its DNLOAD was sent. */
    private static final class Cursor {
        int block;
        boolean programming;
    }

    void write(DfuDriver drv, FlashPlan plan, ProgressListener listener, JobStats stats, WriteGate.Permit permit)
            throws DfuException {
        Progress pr = Progress.start(listener, Phase.WRITE, plan.writtenBytes(), -1);
        List<WriteRun> runs = plan.writes();
        for (int ri = 0; ri < runs.size(); ri++) {
            WriteRun run = runs.get(ri);
            if (run.blocks().isEmpty() || ResettingWrite.resets(permit, run)) {
                continue;
            }
            stats.runAlt = run.alt();
            stats.runStart = run.start();
            stats.runEnd = run.start();
            Cursor at = new Cursor();
            for (int from = 0; from >= 0; ) {
                try {
                    writeBlocks(drv, run, from, run.blocks().size(), null, at, stats, pr);
                    from = -1;
                } catch (DfuException e) {
                    from = resumeWrite(drv, plan, permit, ri, at, e, stats);
                }
            }
            stats.blankSkipped += run.skippedBlankBlocks();
            stats.written.add(new MemoryRange(run.alt(), run.start(), run.end()));
            stats.runStart = -1;
        }
        pr.finish();
    }

    /**
     * Blocks {@code from} to {@code to} (exclusive) of a run; with {@code only}, just the blocks inside
     * those ranges (a replay after a re-erase, which counts nothing). The run's SET_ADDRESS comes first
     * unless every block has its own.
     */
    private void writeBlocks(DfuDriver drv, WriteRun run, int from, int to, List<MemoryRange> only, Cursor at,
                             JobStats stats, Progress pr) throws DfuException {
        List<Block> blocks = run.blocks();
        if (only != null && blocks.subList(from, to).stream().noneMatch(b -> inside(only, run.alt(), b))) {
            return;
        }
        at.block = from;
        at.programming = false;
        session.selectAlt(run.alt(), Phase.WRITE);
        if (!run.perBlockAddressing()) {
            drv.command(DfuseCommand.setAddress(run.start()), Phase.WRITE);
        }
        for (int i = from; i < to; i++) {
            Block b = blocks.get(i);
            if (only != null && !inside(only, run.alt(), b)) {
                continue;
            }
            at.block = i;
            at.programming = false;
            if (run.perBlockAddressing()) {
                drv.command(DfuseCommand.setAddress(b.address()), Phase.WRITE);
            }
            at.programming = true;
            stats.pending = new MemoryRange(run.alt(), b.address(), b.address() + b.length());
            session.download(drv, b.blockNumber(), b.data(), Phase.WRITE, b.address());
            stats.pending = null;
            if (only == null) {
                stats.runEnd = b.address() + b.length();
                stats.bytesWritten += b.length();
                stats.blocksWritten++;
                pr.advance(b.length(), b.address());
            }
        }
    }

    private static boolean inside(List<MemoryRange> ranges, int alt, Block b) {
        return ranges.stream().anyMatch(r -> r.alt() == alt && r.start() <= b.address() && b.address() + b.length() <= r.end());
    }

    private static boolean touches(List<MemoryRange> ranges, int alt, Block b) {
        return ranges.stream().anyMatch(r -> r.alt() == alt && r.start() < b.address() + b.length() && b.address() < r.end());
    }

    /**
     * A fault interrupted block {@code at} of run {@code ri}. After a DNLOAD, the sectors that block
     * touches hold unknown bytes: erase them again (the plan's own erase steps, so the write gate's
     * permit covers them) and write again what the plan had written into them before the fault. A fault
     * before the block's DNLOAD (its SET_ADDRESS) changed no memory. Returns the block to go on from;
     * throws the fault when it cannot be resumed.
     */
    private int resumeWrite(DfuDriver drv, FlashPlan plan, WriteGate.Permit permit, int ri, Cursor at, DfuException e,
                            JobStats stats) throws DfuException {
        WriteRun run = plan.writes().get(ri);
        Block b = run.blocks().get(at.block);
        List<EraseStep> redo = at.programming ? erasesCovering(plan, run.alt(), b) : List.of();
        if (redo == null) {
            throw e; // the plan does not erase where this block goes: it cannot be written again
        }
        List<SectorKey> keys = redo.isEmpty() ? resume.sectors(run.alt(), b.address(), b.address() + b.length())
                : redo.stream().map(FlashPasses::keyOf).toList();
        List<MemoryRange> ranges = new ArrayList<>();
        for (EraseStep s : redo) {
            MemoryRange whole = s instanceof EraseStep.SectorErase se ? new MemoryRange(se.alt(), se.sector().start(), se.sector().end())
                    : session.context().wholeMemory(s.alt());
            ranges.add(whole != null ? whole : new MemoryRange(s.alt(), 0, 1L << 32));
        }
        // every block written before into these sectors must lie wholly inside them: a block reaching into
        // a sector that is not erased again could not be written again
        for (int rj = 0; rj <= ri; rj++) {
            WriteRun r = plan.writes().get(rj);
            int upto = rj == ri ? at.block : r.blocks().size();
            if (ResettingWrite.resets(permit, r)) {
                continue;
            }
            for (Block earlier : r.blocks().subList(0, upto)) {
                if (touches(ranges, r.alt(), earlier) && !inside(ranges, r.alt(), earlier)) {
                    throw e;
                }
            }
        }
        resume.recover(drv, e, Phase.WRITE, keys, redo.isEmpty() ? "writing on from 0x" + Long.toHexString(b.address())
                : "erasing " + keys + " again, writing what the plan had written there, and writing on from 0x"
                + Long.toHexString(b.address()));
        stats.pending = null;
        if (!redo.isEmpty()) {
            JobStats scratch = new JobStats();
            for (EraseStep s : redo) {
                erasing.step(drv, s, scratch, Progress.silent());
            }
            stats.wedges += scratch.wedges;
            Cursor replay = new Cursor();
            for (int rj = 0; rj <= ri; rj++) {
                WriteRun r = plan.writes().get(rj);
                if (!r.blocks().isEmpty() && !ResettingWrite.resets(permit, r)) {
                    writeBlocks(drv, r, 0, rj == ri ? at.block : r.blocks().size(), ranges, replay, stats, Progress.silent());
                }
            }
        }
        return at.block;
    }

    /**
     * The plan's erase steps that cover a block: its mass erase of the alt, or the sector erases of every
     * sector the block touches; null when the plan does not erase all of them.
     */
    private static List<EraseStep> erasesCovering(FlashPlan plan, int alt, Block b) {
        List<EraseStep> out = new ArrayList<>();
        long end = b.address() + b.length();
        long covered = b.address();
        for (EraseStep e : plan.erases()) {
            if (e.alt() != alt) {
                continue;
            }
            if (e instanceof EraseStep.MassErase) {
                return List.of(e);
            }
            EraseStep.SectorErase s = (EraseStep.SectorErase) e;
            if (s.sector().start() < end && b.address() < s.sector().end()) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(e -> ((EraseStep.SectorErase) e).sector().start()));
        for (EraseStep e : out) {
            EraseStep.SectorErase s = (EraseStep.SectorErase) e;
            if (s.sector().start() > covered) {
                return null;
            }
            covered = Math.max(covered, s.sector().end());
        }
        return covered >= end ? out : null;
    }
}
