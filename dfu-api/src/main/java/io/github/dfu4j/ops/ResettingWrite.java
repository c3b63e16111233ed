package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.internal.DfuseCommand;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.plan.internal.Block;
import io.github.dfu4j.plan.internal.FlashPlan;
import io.github.dfu4j.plan.internal.WriteRun;
import io.github.dfu4j.transport.TransportException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write that makes the device reset: ST ROMs reset the chip after an option-byte write so the new
 * values load (AN2662: "Destination == Option Bytes? -> System Reset"). It is written after everything
 * else was written and verified; the device leaving the bus then is the expected end, not a failure.
 * When the caller verifies and gives a reopen timeout, the device is looked for again in DFU mode and
 * the range read back, so "verified" still means the chip holds the bytes.
 */
final class ResettingWrite {
    private static final Logger log = LoggerFactory.getLogger(ResettingWrite.class);

    private ResettingWrite() {
    }

    static boolean resets(WriteGate.Permit permit, WriteRun run) {
        return !run.blocks().isEmpty() && permit.resets(run.alt(), run.start(), run.end());
    }

    /** Writes the plan's resetting run, if any; returns its range when the device reset. */
    static Optional<MemoryRange> run(DfuSession session, DfuDriver drv, FlashPlan plan, WriteGate.Permit permit,
                                     FlashOptions options, JobStats stats, List<String> warnings) throws DfuException {
        List<WriteRun> runs = plan.writes().stream().filter(r -> resets(permit, r)).toList();
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        if (runs.size() > 1) {
            throw new WriteRefusedException(List.of(WriteFinding.impossible(WriteFinding.Kind.DEVICE_RESETS,
                    "the image writes " + runs.size() + " separate option-byte ranges, but the device resets after the"
                            + " first; write them as one range", runs.get(1).alt(), runs.get(1).start())));
        }
        WriteRun run = runs.get(0);
        MemoryRange range = new MemoryRange(run.alt(), run.start(), run.end());
        boolean reset = false;
        try {
            session.selectAlt(run.alt(), Phase.WRITE);
            session.toIdle(Phase.WRITE);
            for (Block b : run.blocks()) {
                drv.command(DfuseCommand.setAddress(b.address()), Phase.WRITE);
                // counted before it is sent: the reset that ends a good write comes with its status request
                stats.bytesWritten += b.length();
                stats.blocksWritten++;
                session.download(drv, DfuseCommand.FIRST_DATA_BLOCK, b.data(), Phase.WRITE, b.address());
            }
        } catch (DfuException e) {
            if (!looksLikeReset(e)) {
                throw e;
            }
            log.debug("the device reset after the write of {}, as expected: {}", range, e.getMessage());
            reset = true;
        }
        stats.written.add(range);
        if (!reset) {
            // the device took the bytes without resetting (not an ST ROM, or a simulator without reset): read back here
            verifyOn(session, drv, run, options, stats);
            return Optional.empty();
        }
        session.markGone();
        if (!options.verify()) {
            stats.unverifiedBytes += run.writtenBytes();
            return Optional.of(range);
        }
        if (options.reopenTimeout().isZero()) {
            stats.unverifiedBytes += run.writtenBytes();
            warnings.add("the device reset after the option-byte write; it was not looked for again, so the write is not verified");
            return Optional.of(range);
        }
        boolean back;
        try {
            back = session.reopen(options.reopenTimeout());
        } catch (TransportException e) {
            back = false;
        }
        if (!back) {
            stats.unverifiedBytes += run.writtenBytes();
            warnings.add("the device reset after the option-byte write and did not come back in DFU mode within "
                    + options.reopenTimeout().toSeconds() + " s, so the write could not be read back");
            return Optional.of(range);
        }
        byte[] actual;
        try {
            // a fresh look at the device (the option bytes may have changed its layout); the session owns the transport
            DfuSession again = DfuSession.open(session.rawTransport(), options.profile().orElse(session.context().profile()));
            actual = UploadJob.upload(again, again.driver(), run.alt(), run.start(), Math.toIntExact(run.length()),
                    ProgressListener.NONE);
        } catch (DfuException e) {
            stats.unverifiedBytes += run.writtenBytes();
            warnings.add("the device reset after the option-byte write and came back in DFU mode, but reading the option"
                    + " bytes back failed (" + e.getMessage() + "); read protection refuses reads once it is on");
            return Optional.of(range);
        }
        compare(run, actual);
        stats.verifiedBytes += run.length();
        return Optional.of(range);
    }

    private static void verifyOn(DfuSession session, DfuDriver drv, WriteRun run, FlashOptions options, JobStats stats)
            throws DfuException {
        if (!options.verify() || !run.verifiable()) {
            stats.unverifiedBytes += run.writtenBytes();
            return;
        }
        compare(run, session.readRun(drv, run));
        stats.verifiedBytes += run.length();
    }

    private static void compare(WriteRun run, byte[] actual) throws VerifyException {
        Optional<VerifyException> mismatch = ReadBack.firstMismatch(run.alt(), run.start(), run.expectedContent(), actual, null);
        if (mismatch.isPresent()) {
            throw mismatch.get();
        }
    }

    /**
     * The write ended with the device leaving the bus: the GETSTATUS after the data block finds it gone,
     * or the USB stack reports a timeout or I/O error while it resets. A stall or an error status is a
     * refusal, not a reset.
     */
    static boolean looksLikeReset(DfuException e) {
        if (e.deviceStatus().isPresent() && !e.deviceStatus().get().isOk()) {
            return false;
        }
        return e.transportError().map(te -> switch (te.kind()) {
            case NO_DEVICE, IO, TIMEOUT -> true;
            default -> false;
        }).orElse(false);
    }
}
