package io.github.dfu4j.plan.internal;

import io.github.dfu4j.formats.Segment;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One DNLOAD data block of a plan: wBlockNum, where its bytes belong, and the bytes (at most
 * wTransferSize; copied in and out).
 *
 * <p>Blocks the planner makes do not copy the image: they read their bytes from the image's
 * segments (0xFF where no segment is) each time {@link #data()} is called, so that a plan of a
 * 64 MiB image costs a few bytes per block instead of a second 64 MiB. (A class, not a record, for
 * that reason; equality is still by number, address and bytes.)
 */
public final class Block {
    private final int blockNumber;
    private final long address;
    private final int length;
    private final byte[] data; // the block's own bytes, or null when it reads them from sources
    private final Segment[] sources; // the image segments overlapping [address, address + length)

    /**
     * A block of its own bytes.
     *
     * @param blockNumber wBlockNum to send (2 for the first block after a SET_ADDRESS)
     * @param address     where the bytes belong
     * @param data        the bytes, at most wTransferSize (copied)
     */
    public Block(int blockNumber, long address, byte[] data) {
        this(blockNumber, address, Objects.requireNonNull(data, "data").length, data.clone(), null);
    }

    private Block(int blockNumber, long address, int length, byte[] data, Segment[] sources) {
        if (blockNumber < 0 || blockNumber > 0xFFFF) {
            throw new IllegalArgumentException("wBlockNum must fit 16 bits: " + blockNumber);
        }
        if (length == 0) {
            throw new IllegalArgumentException("empty block");
        }
        this.blockNumber = blockNumber;
        this.address = address;
        this.length = length;
        this.data = data;
        this.sources = sources;
    }

    /** A block that reads [address, address + length) from {@code segments} (0xFF between them); no copy. */
    static Block view(int blockNumber, long address, int length, List<Segment> segments) {
        return new Block(blockNumber, address, length, null, segments.toArray(new Segment[0]));
    }

    /** wBlockNum to send (2 for the first block after a SET_ADDRESS). */
    public int blockNumber() {
        return blockNumber;
    }

    /** Where the bytes belong. */
    public long address() {
        return address;
    }

    /** A copy of the bytes. */
    public byte[] data() {
        byte[] out = new byte[length];
        copyTo(out, 0);
        return out;
    }

    /** Number of bytes. */
    public int length() {
        return length;
    }

    /** One past the last byte's address. */
    public long end() {
        return address + length;
    }

    /** Copies the bytes into {@code dst} at {@code offset} without an intermediate copy. */
    void copyTo(byte[] dst, int offset) {
        if (data != null) {
            System.arraycopy(data, 0, dst, offset, length);
            return;
        }
        fill(sources, address, end(), dst, offset);
    }

    /** Writes what [from, to) holds per {@code segments} (0xFF between them) into {@code dst} at {@code offset}. */
    static void fill(Segment[] segments, long from, long to, byte[] dst, int offset) {
        Arrays.fill(dst, offset, offset + (int) (to - from), (byte) 0xFF);
        for (Segment s : segments) {
            long a = Math.max(from, s.address());
            long b = Math.min(to, s.end());
            if (a < b) {
                s.copyTo(a, dst, offset + (int) (a - from), (int) (b - a));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && b.blockNumber == blockNumber && b.address == address && Arrays.equals(b.data(), data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(blockNumber, address) * 31 + Arrays.hashCode(data());
    }

    @Override
    public String toString() {
        return String.format("Block[%d @0x%08x, %d bytes]", blockNumber, address, length);
    }
}
