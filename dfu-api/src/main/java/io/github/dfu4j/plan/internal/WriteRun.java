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
        byte[] out = new byte[Math.toIntExact(length())];
        Arrays.fill(out, (byte) 0xFF);
        for (Block b : blocks) {
            b.copyTo(out, (int) (b.address() - start));
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
