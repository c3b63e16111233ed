package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.internal.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.internal.Block;
import io.github.dfu4j.plan.internal.FlashPlan;
import io.github.dfu4j.plan.internal.SectorKey;
import io.github.dfu4j.plan.internal.TargetSector;
import io.github.dfu4j.plan.internal.WriteRun;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a download reads back and how far it trusts it: the final verification of every byte of the
 * image (written runs and the sectors an incremental flash kept), the cross-checks that catch a device
 * that misplaces block numbers the same way for writes and reads, and the incremental comparison. It
 * reads only through the {@link DfuSession}'s DfuSe read sequence.
 */
final class ReadBack {
    private static final Logger log = LoggerFactory.getLogger(ReadBack.class);
    /** Incremental flashing reads sectors up to this size back; larger ones count as changed. */
    private static final long MAX_COMPARED_SECTOR = 16L << 20;

    private final DfuSession session;

    ReadBack(DfuSession session) {
        this.session = session;
    }

    /**
     * Reads back every byte of the image: the written runs, and the sectors an incremental flash left
     * alone (their earlier comparison is not taken on trust: a misplaced block of this pass may have
     * landed there). Block-number reads are cross-checked through a SET_ADDRESS of their own.
     */
    void verify(DfuDriver drv, FlashPlan plan, ProgressListener listener, JobStats stats, WriteGate.Permit permit,
                Resume resume) throws DfuException {
        long unchangedBytes = 0;
        for (TargetSector t : plan.targetSectors()) {
            if (plan.unchangedSectors().contains(t.key())) {
                unchangedBytes += plan.imageIn(t).stream().mapToLong(Segment::length).sum();
            }
        }
        boolean keptProven = keptSectorsProvenByComparison(plan);
        if (keptProven) {
            stats.verifiedBytes += unchangedBytes; // read back, each block through its own SET_ADDRESS, by unchangedSectors
            unchangedBytes = 0;
        }
        Progress pr = Progress.start(listener, Phase.VERIFY, plan.verifiableBytes() + unchangedBytes, -1);
        for (WriteRun run : plan.writes()) {
            if (ResettingWrite.resets(permit, run)) {
                continue; // written last, read back after the device comes back (ResettingWrite)
            }
            if (!run.verifiable()) {
                stats.unverifiedBytes += run.writtenBytes();
                continue;
            }
            int length = Math.toIntExact(run.length());
            compare(drv, resume, run, run.start(), length, pr, run.perBlockAddressing(), null);
            crossCheckAddressing(drv, run, resume);
            stats.verifiedBytes += length;
        }
        // The image's bytes in sectors an incremental flash left alone: their comparison was read through
        // block numbers, which a misaddressing device answers from other addresses (blank ones, often)
        // without any error, so it is only a judgement. The proof reads every such byte through a
        // SET_ADDRESS of its own block, whatever the device does with block numbers.
        for (TargetSector t : plan.targetSectors()) {
            if (keptProven || !plan.unchangedSectors().contains(t.key())) {
                continue;
            }
            for (Segment s : plan.imageIn(t)) {
                byte[] expected = s.bytes();
                byte[] actual = read(drv, resume, t.alt(), s.address(), expected.length, Phase.VERIFY, pr, true);
                Optional<VerifyException> mismatch = firstMismatch(t.alt(), s.address(), expected, actual,
                        "in a sector the incremental comparison had found unchanged");
                if (mismatch.isPresent()) {
                    throw mismatch.get();
                }
                stats.verifiedBytes += expected.length;
            }
        }
        pr.finish();
    }

    /**
     * Whether the incremental comparison already proved the sectors it kept, so that the final
     * verification need not read them a second time. The proof must hold whatever the device does with
     * block numbers, and for the bytes as they are after this pass's last request:
     * <ul>
     *   <li>With {@link AddressingMode#SET_ADDRESS_PER_BLOCK} the comparison read every block of a kept
     *       sector through a SET_ADDRESS of its own (no block number above 2), so it read those very
     *       addresses; and it found them equal to the image.</li>
     *   <li>That read came after the last write to them (the comparison precedes this pass's erases and
     *       writes), and nothing of this pass can change them afterwards: every write of a per-block plan
     *       lands at its own SET_ADDRESS, inside a sector the plan changes (never a kept one), and sector
     *       erases name their sector by address. A mass erase would wipe kept sectors too, so a plan with
     *       one reads them again.</li>
     * </ul>
     * With block-number addressing (the default) the comparison is only a judgement: a device that
     * misplaces block numbers answers reads from other addresses without an error, and a misplaced block
     * of this pass's writes may land in a kept sector. Those sectors are read again, each block through
     * its own SET_ADDRESS, and that second read is the proof (issue 11 measured it: an unchanged
     * 512 KiB re-flash of an F746 reads 1 MiB in 2,395 requests, 2,048 of them this proof).
     */
    private static boolean keptSectorsProvenByComparison(FlashPlan plan) {
        return plan.options().addressing() == AddressingMode.SET_ADDRESS_PER_BLOCK
                && plan.erases().stream().noneMatch(e -> e instanceof io.github.dfu4j.plan.internal.EraseStep.MassErase);
    }

