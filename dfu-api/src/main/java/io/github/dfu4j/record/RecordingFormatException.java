package io.github.dfu4j.record;

import io.github.dfu4j.dfu.DfuException;

/** A session recording that cannot be read; the message names the source and the 1-based line. */
public final class RecordingFormatException extends DfuException {
    private static final long serialVersionUID = 1L;

    /** Serialized: the recording's name. */
    private final String source;
    /** Serialized: the 1-based line, 0 when not tied to one. */
    private final int line;

    /**
     * A recording that cannot be read at a line; the message is {@code source:line: reason} and the
     * {@link DfuException.Kind} is {@code RECORDING}.
     *
     * @param source the recording's name, usually its file name
     * @param line   the 1-based line of the problem, 0 when the text could not be read at all
     * @param reason what is wrong, e.g. {@code "not a dfu4j session recording"}
     */
    public RecordingFormatException(String source, int line, String reason) {
        super(Kind.RECORDING, source + ":" + line + ": " + reason, null, null, null, null, null, null);
        this.source = source;
        this.line = line;
    }

    /**
     * The name of the recording as the reader was given it (usually the file name without directories).
     *
     * @return the source label
     */
    public String source() {
        return source;
    }

    /**
     * The 1-based line the problem is on; 0 when it is not tied to a line (an I/O failure reading the text).
     *
     * @return the line number, 0 or more
     */
    public int line() {
        return line;
    }
}
