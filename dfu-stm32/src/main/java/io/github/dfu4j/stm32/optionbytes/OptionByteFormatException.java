package io.github.dfu4j.stm32.optionbytes;

import java.io.IOException;

/**
 * Option-byte input that does not fit the chip's layout: data that cannot be decoded (wrong block
 * count or size), named by its source and the offending block and offset; or a {@code FIELD=VALUE}
 * assignment ({@link #assignment}) that names no field of the chip or a value the field cannot hold,
 * named by the assignment, its position among the arguments and the character offset of the problem.
 */
public class OptionByteFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int block;
    private final long offset;
    private final int argumentIndex;

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
        this(source + ": option-byte block " + block + " at offset " + offset + ": " + reason, source, block, offset, -1);
    }

    private OptionByteFormatException(String message, String source, int block, long offset, int argumentIndex) {
        super(message);
        this.source = source;
        this.block = block;
        this.offset = offset;
        this.argumentIndex = argumentIndex;
    }

    /**
     * A {@code FIELD=VALUE} assignment that cannot be applied: {@link #source()} is the assignment,
     * {@link #argumentIndex()} its zero-based position, {@link #offset()} the zero-based column at fault,
     * {@link #block()} -1. The message quotes all three: {@code option-byte assignment 1 'BOOT_SEL=2' (column 10): ...}.
     */
    public static OptionByteFormatException assignment(String assignment, int argumentIndex, int offset, String reason) {
        return new OptionByteFormatException("option-byte assignment " + (argumentIndex + 1) + " '" + assignment + "' (column "
                + (offset + 1) + "): " + reason, assignment, -1, offset, argumentIndex);
    }

    /** For an {@link #assignment}: its zero-based position among the assignments; -1 for option-byte data. */
    public int argumentIndex() {
        return argumentIndex;
    }

    /** Where the bytes came from, e.g. "alt 1 of 0483:df11 at 1-2" or a file name; for an {@link #assignment}, the assignment. */
    public String source() {
        return source;
    }

    /**
     * Zero-based index of the offending block in the chip's layout (the first missing or extra one for a wrong count);
     * -1 for an {@link #assignment}.
     */
    public int block() {
        return block;
    }

    /** Byte offset inside the block where the problem starts; for an {@link #assignment}, the column (zero-based). */
    public long offset() {
        return offset;
    }
}