    /**
     * The DfuSe read sequence; a read a transient fault interrupted is read again once the device is
     * back in dfuIDLE ({@link Resume}; reading changes no memory), without progress events.
     */
    private byte[] read(DfuDriver drv, Resume resume, int alt, long address, int length, Phase phase, Progress pr,
                        boolean perBlock) throws DfuException {
        try {
            return session.read(drv, alt, address, length, phase, pr, perBlock);
        } catch (DfuException e) {
            resume.recover(drv, e, phase, resume.sectors(alt, address, address + length),
                    String.format("reading 0x%08x+%d again", address, length));
            return session.read(drv, alt, address, length, phase, Progress.silent(), perBlock);
        }
    }

    static Optional<VerifyException> firstMismatch(int alt, long start, byte[] expected, byte[] actual, String detail) {
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                return Optional.of(new VerifyException(alt, start + i, expected[i], actual[i], detail));
            }
        }
        if (actual.length < expected.length) {
            return Optional.of(new VerifyException(alt, start + actual.length, expected[actual.length], 0,
                    "the device returned only " + actual.length + " of " + expected.length + " bytes"
                            + (detail == null ? "" : "; " + detail)));
        }
        return Optional.empty();
    }

    /**
     * The last transfer-sized chunk of a sector read through its own SET_ADDRESS, compared with what the
     * sector must hold: a device that misplaces block numbers the same way for every read can look
     * right through block numbers alone.
     */
    private Optional<VerifyException> crossCheckSector(DfuDriver drv, int alt, long start, byte[] expected, Resume resume)
            throws DfuException {
        int transfer = session.context().transferSize(drv.quirks());
        if (expected.length <= transfer) {
            return Optional.empty();
        }
        int offset = (expected.length - 1) / transfer * transfer;
        byte[] want = Arrays.copyOfRange(expected, offset, expected.length);
        byte[] actual = read(drv, resume, alt, start + offset, want.length, Phase.VERIFY, Progress.silent(), true);
        return firstMismatch(alt, start + offset, want, actual, "read through its own SET_ADDRESS; the device does not"
                + " address blocks as pointer + (wBlockNum - 2) * wTransferSize");
    }

    /**
     * A device that mis-addresses block numbers the same way for DNLOAD and UPLOAD reads back exactly
     * what it wrote, so a block-number read-back cannot see it. Re-read one block through its own
     * SET_ADDRESS (independent of block numbers) and compare: the last block above number 2 whose bytes
     * no other block of the run repeats and that is not a short fill pattern. The run's sectors were
     * erased, so only that block can have put those bytes there; a repeated or patterned block (zero
     * padding, say) could have been misplaced, whole or in pieces, onto its twin's address and read back
     * right (found by NeverLieTest). A run with no such block is read back whole, block by block.
     */
    private void crossCheckAddressing(DfuDriver drv, WriteRun run, Resume resume) throws DfuException {
        if (run.perBlockAddressing() || run.blocks().isEmpty()) {
            return;
        }
        List<Block> blocks = run.blocks();
        if (blocks.get(blocks.size() - 1).blockNumber() <= 2) {
            return;
        }
        // Blocks counted by a 64-bit hash of their bytes, not by the bytes themselves (a 64 MiB run would
        // need a second 64 MiB): equal bytes always share a hash, so a count of 1 still proves the block
        // unique; a collision can only make a unique block look repeated, which is the safe side.
        Map<Long, Integer> copies = new java.util.HashMap<>();
        long[] hashes = new long[blocks.size()];
        for (int k = 0; k < hashes.length; k++) {
            hashes[k] = hash(blocks.get(k).data());
            copies.merge(hashes[k], 1, Integer::sum);
        }
        Block unique = null;
        for (int k = blocks.size() - 1; k >= 0 && unique == null; k--) {
            Block candidate = blocks.get(k);
            if (candidate.blockNumber() <= 2) {
                break;
            }
            unique = copies.get(hashes[k]) == 1 && !periodic(candidate.data()) ? candidate : null;
        }
        long from = unique != null ? unique.address() : run.start();
        int length = unique != null ? unique.length() : Math.toIntExact(run.length());
        compare(drv, resume, run, from, length, Progress.silent(), true, "read through its own SET_ADDRESS; the device does not"
                + " address blocks as pointer + (wBlockNum - 2) * wTransferSize");
    }

    /** FNV-1a, 64 bits. */
    private static long hash(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (byte b : data) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * Reads [from, from + length) of the run back and compares it, block by block as it arrives, with
     * what the run must hold; every block is read before the first difference is reported (the same
     * requests as reading it whole). {@code detail}: what the report adds, or null.
     */
    private void compare(DfuDriver drv, Resume resume, WriteRun run, long from, int length, Progress pr, boolean perBlock,
                         String detail) throws DfuException {
        VerifyException[] first = new VerifyException[1];
        DfuSession.UploadSink sink = (at, actual) -> {
            if (first[0] != null) {
                return;
            }
            int n = (int) Math.min(actual.length, from + length - at);
            byte[] expected = run.expectedContent(at, n);
            int i = java.util.Arrays.mismatch(expected, 0, n, actual, 0, n);
            if (i >= 0) {
                first[0] = new VerifyException(run.alt(), at + i, expected[i], actual[i], detail);
            }
        };
        int done;
        try {
            done = session.read(drv, run.alt(), from, length, Phase.VERIFY, pr, perBlock, sink);
        } catch (DfuException e) { // a stall or timeout: back to dfuIDLE and read it all again, as read(...) does
            resume.recover(drv, e, Phase.VERIFY, resume.sectors(run.alt(), from, from + length),
                    String.format("reading 0x%08x+%d again", from, length));
            first[0] = null;
            done = session.read(drv, run.alt(), from, length, Phase.VERIFY, Progress.silent(), perBlock, sink);
        }
        if (first[0] != null) {
            throw first[0];
        }
        if (done < length) {
            byte[] missing = run.expectedContent(from + done, 1);
            throw new VerifyException(run.alt(), from + done, missing[0], 0, detail != null ? detail
                    : "the device returned only " + done + " of " + length + " bytes");
        }
    }

    /**
     * True when the bytes repeat with a period of at most 64 (zero padding, a fill pattern), or are too few
     * to tell: pieces of other blocks misplaced onto this block's address could then read back as it.
     */
    private static boolean periodic(byte[] data) {
        if (data.length < 128) {
            return true;
        }
        for (int p = 1; p <= 64; p++) {
            boolean repeats = true;
            for (int i = p; i < data.length && repeats; i++) {
                repeats = data[i] == data[i - p];
            }
            if (repeats) {
                return true;
            }
        }
        return false;
    }

    Set<SectorKey> unchangedSectors(DfuDriver drv, FlashPlan plan, AddressingMode addressing, ProgressListener listener,
                                    Resume resume) throws DfuException {
        long total = 0;
        for (TargetSector t : plan.targetSectors()) {
            total += t.sector().access().readable() && t.sector().size() <= MAX_COMPARED_SECTOR ? t.sector().size() : 0;
        }
        Progress pr = Progress.start(listener, Phase.READ, total, -1);
        Set<SectorKey> unchanged = new HashSet<>();
        for (TargetSector t : plan.targetSectors()) {
            Sector s = t.sector();
            if (!s.access().readable() || s.size() > MAX_COMPARED_SECTOR) {
                continue; // cannot or will not read it back: counts as changed
            }
            boolean perBlock = addressing == AddressingMode.SET_ADDRESS_PER_BLOCK;
            byte[] expected = plan.expectedSector(t);
            byte[] actual = read(drv, resume, t.alt(), s.start(), Math.toIntExact(s.size()), Phase.READ, pr, perBlock);
            if (Arrays.equals(actual, expected)) {
                if (!perBlock && crossCheckSector(drv, t.alt(), s.start(), expected, resume).isPresent()) {
                    // the same bytes read through their own SET_ADDRESS differ: block numbers are misplaced,
                    // so no comparison made through them can be trusted
                    log.warn("incremental: block-number reads disagree with SET_ADDRESS reads at 0x{}; every sector"
                            + " counts as changed", Long.toHexString(s.start()));
                    unchanged.clear();
                    break;
                }
                unchanged.add(t.key());
            }
        }
        pr.finish();
        log.debug("incremental: {} of {} sectors unchanged", unchanged.size(), plan.targetSectors().size());
        return unchanged;
    }
}
