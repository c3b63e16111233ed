package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.DfuStatusException;
import io.github.dfu4j.dfu.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.plan.AddressingMode;
import io.github.dfu4j.plan.Block;
import io.github.dfu4j.plan.EraseStep;
import io.github.dfu4j.plan.FlashPlan;
import io.github.dfu4j.plan.FlashPlanner;
import io.github.dfu4j.plan.PlanOptions;
import io.github.dfu4j.plan.SectorKey;
import io.github.dfu4j.plan.TargetSector;
import io.github.dfu4j.plan.WriteRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download, planned once and run: the write gate's review of the full plan, the incremental
 * comparison, erase / write / verify, the SET_ADDRESS-per-block fallback with a full re-verification,
 * the option-byte write that resets the chip, and the leave. It works on the device only through
 * {@link DfuDevice}'s package-private session operations (alt selection, to-idle, the DfuSe read sequence,
 * the erase loop, leave).
 */
final class FlashJob {
    private static final Logger log = LoggerFactory.getLogger(FlashJob.class);

    private final DfuDevice device;
    private final DfuDriver drv;
    private final DeviceProfile p;
    private final FlashOptions options;
    private final ProgressListener listener;
    /** Resume after a transient fault: which sectors had one, how the device is brought back. */
    private final Resume resume;

    FlashJob(DfuDevice device, DfuDriver drv, DeviceProfile p, FlashOptions options, ProgressListener listener) {
        this.device = device;
        this.drv = drv;
        this.p = p;
        this.options = options;
        this.listener = listener;
        this.resume = new Resume(device.session(), device.layouts(), options.resumeWait());
    }

    FlashResult run(FirmwareImage image) throws DfuException {
        if (!device.functionalDescriptor().canDownload()) {
            throw new MemoryAccessException("the device does not support download (bitCanDnload is 0)", null);
        }
        if (!device.functionalDescriptor().isDfuse()) {
            WriteRequest none = new WriteRequest(List.of(), List.of(), List.of(), false, device.altSettings(), device.layouts());
            device.gate().arm(WriteGate.review(none, options.confirmed(), p, image.suffix(), device.info(), true, 1, device.reader(drv)));
            try {
                return new PlainDfu(device, drv).download(image, options, listener);
            } finally {
                device.gate().disarm();
            }
        }
        long start = device.session().now();
        long requestsBefore = drv.requestCount();
        int transfer = p.quirks().effectiveTransferSize(device.functionalDescriptor().transferSize());
        PlanOptions po = new PlanOptions(transfer, options.addressing(), options.confirmed().contains(Confirmation.OUTSIDE_LAYOUT), options.massErase(),
                options.alt(), Set.of(), p.writeAlignment());
        FlashPlan plan = FlashPlanner.plan(image, device.layouts(), po);
        // the full plan is reviewed once, before anything is sent; incremental and fallback plans are subsets of it
        WriteGate.Permit permit = WriteGate.review(requestFor(plan), options.confirmed(), p, image.suffix(), device.info(), false,
                transfer, device.reader(drv));
        device.gate().arm(permit);
        try {
            return download(drv, p, image, options, listener, plan, po, permit, start, requestsBefore);
        } finally {
            device.gate().disarm();
        }
    }

