package io.github.dfu4j.record;

import java.io.IOException;

/** A session recording that cannot be read; the message names the source and the 1-based line. */
public final class RecordingFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public RecordingFormatException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }
}
