package io.github.dfu4j.sim;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * A simulator state file that cannot be loaded. The message is one line naming the file and the
 * byte offset, e.g. {@code board.sim@0x0000002a: region 1 is 0x1fffc000+16, the device has 0x1fff7800+528}.
 */
public final class SimStateException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /**
     * A state-file error at a byte offset.
     *
     * @param source the file as the user named it (printed as given)
     * @param offset the byte offset in the file where the problem is, or a negative value when it concerns the
     *               whole file (the message then has no {@code @0x...} part)
     * @param reason what is wrong, one line
     */
    public SimStateException(String source, long offset, String reason) {
        super(source + (offset >= 0 ? String.format("@0x%08x", offset) : "") + ": " + reason);
        this.source = source;
        this.offset = offset;
    }

    /** The file as the user named it. */
    public String source() {
        return source;
    }

    /** The byte offset of the problem in the file; empty when it concerns the whole file. */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
