package io.github.dfu4j.ops;

import io.github.dfu4j.dfu.DfuDriver;
import io.github.dfu4j.dfu.DfuException;
import io.github.dfu4j.dfu.Phase;
import io.github.dfu4j.formats.Segment;
import io.github.dfu4j.layout.Sector;
import io.github.dfu4j.plan.AddressingMode;
import io.github.dfu4j.plan.Block;
import io.github.dfu4j.plan.FlashPlan;
import io.github.dfu4j.plan.SectorKey;
import io.github.dfu4j.plan.TargetSector;
import io.github.dfu4j.plan.WriteRun;
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
 * reads only through {@link DfuDevice}'s DfuSe read sequence.
 */
final class ReadBack {
    private static final Logger log = LoggerFactory.getLogger(ReadBack.class);
    /** Incremental flashing reads sectors up to this size back; larger ones count as changed. */
    private static final long MAX_COMPARED_SECTOR = 16L << 20;

    private final DfuDevice device;

    ReadBack(DfuDevice device) {
        this.device = device;
    }

    /**
     * Reads back every byte of the image: the written runs, and the sectors an incremental flash left
     * alone (their earlier comparison is not taken on trust: a misplaced block of this pass may have
     * landed there). Block-number reads are cross-checked through a SET_ADDRESS of their own.
     */
    void verify(DfuDriver drv, FlashPlan plan, ProgressListener listener, DfuDevice.Stats stats, WriteGate.Permit permit,
                Resume resume) throws DfuException {
        long unchangedBytes = 0;
        for (TargetSector t : plan.targetSectors()) {
            if (plan.unchangedSectors().contains(t.key())) {
                unchangedBytes += plan.imageIn(t).stream().mapToLong(Segment::length).sum();
            }
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
            byte[] expected = run.expectedContent();
            byte[] actual = read(drv, resume, run.alt(), run.start(), expected.length, Phase.VERIFY, pr, run.perBlockAddressing());
            int n = Math.min(expected.length, actual.length);
            int i = java.util.Arrays.mismatch(expected, 0, n, actual, 0, n);
            if (i >= 0) {
                throw new VerifyException(run.alt(), run.start() + i, expected[i], actual[i], null);
            }
            if (actual.length < expected.length) {
                throw new VerifyException(run.alt(), run.start() + actual.length, expected[actual.length], 0,
                        "the device returned only " + actual.length + " of " + expected.length + " bytes");
            }
            crossCheckAddressing(drv, run, expected, resume);
            stats.verifiedBytes += expected.length;
        }
        // The image's bytes in sectors an incremental flash left alone: their comparison was read through
        // block numbers, which a misaddressing device answers from other addresses (blank ones, often)
        // without any error, so it is only a judgement. The proof reads every such byte through a
        // SET_ADDRESS of its own block, whatever the device does with block numbers.
        for (TargetSector t : plan.targetSectors()) {
            if (!plan.unchangedSectors().contains(t.key())) {
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
     * The DfuSe read sequence; a read a transient fault interrupted is read again once the device is
     * back in dfuIDLE ({@link Resume}; reading changes no memory), without progress events.
     */
    private byte[] read(DfuDriver drv, Resume resume, int alt, long address, int length, Phase phase, Progress pr,
                        boolean perBlock) throws DfuException {
        try {
            return device.session().read(drv, alt, address, length, phase, pr, perBlock);
        } catch (DfuException e) {
            resume.recover(drv, e, phase, resume.sectors(alt, address, address + length),
                    String.format("reading 0x%08x+%d again", address, length));
            return device.session().read(drv, alt, address, length, phase, Progress.silent(), perBlock);
        }
    }

    static Optional<VerifyException> firstMismatch(int alt, long start, byte[] expected, byte[] actual, String detail) {
        int n = Math.min(expected.length, actual.length);
        int i = java.util.Arrays.mismatch(expected, 0, n, actual, 0, n);
        if (i >= 0) {
            return Optional.of(new VerifyException(alt, start + i, expected[i], actual[i], detail));
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
        int transfer = drv.quirks().effectiveTransferSize(device.functionalDescriptor().transferSize());
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
    private void crossCheckAddressing(DfuDriver drv, WriteRun run, byte[] expected, Resume resume) throws DfuException {
        if (run.perBlockAddressing() || run.blocks().isEmpty()) {
            return;
        }
        List<Block> blocks = run.blocks();
        if (blocks.get(blocks.size() - 1).blockNumber() <= 2) {
            return;
        }
        Map<BlockContent, Integer> copies = new java.util.HashMap<>();
        for (Block b : blocks) {
            copies.merge(new BlockContent(b.data()), 1, Integer::sum);
        }
        Block unique = null;
        for (int k = blocks.size() - 1; k >= 0 && unique == null; k--) {
            Block candidate = blocks.get(k);
            if (candidate.blockNumber() <= 2) {
                break;
            }
            byte[] data = candidate.data();
            unique = copies.get(new BlockContent(data)) == 1 && !periodic(data) ? candidate : null;
        }
        long from = unique != null ? unique.address() : run.start();
        int length = unique != null ? unique.length() : expected.length;
        byte[] actual = read(drv, resume, run.alt(), from, length, Phase.VERIFY, Progress.silent(), true);
        int offset = (int) (from - run.start());
        for (int i = 0; i < length; i++) {
            if (i >= actual.length || actual[i] != expected[offset + i]) {
                throw new VerifyException(run.alt(), from + i, expected[offset + i], i < actual.length ? actual[i] : 0,
                        "read through its own SET_ADDRESS; the device does not address blocks as"
                                + " pointer + (wBlockNum - 2) * wTransferSize");
            }
        }
    }

    /**
     * A block's bytes as a map key. The hash samples at most 64 bytes spread over the block (a full hash
     * of every block cost a pass over the whole image, byte by byte through ByteBuffer, on every
     * verified flash); equality compares every byte.
     */
    private static final class BlockContent {
        private final byte[] data;
        private final int hash;

        BlockContent(byte[] data) {
            this.data = data;
            int step = Math.max(1, data.length / 64);
            int h = data.length;
            for (int i = 0; i < data.length; i += step) {
                h = 31 * h + data[i];
            }
            this.hash = 31 * h + (data.length == 0 ? 0 : data[data.length - 1]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockContent other && hash == other.hash && java.util.Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return hash;
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
