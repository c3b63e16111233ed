package io.github.dfu4j.stm32.optionbytes;

/**
 * Where an option-byte field lives: bits {@code [shift, shift + width)} of the little-endian value
 * that starts at {@code byteOffset} of option-byte block {@code block}. STM32 option bytes are
 * little-endian half-words or words (F0 {@code OB_TypeDef}, F4/F7 register views, H7 registers), so
 * a register bit position maps to byte {@code byteOffset + bit / 8}.
 *
 * @param block      index of the block in the option-byte memory (F42x: 0 bank 1, 1 bank 2)
 * @param byteOffset first byte of the little-endian unit inside the block
 * @param shift      lowest bit of the field in that unit (0..31)
 * @param width      number of bits (1..32)
 */
record FieldLocation(int block, int byteOffset, int shift, int width) {
    public FieldLocation {
        if (block < 0 || byteOffset < 0) {
            throw new IllegalArgumentException("negative block or offset: " + block + "/" + byteOffset);
        }
        if (width < 1 || shift < 0 || shift + width > 32) {
            throw new IllegalArgumentException("bits " + shift + "+" + width + " do not fit a 32-bit unit");
        }
    }

    /** Bits {@code [shift, shift + width)} of the unit at {@code byteOffset} of block 0. */
    public static FieldLocation bits(int byteOffset, int shift, int width) {
        return new FieldLocation(0, byteOffset, shift, width);
    }

    /** One whole byte of block 0. */
    public static FieldLocation wholeByte(int byteOffset) {
        return new FieldLocation(0, byteOffset, 0, 8);
    }

    /** The same bits in another block. */
    public FieldLocation inBlock(int newBlock) {
        return new FieldLocation(newBlock, byteOffset, shift, width);
    }

    /** Largest value the field holds. */
    public long maxValue() {
        return (1L << width) - 1;
    }

    /** Index of the first byte the field touches. */
    public int firstByte() {
        return byteOffset + shift / 8;
    }

    /** Index one past the last byte the field touches. */
    public int endByte() {
        return byteOffset + (shift + width + 7) / 8;
    }

    /** Bit mask of the field within byte {@code index} of its block (0 when it does not touch that byte). */
    public int maskInByte(int index) {
        int mask = 0;
        for (int b = 0; b < 8; b++) {
            int bit = (index - byteOffset) * 8 + b;
            if (bit >= shift && bit < shift + width) {
                mask |= 1 << b;
            }
        }
        return mask;
    }

    /** Reads the field from its block. */
    long read(byte[] blockBytes) {
        long unit = 0;
        for (int i = endByte() - 1; i >= byteOffset; i--) {
            unit = unit << 8 | (blockBytes[i] & 0xFFL);
        }
        return (unit >>> shift) & maxValue();
    }

    /** Writes {@code value} into the field's bits of {@code blockBytes}, leaving every other bit alone. */
    void write(byte[] blockBytes, long value) {
        if (value < 0 || value > maxValue()) {
            throw new IllegalArgumentException("value " + value + " does not fit " + width + " bit(s)");
        }
        for (int i = byteOffset; i < endByte(); i++) {
            int mask = maskInByte(i);
            if (mask == 0) {
                continue;
            }
            int bitBase = (i - byteOffset) * 8;
            int bits = (int) (bitBase >= shift ? value >>> (bitBase - shift) : value << (shift - bitBase)) & 0xFF;
            blockBytes[i] = (byte) ((blockBytes[i] & ~mask) | (bits & mask));
        }
    }
}
