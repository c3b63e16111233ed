package io.github.dfu4j.stm32.optionbytes;

import java.io.IOException;

/**
 * Option-byte data that cannot be decoded with the chip's layout (wrong block count or size),
 * named by its source and the offending block and offset.
 */
public class OptionByteFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int block;
    private final long offset;

    /**
     * Option-byte data that does not fit the layout. The message is one line:
     * {@code SOURCE: option-byte block B at offset O: REASON}.
     *
     * @param source where the bytes came from (a file name or the device's alt setting and port)
     * @param block  zero-based index of the offending block in the chip's layout; for a wrong block count, the
     *               first block that is missing or extra
     * @param offset byte offset inside that block where the problem starts
     * @param reason what is wrong, e.g. {@code stm32f072 expects 16 bytes at 0x1FFFF800, got 8}
     */
    public OptionByteFormatException(String source, int block, long offset, String reason) {
        super(source + ": option-byte block " + block + " at offset " + offset + ": " + reason);
        this.source = source;
        this.block = block;
        this.offset = offset;
    }

    /** Where the bytes came from, e.g. "alt 1 of 0483:df11 at 1-2" or a file name. */
    public String source() {
        return source;
    }

    /** Zero-based index of the offending block in the chip's layout (the first missing or extra one for a wrong count). */
    public int block() {
        return block;
    }

    /** Byte offset inside the block where the problem starts. */
    public long offset() {
        return offset;
    }
}