    private FlashResult download(DfuDriver drv, DeviceProfile p, FirmwareImage image, FlashOptions options,
                                 ProgressListener listener, FlashPlan plan, PlanOptions po, WriteGate.Permit permit,
                                 long start, long requestsBefore) throws DfuException {
        boolean leaving = options.leave().kind() != LeaveRequest.Kind.NONE;
        // null while leaving: the address comes from the device after the flash (defaultLeave)
        LeaveTargets.Target leaveTarget = leaving ? device.leaveTargets().resolve(options.leave(), image, plan, p) : null;
        DfuDevice.Stats stats = device.running();
        stats.bytesToWrite = plan.writtenBytes();
        List<String> warnings = new ArrayList<>(plan.warnings());
        // what the caller confirmed stays visible; the reset itself is reported in FlashResult.resetBy
        permit.findings().stream().filter(f -> f.kind() != WriteFinding.Kind.DEVICE_RESETS && f.needs().isPresent())
                .forEach(f -> warnings.add(f.messageWithRemedy()));
        warnings.addAll(p.planWarnings(plan));
        for (Map.Entry<Integer, LayoutFormatException> e : device.layoutErrors().entrySet()) {
            warnings.add("alt " + e.getKey() + " layout not understood: " + e.getValue().getMessage());
        }

        if (options.incremental()) {
            long t = device.session().now();
            Set<SectorKey> unchanged = device.readBackOf().unchangedSectors(drv, plan, options.addressing(), listener, resume);
            stats.read = stats.read.plus(device.session().since(t));
            if (!unchanged.isEmpty()) {
                plan = FlashPlanner.plan(image, device.layouts(), po.withUnchangedSectors(unchanged));
                stats.bytesToWrite = plan.writtenBytes();
            }
        }
        AddressingMode used = options.addressing() == AddressingMode.SET_ADDRESS_PER_BLOCK
                ? AddressingMode.SET_ADDRESS_PER_BLOCK : AddressingMode.BLOCK_NUMBER;
        boolean fallback = false;
        try {
            execute(drv, plan, options.verify(), listener, stats, permit);
        } catch (VerifyException | DfuStatusException e) {
            if (options.addressing() != AddressingMode.AUTO || !readsOrWritesBlockNumbers(plan, po.transferSize())
                    || !misaddressingSymptom(e)) {
                throw e;
            }
            // The device may not honour block numbers (writes every block at the pointer, or uses
            // another multiplier): verification sees other bytes, or a strict flash refuses to program
            // over bytes a misplaced block already wrote. Erase and write again with a SET_ADDRESS
            // before every block.
            log.warn("{} with block-number addressing; retrying with SET_ADDRESS per block", e.getMessage());
            warnings.add(e.getMessage() + " with block-number addressing; erased and wrote again with SET_ADDRESS"
                    + " before every block (blocks the device misplaced outside the planned sectors are not undone)");
            if (e instanceof DfuStatusException) {
                device.session().markNeedsIdle(false);
                drv.recoverToIdle(Phase.WRITE);
            }
            // The incremental "unchanged" judgement was read through the same block numbers the device
            // was just found to misplace (and misplaced blocks may since have landed in those sectors):
            // forget it. The second pass erases, writes and verifies every sector of the image.
            plan = FlashPlanner.plan(image, device.layouts(), po.withAddressing(AddressingMode.SET_ADDRESS_PER_BLOCK));
            stats.startOver(); // the result describes the pass that counts; its time and wedges stay
            stats.bytesToWrite = plan.writtenBytes();
            execute(drv, plan, true, listener, stats, permit);
            used = AddressingMode.SET_ADDRESS_PER_BLOCK;
            fallback = true;
        }

        Optional<MemoryRange> resetBy = ResettingWrite.run(device, drv, plan, permit, options, stats, warnings);
        Optional<LeaveResult> leave = Optional.empty();
        if (leaving && resetBy.isPresent()) {
            warnings.add("not leaving DFU mode: the option-byte write already reset the device");
        } else if (leaving) {
            long t = device.session().now();
            LeaveTargets.Target target = leaveTarget;
            try {
                if (target == null) {
                    target = device.leaveTargets().deviceDefault(p, device.reader(drv));
                }
                leave = Optional.of(device.leave(drv, target, options.reopenTimeout(), listener));
            } catch (DfuCancelledException e) {
                throw e;
            } catch (DfuException e) {
                log.warn("flash verified, but leaving DFU mode failed: {}", e.getMessage());
                leave = Optional.of(new LeaveResult(LeaveResult.Outcome.FAILED,
                        target != null ? target.address() : OptionalLong.empty(),
                        target != null ? target.source() : LeaveResult.AddressSource.RESET_VECTOR, false, device.session().since(t),
                        Optional.of(e)));
            }
            stats.leave = device.session().since(t);
        }
        Timings timings = new Timings(stats.read, stats.erase, stats.write, stats.verify, stats.leave, device.session().since(start));
        return new FlashResult(options.verify() && stats.unverifiedBytes == 0, stats.verifiedBytes, stats.unverifiedBytes, stats.erased, stats.massErased, stats.written,
                stats.bytesWritten, stats.blocksWritten, stats.blankSkipped, plan.unchangedSectors().size(), used,
                fallback, stats.wedges, drv.requestCount() - requestsBefore, timings, leave, warnings, Optional.of(plan), resetBy);
    }

    /** Failures a device that mis-addresses blocks produces: a read-back mismatch, or a refused write. */
    private static boolean misaddressingSymptom(DfuException e) {
        if (e instanceof VerifyException) {
            return true;
        }
        if (e instanceof DfuStatusException se && se.phase().orElse(null) == Phase.WRITE) {
            return switch (se.status()) {
                case ERR_WRITE, ERR_PROG, ERR_CHECK_ERASED, ERR_VERIFY, ERR_ADDRESS, ERR_TARGET -> true;
                default -> false;
            };
        }
        return false;
    }

