package io.github.dfu4j.cli;

/**
 * Zero-padded lower-case hex and right-justified numbers without {@link java.util.Formatter}: the first
 * {@code String.format} of a process loads the Formatter, its regular expressions and, for {@code %d},
 * the locale's number symbols (CLDR), about a hundred classes and several milliseconds of a short-lived
 * {@code dfu info} (issue 11, docs/user-guide.md "Start-up"). Same text as the format it replaces.
 */
final class Hex {
    private Hex() {
    }

    /** {@code String.format("%0<digits>x", value)}. */
    static String of(long value, int digits) {
        String h = Long.toHexString(value);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    /** {@code String.format("%<width>d", value)} in ASCII digits. */
    static String right(long value, int width) {
        String d = Long.toString(value);
        return d.length() >= width ? d : " ".repeat(width - d.length()) + d;
    }
}
