package io.github.dfu4j.plan.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One DNLOAD data block of a plan.
 *
 * @param blockNumber wBlockNum to send (2 for the first block after a SET_ADDRESS)
 * @param address     where the bytes belong
 * @param data        the bytes, at most wTransferSize (copied in and out)
 */
public record Block(int blockNumber, long address, byte[] data) {
    public Block {
        Objects.requireNonNull(data, "data");
        if (blockNumber < 0 || blockNumber > 0xFFFF) {
            throw new IllegalArgumentException("wBlockNum must fit 16 bits: " + blockNumber);
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("empty block");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    public long end() {
        return address + data.length;
    }

    /** Copies the bytes into {@code dst} at {@code offset} without an intermediate copy. */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Block b && b.blockNumber == blockNumber && b.address == address && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(blockNumber, address) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("Block[%d @0x%08x, %d bytes]", blockNumber, address, data.length);
    }
}
