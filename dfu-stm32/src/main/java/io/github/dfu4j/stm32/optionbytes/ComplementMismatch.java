package io.github.dfu4j.stm32.optionbytes;

/**
 * A value byte whose complement byte does not match: the chip reports an option-byte error and
 * uses defaults for it.
 *
 * @param block       block index
 * @param valueOffset offset of the value byte
 * @param value       the value byte
 * @param complement  the byte found where its complement belongs
 */
public record ComplementMismatch(int block, int valueOffset, int value, int complement) {
    @Override
    public String toString() {
        return String.format("block %d offset %d: 0x%02X with complement 0x%02X (expected 0x%02X)", block, valueOffset,
                value, complement, ~value & 0xFF);
    }
}
