package io.github.dfu4j.stm32.optionbytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The raw option-byte blocks as read from (or to be written to) the "Option Bytes" alt setting.
 * Immutable: the constructor and accessors copy; equal when every block has the same bytes.
 *
 * <pre>{@code
 * OptionByteImage raw = OptionByteImage.of(HexFormat.of().parseHex("aa55ff00ff00ff00ff00ff00ff00ff00"));
 * }</pre>
 */
public final class OptionByteImage {
    private final byte[][] blocks;

    private OptionByteImage(byte[][] blocks) {
        this.blocks = blocks;
    }

    /** An image of the given blocks (copied). */
    public static OptionByteImage of(byte[]... blocks) {
        return of(Arrays.asList(blocks));
    }

    /** An image of the given blocks (copied). */
    public static OptionByteImage of(List<byte[]> blocks) {
        Objects.requireNonNull(blocks, "blocks");
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("an option-byte image has at least one block");
        }
        byte[][] copy = new byte[blocks.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = Objects.requireNonNull(blocks.get(i), "block " + i).clone();
        }
        return new OptionByteImage(copy);
    }

    /** How many blocks the image has (at least 1; one per option-byte area of the chip's layout). */
    public int blockCount() {
        return blocks.length;
    }

    /** A copy of block {@code i}. */
    public byte[] block(int i) {
        return blocks[i].clone();
    }

    /** Every block, copied. */
    public List<byte[]> blocks() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] b : blocks) {
            out.add(b.clone());
        }
        return out;
    }

    /**
     * The length in bytes of block {@code block}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= block < blockCount()}
     */
    public int size(int block) {
        return blocks[block].length;
    }

    /** Byte {@code index} of block {@code block}, 0..255. */
    public int byteAt(int block, int index) {
        return blocks[block][index] & 0xFF;
    }

    /** The same image with block {@code i} replaced. */
    public OptionByteImage withBlock(int i, byte[] data) {
        List<byte[]> all = blocks();
        all.set(i, data);
        return of(all);
    }

    /** Lower-case hex of block {@code i}. */
    public String hex(int i) {
        return HexFormat.of().formatHex(blocks[i]);
    }

    /** Indexes of the blocks that differ from {@code other} (which must have the same shape). */
    public List<Integer> changedBlocks(OptionByteImage other) {
        if (other.blocks.length != blocks.length) {
            throw new IllegalArgumentException("images have " + blocks.length + " and " + other.blocks.length + " blocks");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < blocks.length; i++) {
            if (!Arrays.equals(blocks[i], other.blocks[i])) {
                out.add(i);
            }
        }
        return out;
    }

    // package access for the codec: no copy
    byte[] raw(int i) {
        return blocks[i];
    }

    /** True when {@code o} is an image with the same number of blocks and the same bytes in each. */
    @Override
    public boolean equals(Object o) {
        return o instanceof OptionByteImage other && Arrays.deepEquals(blocks, other.blocks);
    }

    /** A hash of every block's bytes, consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Arrays.deepHashCode(blocks);
    }

    /** {@code OptionByteImage[}each block as lower-case hex, comma-separated{@code ]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OptionByteImage[");
        for (int i = 0; i < blocks.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(hex(i));
        }
        return sb.append(']').toString();
    }
}
