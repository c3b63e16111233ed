package io.github.dfu4j.ops;

import io.github.dfu4j.ops.FlashResult.Timings;
import io.github.dfu4j.dfu.DfuCancelledException;
import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.FirmwareImage;
import io.github.dfu4j.layout.LayoutFormatException;
import io.github.dfu4j.plan.internal.EraseStep;
import io.github.dfu4j.plan.internal.FlashPlan;
import io.github.dfu4j.plan.internal.FlashPlanner;
import io.github.dfu4j.plan.internal.PlanOptions;
import io.github.dfu4j.plan.internal.SectorKey;
import io.github.dfu4j.plan.internal.TargetSector;
import io.github.dfu4j.plan.internal.WriteRun;
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
 * the option-byte write that resets the chip ({@link ResettingWrite}), and the leave ({@link LeaveTargets}
 * chooses the target from the image and the plan, {@link LeaveJob} leaves). It works on the device only
 * through the {@link DfuSession}. The erase and write passes ({@link FlashPasses}) and the read-backs
 * ({@link ReadBack}) resume after a transient fault ({@link Resume}). A plain DFU 1.1 device gets
 * {@link PlainDfu}'s addressless stream instead.
 */
final class FlashJob {
    private static final Logger log = LoggerFactory.getLogger(FlashJob.class);

    private final DfuSession session;
    private final DeviceContext context;
    private final DfuDriver drv;
    private final DeviceProfile p;
    private final FlashOptions options;
    private final ProgressListener listener;
    /** Resume after a transient fault: which sectors had one, how the device is brought back. */
    private final Resume resume;
    /** The erase and write passes, resumable. */
    private final FlashPasses passes;
    /** The verification and the incremental comparison. */
    private final ReadBack readBack;
    /** Where the leave jumps. */
    private final LeaveTargets leaveTargets;
    /** What this download has done so far (also what a cancel reports). */
    private final JobStats stats;

    FlashJob(DfuSession session, DfuDriver drv, DeviceProfile p, FlashOptions options, ProgressListener listener,
             JobStats stats) {
        this.session = session;
        this.context = session.context();
        this.drv = drv;
        this.p = p;
        this.options = addressingFor(options, context, p);
        this.listener = listener;
        this.stats = stats;
        this.resume = new Resume(session, options.resumeWait());
        this.passes = new FlashPasses(session, resume);
        this.readBack = new ReadBack(session);
        this.leaveTargets = new LeaveTargets(context.layouts(), context.descriptor());
    }

    /**
     * A DfuSe device places block n at pointer + (n - 2) * its own wTransferSize (AN3156), so blocks smaller
     * than that (a transfer size capped by the profile or chosen by the caller) each need their own SET_ADDRESS.
     */
    private static FlashOptions addressingFor(FlashOptions options, DeviceContext context, DeviceProfile p) {
        int reported = context.descriptor().transferSize();
        if (context.descriptor().isDfuse() && options.addressing() == AddressingMode.AUTO
                && p.quirks().effectiveTransferSize(reported) < reported) {
            return options.toBuilder().addressing(AddressingMode.SET_ADDRESS_PER_BLOCK).build();
        }
        return options;
    }

    FlashResult run(FirmwareImage image) throws DfuException {
        if (!context.descriptor().canDownload()) {
            throw DfuException.memoryAccess("the device does not support download (bitCanDnload is 0)", null);
        }
        if (!context.descriptor().isDfuse()) {
            return new PlainDfu(session, drv).flash(image, options, p, listener);
        }
        long start = session.now();
        long requestsBefore = drv.requestCount();
        int transfer = context.transferSize(p.quirks());
        PlanOptions po = new PlanOptions(transfer, options.addressing(), options.confirmations().contains(Confirmation.OUTSIDE_LAYOUT), options.massErase(),
                options.alt(), Set.of(), p.writeAlignment());
        FlashPlan plan = FlashPlanner.plan(image, context.layouts(), po);
        // the full plan is reviewed once, before anything is sent; incremental and fallback plans are subsets of it
        WriteGate.Permit permit = WriteGate.review(requestFor(plan), options.confirmations(), p, image.suffix(), session.info(), false,
                transfer, session.reader(drv));
        if (options.confirmations().contains(Confirmation.DEVICE_RESET)) {
            permit = permit.resettingEveryWrite();
        }
        session.gate().arm(permit);
        try {
            return download(drv, p, image, options, listener, plan, po, permit, start, requestsBefore);
        } finally {
            session.gate().disarm();
        }
    }

