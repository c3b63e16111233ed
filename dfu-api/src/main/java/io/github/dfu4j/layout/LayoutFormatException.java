package io.github.dfu4j.layout;

import io.github.dfu4j.dfu.DfuException;

/**
 * A memory-layout string that cannot be parsed. The message names the source (e.g. "alt 0") and the
 * 0-based character offset: {@code alt 0@12: expected '*' after the sector count, found 'K'}.
 */
public final class LayoutFormatException extends DfuException {
    private static final long serialVersionUID = 1L;

    /** Serialized: where the layout string came from, or null. */
    private final String source;
    /** Serialized: the 0-based character offset of the problem. */
    private final int offset;
    /** Serialized: the layout string that failed to parse. */
    private final String text;

    /**
     * A parse failure of {@code text} at {@code offset}; the message is
     * {@code source@offset: reason in "text"}, control characters shown as {@code \xNN} and the text cut
     * after 200 characters. Its {@link DfuException.Kind} is {@code LAYOUT}.
     *
     * @param source where the string came from, e.g. {@code "alt 0"}; {@code null} reads as {@code "layout"}
     * @param text   the layout string being parsed, possibly {@code null}
     * @param offset the 0-based character offset of the problem in {@code text}
     * @param reason what is wrong there, e.g. {@code "expected '*' after the sector count, found 'K'"}
     */
    public LayoutFormatException(String source, String text, int offset, String reason) {
        super(Kind.LAYOUT, (source == null ? "layout" : source) + "@" + offset + ": " + reason + " in \"" + printable(text) + "\"", null, null,
                null, null, null, null);
        this.source = source;
        this.offset = offset;
        this.text = text;
    }

    /**
     * Where the string came from, e.g. "alt 0".
     *
     * @return the source label the parser was given, or {@code null} when it was given none
     */
    public String source() {
        return source;
    }

    /**
     * 0-based character offset of the problem.
     *
     * @return the offset into {@link #text()}, 0 or more
     */
    public int offset() {
        return offset;
    }

    /**
     * The layout string.
     *
     * @return the whole string that failed to parse, possibly {@code null}
     */
    public String text() {
        return text;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(s.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > limit) {
            sb.append("...");
        }
        return sb.toString();
    }
}
