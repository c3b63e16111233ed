package io.github.dfu4j.record;

import io.github.dfu4j.dfu.DfuException;

/** A session recording that cannot be read; the message names the source and the 1-based line. */
public final class RecordingFormatException extends DfuException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    public RecordingFormatException(String source, int line, String reason) {
        super(Kind.RECORDING, source + ":" + line + ": " + reason, null, null, null, null, null, null);
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
