package io.github.dfu4j.plan.internal;

import java.util.Arrays;
import java.util.List;

/**
 * A contiguous address range written after one SET_ADDRESS (or, with per-block addressing, one
 * SET_ADDRESS per block). Blocks that would only write 0xFF into freshly erased sectors are left out;
 * the range still covers them, and verification checks they read back blank.
 *
 * @param alt                alternate setting
 * @param start              the SET_ADDRESS address; block {@code n} lands at {@code start + (n-2)*transferSize}
 * @param end                one past the last byte
 * @param blocks             the blocks to send, ascending
 * @param perBlockAddressing send SET_ADDRESS before each block (each block then has number 2)
 * @param bootSector         this run holds the vector table and is written last
 * @param erased             the range lies in sectors erased by this plan (blank blocks skipped, gaps 0xFF)
 * @param verifiable         the range is readable per the layout, so it can be read back
 * @param skippedBlankBlocks blank blocks left out
 */
public record WriteRun(int alt, long start, long end, List<Block> blocks, boolean perBlockAddressing,
                       boolean bootSector, boolean erased, boolean verifiable, int skippedBlankBlocks) {
    public WriteRun {
        blocks = List.copyOf(blocks);
        if (end <= start) {
            throw new IllegalArgumentException("empty run");
        }
        for (Block b : blocks) {
            if (b.address() < start || b.end() > end) {
                throw new IllegalArgumentException(b + " outside run [" + start + ", " + end + ")");
            }
        }
    }

    public long length() {
        return end - start;
    }

    /** Bytes actually sent. */
    public long writtenBytes() {
        long n = 0;
        for (Block b : blocks) {
            n += b.length();
        }
        return n;
    }

    /** What [start, end) must read back as after the run: the blocks' bytes, 0xFF elsewhere. */
    public byte[] expectedContent() {
        return expectedContent(start, Math.toIntExact(length()));
    }

    /**
     * What [from, from + length) must read back as after the run (a piece of {@link #expectedContent()}),
     * without building the whole run's content: verification compares a 64 MiB run piece by piece.
     */
    public byte[] expectedContent(long from, int length) {
        if (from < start || length < 0 || from + length > end) {
            throw new IndexOutOfBoundsException(String.format("0x%x+%d outside %s", from, length, this));
        }
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) 0xFF);
        long to = from + length;
        int lo = 0;
        int hi = blocks.size();
        while (lo < hi) { // first block ending after from
            int mid = (lo + hi) >>> 1;
            if (blocks.get(mid).end() <= from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        byte[] piece = null;
        for (int i = lo; i < blocks.size() && blocks.get(i).address() < to; i++) {
            Block b = blocks.get(i);
            if (b.address() >= from && b.end() <= to) {
                b.copyTo(out, (int) (b.address() - from));
            } else {
                piece = b.data();
                long a = Math.max(from, b.address());
                long e = Math.min(to, b.end());
                System.arraycopy(piece, (int) (a - b.address()), out, (int) (a - from), (int) (e - a));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("WriteRun[alt %d, 0x%08x..0x%08x, %d blocks%s%s%s]", alt, start, end, blocks.size(),
                skippedBlankBlocks > 0 ? ", " + skippedBlankBlocks + " blank skipped" : "",
                perBlockAddressing ? ", SET_ADDRESS per block" : "", bootSector ? ", vector table" : "");
    }
}
