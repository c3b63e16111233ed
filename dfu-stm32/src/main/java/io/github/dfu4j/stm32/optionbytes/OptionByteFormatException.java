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

    public int block() {
        return block;
    }

    /** Byte offset inside the block where the problem starts. */
    public long offset() {
        return offset;
    }
}