    private FlashResult download(DfuDriver drv, DeviceProfile p, FirmwareImage image, FlashOptions options,
                                 ProgressListener listener, FlashPlan plan, PlanOptions po, WriteGate.Permit permit,
                                 long start, long requestsBefore) throws DfuException {
        boolean leaving = options.leave().kind() != LeaveRequest.Kind.NONE;
        // null while leaving: the address comes from the device after the flash (defaultLeave)
        LeaveTargets.Target leaveTarget = leaving ? leaveTargets.resolve(options.leave(), image, plan, p) : null;
        stats.bytesToWrite = plan.writtenBytes();
        List<String> warnings = new ArrayList<>(plan.warnings());
        // what the caller confirmed stays visible; the reset itself is reported in FlashResult.resetBy
        permit.findings().stream().filter(f -> f.kind() != WriteFinding.Kind.DEVICE_RESETS && f.needs().isPresent())
                .forEach(f -> warnings.add(f.messageWithRemedy()));
        for (Map.Entry<Integer, LayoutFormatException> e : context.layoutErrors().entrySet()) {
            warnings.add("alt " + e.getKey() + " layout not understood: " + e.getValue().getMessage());
        }

        if (options.incremental()) {
            long t = session.now();
            Set<SectorKey> unchanged = readBack.unchangedSectors(drv, plan, options.addressing(), listener, resume);
            stats.read = stats.read.plus(session.since(t));
            if (!unchanged.isEmpty()) {
                plan = FlashPlanner.plan(image, context.layouts(), po.withUnchangedSectors(unchanged));
                stats.bytesToWrite = plan.writtenBytes();
            }
        }
        AddressingMode used = options.addressing() == AddressingMode.SET_ADDRESS_PER_BLOCK
                ? AddressingMode.SET_ADDRESS_PER_BLOCK : AddressingMode.BLOCK_NUMBER;
        boolean fallback = false;
        try {
            execute(drv, plan, options.verify(), listener, stats, permit);
        } catch (DfuException e) { // a VerifyException or a device status, else rethrown below
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
            if (e.kind() == DfuException.Kind.DEVICE_STATUS) {
                session.recoverToIdle(drv, Phase.WRITE);
            }
            // The incremental "unchanged" judgement was read through the same block numbers the device
            // was just found to misplace (and misplaced blocks may since have landed in those sectors):
            // forget it. The second pass erases, writes and verifies every sector of the image.
            plan = FlashPlanner.plan(image, context.layouts(), po.withAddressing(AddressingMode.SET_ADDRESS_PER_BLOCK));
            stats.startOver(); // the result describes the pass that counts; its time and wedges stay
            stats.bytesToWrite = plan.writtenBytes();
            execute(drv, plan, true, listener, stats, permit);
            used = AddressingMode.SET_ADDRESS_PER_BLOCK;
            fallback = true;
        }

        Optional<MemoryRange> resetBy = ResettingWrite.run(session, drv, plan, permit, options, stats, warnings);
        Optional<LeaveResult> leave = Optional.empty();
        if (leaving && resetBy.isPresent()) {
            warnings.add("not leaving DFU mode: the option-byte write already reset the device");
        } else if (leaving) {
            long t = session.now();
            LeaveTargets.Target target = leaveTarget;
            try {
                if (target == null) {
                    target = leaveTargets.deviceDefault(p, session.reader(drv));
                }
                leave = Optional.of(new LeaveJob(session).leave(drv, target, options.reopenTimeout(), listener));
            } catch (DfuCancelledException e) {
                throw e;
            } catch (DfuException e) {
                log.warn("flash verified, but leaving DFU mode failed: {}", e.getMessage());
                leave = Optional.of(new LeaveResult(LeaveResult.Outcome.FAILED,
                        target != null ? target.address() : OptionalLong.empty(),
                        target != null ? target.source() : LeaveResult.AddressSource.RESET_VECTOR, false, session.since(t),
                        Optional.of(e)));
            }
            stats.leave = session.since(t);
        }
        Timings timings = new Timings(stats.read, stats.erase, stats.write, stats.verify, stats.leave, session.since(start));
        return new FlashResult(new FlashResult.Verification(options.verify() && stats.unverifiedBytes == 0, stats.verifiedBytes,
                stats.unverifiedBytes), new FlashResult.Writes(stats.erased, stats.massErased, stats.written, stats.bytesWritten,
                stats.blocksWritten, stats.blankSkipped, plan.unchangedSectors().size(), used, fallback, stats.wedges,
                drv.requestCount() - requestsBefore), timings, leave, warnings, p.writeNotes(plan.sentBlocks()), resetBy);
    }

    /** Failures a device that mis-addresses blocks produces: a read-back mismatch, or a refused write. */
    private static boolean misaddressingSymptom(DfuException e) {
        if (e instanceof VerifyException) {
            return true;
        }
        if (e.kind() == DfuException.Kind.DEVICE_STATUS && e.phase().orElse(null) == Phase.WRITE) {
            return switch (e.status().orElseThrow()) {
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

    private void execute(DfuDriver drv, FlashPlan plan, boolean verify, ProgressListener listener, JobStats stats,
                         WriteGate.Permit permit) throws DfuException {
        long t = session.now();
        passes.erase(drv, plan, listener, stats);
        stats.erase = stats.erase.plus(session.since(t));
        t = session.now();
        passes.write(drv, plan, listener, stats, permit);
        stats.write = stats.write.plus(session.since(t));
        if (verify) {
            t = session.now();
            readBack.verify(drv, plan, listener, stats, permit, resume);
            stats.verify = stats.verify.plus(session.since(t));
        } else {
            for (WriteRun r : plan.writes()) {
                if (!ResettingWrite.resets(permit, r)) {
                    stats.unverifiedBytes += r.writtenBytes();
                }
            }
        }
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
        return new WriteRequest(writes, erases, mass, false, context.alts(), context.layouts());
    }
}