    /** The pass wrote some block through a block number above 2, or kept sectors judged through them. */
    private static boolean readsOrWritesBlockNumbers(FlashPlan plan, int transfer) {
        for (WriteRun r : plan.writes()) {
            if (!r.perBlockAddressing() && r.blocks().stream().anyMatch(b -> b.blockNumber() > 2)) {
                return true;
            }
        }
        // sectors judged unchanged through block numbers (a multi-block sector) may have been judged wrongly
        if (plan.options().addressing() != AddressingMode.SET_ADDRESS_PER_BLOCK) {
            for (TargetSector t : plan.targetSectors()) {
                if (plan.unchangedSectors().contains(t.key()) && t.sector().size() > transfer) {
                    return true;
                }
            }
        }
        return false;
    }

    private void execute(DfuDriver drv, FlashPlan plan, boolean verify, ProgressListener listener, DfuDevice.Stats stats,
                         WriteGate.Permit permit) throws DfuException {
        long t = device.session().now();
        erase(drv, plan, listener, stats);
        stats.erase = stats.erase.plus(device.session().since(t));
        t = device.session().now();
        write(drv, plan, listener, stats, permit);
        stats.write = stats.write.plus(device.session().since(t));
        if (verify) {
            t = device.session().now();
            device.readBackOf().verify(drv, plan, listener, stats, permit, resume);
            stats.verify = stats.verify.plus(device.session().since(t));
        } else {
            for (WriteRun r : plan.writes()) {
                if (!ResettingWrite.resets(permit, r)) {
                    stats.unverifiedBytes += r.writtenBytes();
                }
            }
        }
    }

    /** The erase pass; an erase a transient fault interrupted is sent again ({@link Resume}). */
    private void erase(DfuDriver drv, FlashPlan plan, ProgressListener listener, DfuDevice.Stats stats) throws DfuException {
        Progress pr = Progress.start(listener, Phase.ERASE, device.session().eraseTotal(plan.erases()), -1);
        for (EraseStep e : plan.erases()) {
            while (true) {
                try {
                    device.session().eraseStep(drv, e, stats, pr);
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

    private void write(DfuDriver drv, FlashPlan plan, ProgressListener listener, DfuDevice.Stats stats, WriteGate.Permit permit)
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
                             DfuDevice.Stats stats, Progress pr) throws DfuException {
        List<Block> blocks = run.blocks();
        if (only != null && blocks.subList(from, to).stream().noneMatch(b -> inside(only, run.alt(), b))) {
            return;
        }
        at.block = from;
        at.programming = false;
        device.session().selectAlt(run.alt(), Phase.WRITE);
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
            drv.downloadBlock(b.blockNumber(), b.data(), Phase.WRITE, b.address());
            stats.pending = null;
            device.session().markNeedsIdle(true);
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
                            DfuDevice.Stats stats) throws DfuException {
        WriteRun run = plan.writes().get(ri);
        Block b = run.blocks().get(at.block);
        List<EraseStep> redo = at.programming ? erasesCovering(plan, run.alt(), b) : List.of();
        if (redo == null) {
            throw e; // the plan does not erase where this block goes: it cannot be written again
        }
        List<SectorKey> keys = redo.isEmpty() ? resume.sectors(run.alt(), b.address(), b.address() + b.length())
                : redo.stream().map(FlashJob::keyOf).toList();
        List<MemoryRange> ranges = new ArrayList<>();
        for (EraseStep s : redo) {
            MemoryRange whole = s instanceof EraseStep.SectorErase se ? new MemoryRange(se.alt(), se.sector().start(), se.sector().end())
                    : device.session().wholeMemory(s.alt());
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
            DfuDevice.Stats scratch = new DfuDevice.Stats();
            for (EraseStep s : redo) {
                device.session().eraseStep(drv, s, scratch, Progress.silent());
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
        out.sort(java.util.Comparator.comparingLong(e -> ((EraseStep.SectorErase) e).sector().start()));
        for (EraseStep e : out) {
            EraseStep.SectorErase s = (EraseStep.SectorErase) e;
            if (s.sector().start() > covered) {
                return null;
            }
            covered = Math.max(covered, s.sector().end());
        }
        return covered >= end ? out : null;
    }

    /** What a plan writes, erases and mass-erases, for the write gate. */
    private WriteRequest requestFor(FlashPlan plan) {
        List<WriteRequest.Chunk> writes = new ArrayList<>();
        for (WriteRun run : plan.writes()) {
            if (!run.blocks().isEmpty()) {
                writes.add(new WriteRequest.Chunk(run.alt(), run.start(), run.end() - run.start(), run::expectedContent));
            }
        }
        List<MemoryRange> erases = new ArrayList<>();
        List<Integer> mass = new ArrayList<>();
        for (EraseStep e : plan.erases()) {
            if (e instanceof EraseStep.SectorErase se) {
                erases.add(new MemoryRange(se.alt(), se.sector().start(), se.sector().end()));
            } else {
                mass.add(e.alt());
            }
        }
        return new WriteRequest(writes, erases, mass, false, device.altSettings(), device.layouts());
    }
}
