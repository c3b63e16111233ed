package io.github.dfu4j.formats;

/** Line terminator the text writers (Intel HEX, S-record) put after each record. */
public enum LineEnding {
    /** "\n". */
    LF("\n"),
    /** "\r\n", what GNU objcopy writes for Intel HEX and S-record. */
    CRLF("\r\n");

    private final String text;

    LineEnding(String text) {
        this.text = text;
    }

    /** The terminator characters. */
    public String text() {
        return text;
    }
}
