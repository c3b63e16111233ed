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

    public SimStateException(String source, long offset, String reason) {
        super(source + (offset >= 0 ? String.format("@0x%08x", offset) : "") + ": " + reason);
        this.source = source;
        this.offset = offset;
    }

    public String source() {
        return source;
    }

    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
